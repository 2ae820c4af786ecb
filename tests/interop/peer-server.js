// A real Socket.IO 4.8 server driven over stdin, for livedesk's interop tests and benchmarks.
//
//   node peer-server.js [--port N] [--path /socket.io/] [--recovery] [--token T]
//                       [--aegisx] [--ping-interval MS] [--ping-timeout MS]
//                       [--report-engine] [--connect-delay MS] [--hold-recovered] [--nsp /N]
//
//   --report-engine    also print {"engine":id} for every Engine.IO connection, including those
//                      whose namespace CONNECT is refused (counts handshakes, e.g. retries)
//   --connect-delay    hold every namespace CONNECT this long before answering it (recovered
//                      sessions skip it, as they skip all middlewares, unless --hold-recovered)
//   --hold-recovered   (with --recovery) never answer the first recovered CONNECT: the missed
//                      events are replayed, then nothing; prints {"held":sid}. Middlewares run
//                      for recovered sockets too (skipMiddlewares: false).
//   --nsp /N           also serve namespace /N like the main one (token check, reports, echo);
//                      its connection lines carry "nsp"; emit, emitWithAck and binary take an
//                      optional "nsp" to address it
//
// Prints {"ready":true,"port":N} once listening. Every line it prints is one JSON object.
// Commands arrive on stdin as JSON lines; each may carry "id", answered by {"done":id,...}:
//   {"cmd":"emit","event":E,"args":[...]}           io.emit(E, ...args)
//   {"cmd":"aegis","feature":F,"entity":N,"action":A,"data":D,"priority":P,"twice":bool}
//        AegisX envelope to room feature:F and entity:N (twice: once per room, as AegisX
//        does, so a client in both rooms receives two copies)
//   {"cmd":"emitWithAck","event":E,"args":[...]}     to every socket, prints {"ack":[...]}
//   {"cmd":"binary","event":E,"text":S}               io.emit(E, {file: Buffer(S)})
//   {"cmd":"binary","event":E,"texts":[S,...]}        io.emit(E, {files: [Buffer(S), ...]})
//   {"cmd":"dropTransports","thenEmit":[{"event":E,"args":[...]},...]}
//        close every engine connection (recoverable), then io.emit each thenEmit entry while
//        no client is connected (thenEmit optional)
//   {"cmd":"disconnectAll"}                           socket.disconnect(true): client gets 41
//   {"cmd":"stream","event":E,"count":N,"size":B}     N events, each with ONE argument, the
//        array [seq, sentAtMs, padding], as fast as the server can
//   {"cmd":"sockets"}                                 {"done":id,"count":n}
//   {"cmd":"benchStream","shape":S,"count":N,"size":B,"perMs":R,"eventIds":bool}
//        benchmark stream to every socket, answered {"done":id,"streamed":N} after the last
//        emit. shape "plain": event E (default "bench") with args [[seq, sentAtMs, padding]],
//        as `stream`; shape "aegis": `patients.patient.updated` AegisX envelopes (feature,
//        entity, action overridable) with data {id, seq, sentAt, padding} and the usual meta
//        (eventIds: also meta.eventId and meta.seq, as livedesk-server sends). perMs 0 (default):
//        as fast as possible, in batches of 500; R > 0: paced at R events per millisecond.
//   {"cmd":"now"}                                     {"done":id,"now":epochMs} (clock check)
//   {"cmd":"cpu"}                                     {"done":id,"userUs":U,"systemUs":S}: the
//        process's CPU time so far (process.cpuUsage(), all threads), for benchmarks
//   {"cmd":"freeze"}                                  stop pinging the connected clients (and
//        stop expecting their pongs): a silent but open link, for heartbeat tests; later
//        connections are pinged as usual
//   {"cmd":"dropEngines"}                             close every Engine.IO connection, also
//        those whose namespace CONNECT is still pending (e.g. held)
//   {"cmd":"quit"}
// It reports what clients do: {"connection":sid,"auth":{...},"recovered":bool},
// {"received":E,"args":[...]}, {"subscribed":{...}}, {"disconnect":sid,"reason":R}.
"use strict";
const http = require("http");
const readline = require("readline");
const { Server } = require("socket.io");

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(name);

