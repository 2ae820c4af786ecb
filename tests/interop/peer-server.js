// A real Socket.IO 4.8 server driven over stdin, for livedesk's interop tests and benchmarks.
//
//   node peer-server.js [--port N] [--path /socket.io/] [--recovery] [--token T]
//                       [--aegisx] [--ping-interval MS] [--ping-timeout MS]
//
// Prints {"ready":true,"port":N} once listening. Every line it prints is one JSON object.
// Commands arrive on stdin as JSON lines; each may carry "id", answered by {"done":id,...}:
//   {"cmd":"emit","event":E,"args":[...]}           io.emit(E, ...args)
//   {"cmd":"aegis","feature":F,"entity":N,"action":A,"data":D,"priority":P,"twice":bool}
//        AegisX envelope to room feature:F and entity:N (twice: once per room, as AegisX
//        does, so a client in both rooms receives two copies)
//   {"cmd":"emitWithAck","event":E,"args":[...]}     to every socket, prints {"ack":[...]}
//   {"cmd":"binary","event":E,"text":S}               io.emit(E, {file: Buffer(S)})
//   {"cmd":"dropTransports"}                          close every engine connection (recoverable)
//   {"cmd":"disconnectAll"}                           socket.disconnect(true): client gets 41
//   {"cmd":"stream","event":E,"count":N,"size":B}     N events [seq, sentAtMs, padding] fast
//   {"cmd":"sockets"}                                 {"done":id,"count":n}
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
    ? { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: true }
    : undefined,
});

if (token !== null) {
  io.use((socket, next) => {
    if (socket.handshake.auth && socket.handshake.auth.token === token) return next();
    const err = new Error("invalid token");
    err.data = { code: "UNAUTHORIZED" };
    next(err);
  });
}

io.on("connection", (socket) => {
  out({ connection: socket.id, auth: socket.handshake.auth, recovered: socket.recovered });
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
});

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

const commands = {
  emit: (c) => io.emit(c.event, ...(c.args || [])),
  aegis: (c) => {
    const name = `${c.feature}.${c.entity}.${c.action}`;
    const env = aegisEnvelope(c);
    io.to(`feature:${c.feature}`).emit(name, env);
    if (c.twice !== false) io.to(`entity:${c.entity}`).emit(name, env);
  },
  emitWithAck: async (c) => {
    try {
      const replies = await io.timeout(Number(c.timeout || 2000)).emitWithAck(c.event, ...(c.args || []));
      out({ ack: replies });
    } catch (e) {
      out({ ackError: String(e && e.message) });
    }
  },
  binary: (c) => io.emit(c.event, { name: "file.bin", file: Buffer.from(c.text || "") }),
  dropTransports: () => io.of("/").sockets.forEach((s) => s.conn.close()),
  disconnectAll: () => io.disconnectSockets(true),
  stream: (c) => stream(c),
  sockets: (c) => ({ count: io.of("/").sockets.size }),
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
