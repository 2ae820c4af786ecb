// The receiving side of bench_server_fanout: N socket.io-client 4.8 sockets in one process,
// subscribed to one AegisX feature, recording when each socket receives each write's event.
// The same script, unchanged, receives from livedesk-server and from the Node socket.io
// server, so that only the server differs between the two measurements.
//
//   node fanout-clients.js
//
// Socket.IO comes from tests/interop/node_modules (or $LIVEDESK_INTEROP_DIR/node_modules).
// Driven over stdin by JSON lines; every line it prints is one JSON object:
//   {"cmd":"connect","url":U,"path":P,"token":T,"count":N,"features":[F],"event":E}
//        opens N sockets (each its own Engine.IO connection, WebSocket transport only, auth
//        {"token":T}), sends `subscribe:features {"features":[F]}` on each and prints
//        {"connected":N,"ms":M} once every socket has its `subscribe:confirmed`, or
//        {"error":...}. Events named E are recorded from then on.
//   {"cmd":"start","run":R,"writes":W}
//        expects W writes, numbered 0..W-1, whose events carry data.hn = "FO<R>-<k>"; each
//        socket must receive each write exactly once. Prints {"complete":R} as soon as all
//        N*W deliveries arrived.
//   {"cmd":"finish","sentAt":[...]}
//        sentAt[k]: when write k was made (epoch ms). Prints the run's summary:
//        {"result":{deliveries, lost, duplicates, stray, latencyMs:{p50,p90,p99,max},
//        spreadMs:{p50,p99,max}, firstSentAt, lastReceivedAt, eventBytes, cpuMs}}
//   {"cmd":"disconnect"}  closes every socket, prints {"disconnected":N}
//   {"cmd":"now"}         {"now":epochMs} (clock check)
//   {"cmd":"quit"}
// Receive times are performance.timeOrigin + performance.now(), stamped first thing in each
// socket's event handler: epoch milliseconds with a fraction, the clock the driver stamps
// sentAt with (std::chrono::system_clock).
"use strict";
const path = require("path");
const readline = require("readline");

const interopDir = process.env.LIVEDESK_INTEROP_DIR || path.join(__dirname, "..", "tests", "interop");
const { io } = require(require.resolve("socket.io-client", { paths: [interopDir] }));

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const epochMs = () => performance.timeOrigin + performance.now();
const round3 = (x) => Math.round(x * 1000) / 1000;
// Nearest-rank percentile of sorted values.
const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : 0;

// How many sockets may be opening at once: a thousand simultaneous handshakes only measure
// the listen backlog.
const connectWave = 50;

let sockets = [];
let run = null; // the run being recorded

function record(index, env) {
  const now = epochMs();
  const r = run;
  if (!r) return;
  const hn = env && env.data && env.data.hn;
  const dash = typeof hn === "string" ? hn.lastIndexOf("-") : -1;
  if (dash < 0 || hn.slice(0, dash) !== r.prefix) {
    r.stray++;
    return;
  }
  const k = Number(hn.slice(dash + 1));
  if (!Number.isInteger(k) || k < 0 || k >= r.writes) {
    r.stray++;
    return;
  }
  const slot = index * r.writes + k;
  if (r.count[slot]++) {
    r.duplicates++;
    return;
  }
  r.received[slot] = now;
  if (r.eventBytes === 0) r.eventBytes = Buffer.byteLength(JSON.stringify(env));
  if (++r.unique === r.expected) out({ complete: r.id });
}

function connect(c) {
  if (sockets.length) return out({ error: "already connected" });
  const count = Number(c.count);
  const started = performance.now();
  let next = 0;
  let ready = 0;
  let failed = false;
  const openOne = () => {
    if (failed || next >= count) return;
    const index = next++;
    const socket = io(c.url, {
      path: c.path || "/socket.io/",
      transports: ["websocket"],
      reconnection: false,
      forceNew: true, // one Engine.IO connection per socket, as N separate clients would have
      auth: { token: c.token },
    });
    sockets.push(socket);
    socket.on(c.event, (env) => record(index, env));
    socket.on("connect", () => socket.emit("subscribe:features", { features: c.features }));
    socket.once("subscribe:confirmed", () => {
      if (++ready === count) out({ connected: count, ms: round3(performance.now() - started) });
      openOne();
    });
    socket.on("connect_error", (e) => {
      if (failed) return;
      failed = true;
      out({ error: `socket ${index}: connect_error: ${e.message}` });
    });
    socket.on("disconnect", (reason) => {
      if (run && reason !== "io client disconnect") run.disconnects++;
    });
  };
  for (let i = 0; i < Math.min(connectWave, count); i++) openOne();
}

function start(c) {
  const writes = Number(c.writes);
  const n = sockets.length;
  run = {
    id: c.run,
    prefix: `FO${c.run}`,
    writes,
    expected: n * writes,
    received: new Float64Array(n * writes),
    count: new Uint8Array(n * writes),
    unique: 0,
    duplicates: 0,
    stray: 0,
    disconnects: 0,
    eventBytes: 0,
    cpu0: process.cpuUsage(),
  };
  out({ started: c.run });
}

function finish(c) {
  const r = run;
  if (!r) return out({ error: "no run" });
  run = null;
  const cpu = process.cpuUsage(r.cpu0);
  const sentAt = c.sentAt || [];
  const n = sockets.length;
  const latencies = new Float64Array(r.unique);
  const spreads = [];
  let i = 0;
  let lastReceived = 0;
  for (let k = 0; k < r.writes; k++) {
    let first = Infinity;
    let last = -Infinity;
    for (let s = 0; s < n; s++) {
      const slot = s * r.writes + k;
      if (!r.count[slot]) continue;
      const t = r.received[slot];
      latencies[i++] = t - sentAt[k];
      if (t < first) first = t;
      if (t > last) last = t;
    }
    if (last >= first) {
      spreads.push(last - first);
      if (last > lastReceived) lastReceived = last;
    }
  }
  latencies.sort();
  spreads.sort((a, b) => a - b);
  out({
    result: {
      run: r.id,
      deliveries: r.unique,
      lost: r.expected - r.unique,
      duplicates: r.duplicates,
      stray: r.stray,
      disconnects: r.disconnects,
      latencyMs: {
        p50: round3(percentile(latencies, 50)),
        p90: round3(percentile(latencies, 90)),
        p99: round3(percentile(latencies, 99)),
        max: round3(latencies.length ? latencies[latencies.length - 1] : 0),
      },
      spreadMs: {
        p50: round3(percentile(spreads, 50)),
        p99: round3(percentile(spreads, 99)),
        max: round3(spreads.length ? spreads[spreads.length - 1] : 0),
      },
      firstSentAt: sentAt.length ? sentAt[0] : 0,
      lastReceivedAt: lastReceived,
      eventBytes: r.eventBytes,
      cpuMs: round3((cpu.user + cpu.system) / 1000),
    },
  });
}

function disconnect() {
  const n = sockets.length;
  sockets.forEach((s) => s.disconnect());
  sockets = [];
  run = null;
  out({ disconnected: n });
}

const commands = {
  connect,
  start,
  finish,
  disconnect,
  now: () => out({ now: epochMs() }),
  quit: () => process.exit(0),
};

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    return out({ error: "bad command", line });
  }
  const fn = commands[c.cmd];
  if (!fn) return out({ error: "unknown command", cmd: c.cmd });
  fn(c);
});
process.stdin.on("end", () => process.exit(0));