const port = Number(opt("--port", "0"));
const path = opt("--path", "/socket.io/");
const token = opt("--token", null);
const aegisx = flag("--aegisx");
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const httpServer = http.createServer();
const io = new Server(httpServer, {
  path,
  transports: ["websocket"],
  pingInterval: Number(opt("--ping-interval", "25000")),
  pingTimeout: Number(opt("--ping-timeout", "20000")),
  connectionStateRecovery: flag("--recovery")
    ? { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: !flag("--hold-recovered") }
    : undefined,
});

if (flag("--report-engine")) io.engine.on("connection", (conn) => out({ engine: conn.id }));

const connectDelay = Number(opt("--connect-delay", "0"));
if (connectDelay > 0) io.use((socket, next) => setTimeout(next, connectDelay));

if (flag("--hold-recovered")) {
  let holdNext = true;
  io.use((socket, next) => {
    if (!socket.recovered || !holdNext) return next();
    holdNext = false;
    out({ held: socket.id });
  });
}

const extraNsp = opt("--nsp", null);
const namespaces = extraNsp ? [io.of("/"), io.of(extraNsp)] : [io.of("/")];
const target = (c) => (c.nsp ? io.of(c.nsp) : io);

if (token !== null) {
  namespaces.forEach((n) =>
    n.use((socket, next) => {
      if (socket.handshake.auth && socket.handshake.auth.token === token) return next();
      const err = new Error("invalid token");
      err.data = { code: "UNAUTHORIZED" };
      next(err);
    }),
  );
}

const onConnection = (socket) => {
  const nspField = socket.nsp.name === "/" ? {} : { nsp: socket.nsp.name };
  out({ connection: socket.id, auth: socket.handshake.auth, recovered: socket.recovered, ...nspField });
  socket.on("disconnect", (reason) => out({ disconnect: socket.id, reason }));
  socket.onAny((event, ...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    out({ received: event, args });
    if (event === "echo" && ack) ack(...args);
    if (event === "message") socket.emit("message-back", ...args);
  });
  if (aegisx) {
    socket.on("subscribe:features", (body) => {
      const features = (body && body.features) || [];
      const entities = (body && body.entities) || [];
      const rooms = [...features.map((f) => `feature:${f}`), ...entities.map((e) => `entity:${e}`)];
      rooms.forEach((r) => socket.join(r));
      out({ subscribed: { sid: socket.id, features, entities } });
      socket.emit("subscribe:confirmed", { features, entities, rooms, timestamp: new Date().toISOString() });
    });
    socket.on("ping", () => socket.emit("pong", { timestamp: new Date().toISOString() }));
  }
};
namespaces.forEach((n) => n.on("connection", onConnection));

function aegisEnvelope(c) {
  return {
    feature: c.feature,
    entity: c.entity,
    action: c.action,
    data: c.data,
    meta: {
      timestamp: new Date().toISOString(),
      userId: c.userId || "user-1",
      sessionId: "peer",
      featureVersion: "v1",
      priority: c.priority || "normal",
    },
  };
}

function stream(c) {
  const padding = "x".repeat(Math.max(0, Number(c.size || 0)));
  const count = Number(c.count || 1000);
  let i = 0;
  // Batches with a yield between them let pings and socket writes interleave.
  const batch = () => {
    const end = Math.min(count, i + 500);
    for (; i < end; i++) io.emit(c.event || "bench", [i, performance.timeOrigin + performance.now(), padding]);
    if (i < count) setImmediate(batch);
    else out({ done: c.id, streamed: count });
  };
  batch();
}

