// A real socket.io-client 4.8 (from tests/interop/node_modules, pinned by its lockfile) driven
// over stdin, for the embedded server's interop tests.
//
//   node siosrv-node-client.js
//
// Prints {"ready":true} and then one JSON object per line for everything the client sees:
//   {"connect":sid,"recovered":bool}   {"connect_error":message,"data":...}
//   {"disconnect":reason}
//   {"event":name,"args":[...],"asked":bool}   every server event; one that asks for an ack
//                                              is acknowledged with its own arguments
// Commands, one JSON object per line; each may carry "id", answered by {"done":id,...}:
//   {"cmd":"connect","url":U,"path":P,"nsp":N,"auth":{...}}   io(U + N, {path, auth, websocket})
//   {"cmd":"emit","event":E,"args":[...]}
//   {"cmd":"emitWithAck","event":E,"args":[...]}  answered {"done":id,"ack":[...]} or "error"
//   {"cmd":"closeTransport"}        socket.io.engine.close(): a transport loss (reconnects)
//   {"cmd":"disconnect"}            socket.disconnect(): sends 41
//   {"cmd":"state"}                 {"done":id,"connected":bool,"sid":..,"recovered":bool}
//   {"cmd":"quit"}
"use strict";
const readline = require("readline");
const { io } = require("socket.io-client");

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
let socket = null;

function handle(c) {
  const done = (extra) => c.id !== undefined && out({ done: c.id, ...extra });
  switch (c.cmd) {
    case "connect":
      socket = io(c.url + (c.nsp && c.nsp !== "/" ? c.nsp : ""), {
        path: c.path || "/socket.io/",
        auth: c.auth || {},
        transports: ["websocket"],
        reconnectionDelay: 100,
        reconnectionDelayMax: 400,
      });
      socket.on("connect", () => out({ connect: socket.id, recovered: socket.recovered }));
      socket.on("connect_error", (err) => out({ connect_error: err.message, data: err.data }));
      socket.on("disconnect", (reason) => out({ disconnect: reason }));
      socket.onAny((event, ...args) => {
        // An event that asks for an ack is answered with its own arguments.
        const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
        out({ event, args, asked: !!ack });
        if (ack) ack(...args);
      });
      return done();
    case "emit":
      socket.emit(c.event, ...(c.args || []));
      return done();
    case "emitWithAck":
      socket.timeout(10000).emit(c.event, ...(c.args || []), (err, ...ack) =>
        err ? done({ error: String(err.message) }) : done({ ack }),
      );
      return;
    case "closeTransport":
      socket.io.engine.close();
      return done();
    case "disconnect":
      socket.disconnect();
      return done();
    case "state":
      return done({ connected: socket.connected, sid: socket.id, recovered: socket.recovered });
    case "quit":
      if (socket) socket.disconnect();
      process.exit(0);
  }
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  try {
    handle(JSON.parse(line));
  } catch (e) {
    process.stderr.write(`bad command ${line}: ${e.stack}\n`);
  }
});
process.stdin.on("end", () => process.exit(0));
out({ ready: true });
