// The Node socket.io-client side of bench_socketio_ingest: the reference that livedesk's
// SocketIoClient is compared with, measuring the same stream in the same way.
//
//   node peer-client.js
//
// Socket.IO comes from tests/interop/node_modules (or $LIVEDESK_INTEROP_DIR/node_modules).
// Driven over stdin by JSON lines; every line it prints is one JSON object:
//   {"cmd":"run","url":U,"path":P,"shape":S,"event":E,"count":N,"payloadBytes":B,"mode":M,
//    "perMs":R,"run":I}
//        connects (WebSocket transport only) and prints {"ready":true,"sid":S}; then receives
//        the stream of N events (shape plain: E with [[seq, sentAtMs, padding]]; shape aegis*:
//        E with an AegisX envelope whose data holds seq and sentAt). Once every seq has
//        arrived, or on {"cmd":"finish"}, it disconnects and prints the measurement line
//        (mode, shape, payloadBytes, perMs and run are only echoed into it).
//   {"cmd":"now"}     {"now":epochMs} (clock check)
//   {"cmd":"quit"}
// Times are performance.timeOrigin + performance.now(): epoch milliseconds with a fraction, the
// clock the peer server stamps sentAt with.
"use strict";
const path = require("path");
const readline = require("readline");

const interopDir = process.env.LIVEDESK_INTEROP_DIR || path.join(__dirname, "..", "tests", "interop");
const { io } = require(require.resolve("socket.io-client", { paths: [interopDir] }));

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const epochMs = () => performance.timeOrigin + performance.now();
const round3 = (x) => Math.round(x * 1000) / 1000;

let current = null;

// Nearest-rank percentile of sorted values.
const percentile = (sorted, p) =>
  sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] : 0;

function run(c) {
  const count = Number(c.count);
  const seen = new Uint8Array(count);
  const latencies = new Float64Array(count);
  const r = {
    c,
    socket: null,
    unique: 0,
    duplicates: 0,
    outOfOrder: 0,
    invalid: 0,
    maxSeq: -1,
    first: 0,
    last: 0,
    cpu0: null,
    finished: false,
  };
  current = r;

  const record = (seq, sentAt) => {
    const now = epochMs();
    const steady = performance.now();
    if (r.unique + r.duplicates + r.invalid === 0) r.first = steady;
    r.last = steady;
    if (!Number.isInteger(seq) || seq < 0 || seq >= count) {
      r.invalid++;
      return;
    }
    if (seen[seq]) {
      r.duplicates++;
      return;
    }
    seen[seq] = 1;
    latencies[r.unique++] = now - sentAt;
    if (seq < r.maxSeq) r.outOfOrder++;
    else r.maxSeq = seq;
    if (r.unique === count) finish();
  };

  const socket = io(c.url, {
    path: c.path || "/socket.io/",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
  });
  r.socket = socket;
  if (String(c.shape).startsWith("aegis")) {
    socket.on(c.event, (env) => record(env.data.seq, env.data.sentAt));
  } else {
    socket.on(c.event, (a) => record(a[0], a[1]));
  }
  socket.on("connect", () => {
    r.cpu0 = process.cpuUsage();
    out({ ready: true, sid: socket.id });
  });
  socket.on("connect_error", (e) => out({ error: `connect_error: ${e.message}` }));

  function finish() {
    if (r.finished) return;
    r.finished = true;
    const cpu = process.cpuUsage(r.cpu0 || undefined);
    socket.disconnect();
    current = null;
    const sorted = latencies.subarray(0, r.unique).sort();
    const seconds = (r.last - r.first) / 1000;
    const received = r.unique + r.duplicates + r.invalid;
    const line = {
      bench: "socketio_ingest",
      client: "node-socket.io-client",
      mode: c.mode,
      shape: c.shape,
      events: count,
      payloadBytes: Number(c.payloadBytes),
    };
    if (c.perMs) line.perMs = Number(c.perMs);
    if (c.run !== undefined) line.run = c.run;
    Object.assign(line, {
      eventsPerSec: seconds > 0 ? Math.round((received - 1) / seconds) : 0,
      latencyMs: {
        p50: round3(percentile(sorted, 50)),
        p90: round3(percentile(sorted, 90)),
        p99: round3(percentile(sorted, 99)),
        max: round3(sorted.length ? sorted[sorted.length - 1] : 0),
      },
      cpuUsPerEvent: received ? round3((cpu.user + cpu.system) / received) : 0,
      lost: count - r.unique,
      duplicates: r.duplicates,
      outOfOrder: r.outOfOrder,
      invalid: r.invalid,
    });
    out(line);
  }
  r.finish = finish;
}

const commands = {
  run: (c) => {
    if (current) return out({ error: "a run is already in progress" });
    run(c);
  },
  finish: () => current && current.finish(),
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