// Benchmark streams (bench/bench_socketio_ingest): sentAt is taken right before each emit.
let benchRun = 0;
function benchStream(c) {
  const count = Number(c.count || 1000);
  const padding = "x".repeat(Math.max(0, Number(c.size || 0)));
  const perMs = Number(c.perMs || 0);
  const run = ++benchRun;
  const now = () => performance.timeOrigin + performance.now();
  let emitOne;
  if (c.shape === "aegis") {
    const feature = c.feature || "patients";
    const entity = c.entity || "patient";
    const action = c.action || "updated";
    const name = `${feature}.${entity}.${action}`;
    emitOne = (seq) => {
      const env = aegisEnvelope({
        feature,
        entity,
        action,
        data: { id: (seq % 1000) + 1, seq, sentAt: 0, padding },
      });
      if (c.eventIds) {
        env.meta.eventId = `bench-${run}-${seq}`;
        env.meta.seq = seq;
      }
      env.data.sentAt = now();
      io.emit(name, env);
    };
  } else {
    const event = c.event || "bench";
    emitOne = (seq) => io.emit(event, [seq, now(), padding]);
  }
  return new Promise((resolve) => {
    let i = 0;
    const finish = () => resolve({ streamed: count });
    if (perMs <= 0) {
      const batch = () => {
        const end = Math.min(count, i + 500);
        for (; i < end; i++) emitOne(i);
        if (i < count) setImmediate(batch);
        else finish();
      };
      batch();
      return;
    }
    // Paced by the clock, not by timer ticks (which run late): emit whatever is due.
    const start = performance.now();
    const tick = () => {
      const due = Math.min(count, Math.floor((performance.now() - start) * perMs) + 1);
      for (; i < due; i++) emitOne(i);
      if (i < count) setTimeout(tick, 1);
      else finish();
    };
    tick();
  });
}

const commands = {
  emit: (c) => target(c).emit(c.event, ...(c.args || [])),
  aegis: (c) => {
    const name = `${c.feature}.${c.entity}.${c.action}`;
    const env = aegisEnvelope(c);
    io.to(`feature:${c.feature}`).emit(name, env);
    if (c.twice !== false) io.to(`entity:${c.entity}`).emit(name, env);
  },
  emitWithAck: async (c) => {
    try {
      const replies = await target(c)
        .timeout(Number(c.timeout || 2000))
        .emitWithAck(c.event, ...(c.args || []));
      out({ ack: replies });
    } catch (e) {
      out({ ackError: String(e && e.message) });
    }
  },
  binary: (c) =>
    c.texts
      ? target(c).emit(c.event, { name: "files.bin", files: c.texts.map((t) => Buffer.from(t)) })
      : target(c).emit(c.event, { name: "file.bin", file: Buffer.from(c.text || "") }),
  dropTransports: async (c) => {
    const closing = [...io.of("/").sockets.values()];
    closing.forEach((s) => s.conn.close());
    // Usually synchronous; a connection with unsent packets closes once they are flushed.
    while (closing.some((s) => !s.disconnected)) await new Promise((r) => setTimeout(r, 5));
    // Emitted while the closed sessions wait for their clients: stored for recovery.
    (c.thenEmit || []).forEach((e) => io.emit(e.event, ...(e.args || [])));
  },
  freeze: () =>
    io.of("/").sockets.forEach((s) => {
      const conn = s.conn;
      conn.schedulePing = () => {};
      clearTimeout(conn.pingIntervalTimer);
      clearTimeout(conn.pingTimeoutTimer);
      conn.pingIntervalTimer = null;
      conn.pingTimeoutTimer = null;
    }),
  dropEngines: () => Object.values(io.engine.clients).forEach((conn) => conn.close()),
  disconnectAll: () => io.disconnectSockets(true),
  stream: (c) => stream(c),
  sockets: (c) => ({ count: io.of("/").sockets.size }),
  benchStream: (c) => benchStream(c),
  now: () => ({ now: performance.timeOrigin + performance.now() }),
  cpu: () => {
    const u = process.cpuUsage();
    return { userUs: u.user, systemUs: u.system };
  },
  quit: () => {
    io.close();
    process.exit(0);
  },
};

readline.createInterface({ input: process.stdin }).on("line", async (line) => {
  if (!line.trim()) return;
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    out({ error: "bad command", line });
    return;
  }
  const fn = commands[c.cmd];
  if (!fn) {
    out({ error: "unknown command", cmd: c.cmd });
    return;
  }
  const extra = await fn(c);
  if (c.cmd !== "stream" && c.id !== undefined) out(Object.assign({ done: c.id }, extra || {}));
});
process.stdin.on("end", () => process.exit(0));

httpServer.listen(port, "127.0.0.1", () => out({ ready: true, port: httpServer.address().port }));
