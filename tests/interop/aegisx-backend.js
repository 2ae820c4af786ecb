// A backend that behaves like a plain AegisX server, for livedesk's state manager tests: the
// REST CRUD API (envelopes, pagination, errors) of one resource, `patients`, and a Socket.IO
// 4.8 channel that announces every change the AegisX way, with AegisX's rough edges:
//   - every event is emitted twice to a client subscribed to both the feature and the entity
//     room (once per room, as AegisX's emitToFeature and emitToEntity do);
//   - events are queued and sent in priority order (critical, high, normal, low) every
//     --flush-ms, so a later high-priority event overtakes an earlier normal one; updates get a
//     random priority;
//   - no event ids, no sequence numbers (unless --seq), no record versions, no If-Match, no
//     txn echo, no connection state recovery: a reconnect misses what happened meanwhile;
//   - `deleted` carries `{id}` with the id as a string;
//   - events are named `feature.entity.action` with the entity in the singular
//     (`patients.patient.created`), the feature in the plural, as generated AegisX modules do;
//   - two `connection:established` events on every connect (the transport's `{socketId,
//     timestamp}` and the connection manager's `{clientId, userId, authenticated, priority,
//     timestamp, server, version, capabilities}`);
//   - a socket that has sent nothing for --inactivity-ms (5 minutes) gets `connection:timeout`
//     and is then disconnected by the server (a server-side disconnect: no automatic reconnect);
//   - changes made by the server itself (the burst command) carry `meta.userId` "system";
//   - a missing record is answered `400 VALIDATION_ERROR "Patient with ID 9 not found"`, not
//     404 (GET /api/patients/:id; --missing-status 404 for the tidy answer);
//   - no `/api/schema`: a client must be told the resource's name.
// Data lives in a JSON file (--data), written after every change, so the server can be killed
// and started again on the same port with the same records and tokens.
//
//   node aegisx-backend.js [--port N] [--path /api/ws/] [--data FILE] [--seed N]
//                          [--flush-ms MS] [--random-seed N] [--delayed-duplicates P] [--seq]
//
//   --seed N             create N patients when the data file does not exist yet (default 50)
//   --delayed-duplicates P   with probability P (0..1) an event is sent once more one flush
//                        later, after newer events (as a second instance behind Redis might)
//   --seq                add meta.eventId and meta.seq (livedesk-server's extension) to every
//                        event, for gap-detection tests
//   --versions           records carry `version` (1 on create, +1 on every update), as an
//                        AegisX resource with optimistic locking does (bench_tablemodel)
//   --wards N            seeded patients spread over wards 1..N (default 4)
//   --inactivity-ms MS   drop a socket that has sent nothing for this long (default 300000)
//   --missing-status S   400 (default, as AegisX) or 404 for GET of a record that is not there
//   --partial-updates    `updated` events carry only the id, the fields the request changed
//                        and updated_at (some AegisX services emit the request body)
//   --confirm-delay-ms MS   answer `subscribe:features` this much later (a slow server)
//   --list-delay-ms MS   answer list requests this much later, with the list as it was when
//                        asked (a slow list: changes announced meanwhile overtake it)
//   --update-priority P  give every `updated` event priority P instead of a random one
// A list answer is computed once per query and kept until the next write, so that reading a
// large list page by page does not filter and sort the whole set for every page.
//
// Prints {"ready":true,"port":N}. Commands on stdin, JSON lines; "id" is answered {"done":id}:
//   {"cmd":"dropEngines"}              close every Engine.IO connection (clients reconnect and
//                                      are not recovered)
//   {"cmd":"failReads","count":N}      the next N reads of one record answer 500
//   {"cmd":"failLogins","count":N}     the next N sign-ins answer 500 (an auth service that
//                                      fails for a moment)
//   {"cmd":"holdAnswers","count":N}    the next N writes (POST, PUT, DELETE of patients) are
//                                      applied and announced, but their answers are held back
//                                      (a server slow to answer, an answer lost); each held
//                                      write prints {"held":"PUT /api/patients/5"}
//   {"cmd":"releaseAnswers"}           send the held answers now
//   {"cmd":"lose","count":N}           the next N changes are applied but their events are
//                                      never sent (with --seq they still take a seq number)
//   {"cmd":"flush"}                    send the queued events now
//   {"cmd":"records"}                  {"done":id,"records":[...sorted by id]}
//   {"cmd":"stats"}                    {"done":id,"requests":n,"reads":n,"events":n,"sockets":n,
//                                      "timeouts":n} (reads: GET of one record)
//   {"cmd":"burst","count":N,"tag":T}  N updates of random records at once (name "Burst T.i"),
//                                      each with its event; answers the ids updated (up to
//                                      1000); "ward":W picks from that ward only, "every":true
//                                      updates each record (of the ward) once
//   {"cmd":"digest"}                   {"done":id,"count":n,"versionSum":n,"jsonBytes":n}:
//                                      records, the sum of their versions, their JSON size
//   {"cmd":"quit"}
// Users: nurse@demo.local / nurse, doctor@demo.local / doctor.
"use strict";
const fs = require("fs");
const http = require("http");
const readline = require("readline");
const { Server } = require("socket.io");

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};
const flag = (name) => argv.includes(name);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const port = Number(opt("--port", "0"));
const wsPath = opt("--path", "/api/ws/");
const dataFile = opt("--data", null);
const flushMs = Number(opt("--flush-ms", "20"));
const delayedDuplicates = Number(opt("--delayed-duplicates", "0"));
const withSeq = flag("--seq");
const withVersions = flag("--versions");
const wardCount = Number(opt("--wards", "4"));
const inactivityMs = Number(opt("--inactivity-ms", "300000"));
const missingStatus = Number(opt("--missing-status", "400"));
const partialUpdates = flag("--partial-updates");
const confirmDelayMs = Number(opt("--confirm-delay-ms", "0"));
const listDelayMs = Number(opt("--list-delay-ms", "0"));
const updatePriority = opt("--update-priority", null);

// A small deterministic generator (mulberry32), so a failing run can be repeated.
let rngState = Number(opt("--random-seed", "1")) >>> 0;
function random() {
  rngState = (rngState + 0x6d2b79f5) >>> 0;
  let t = rngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const users = {
  "nurse@demo.local": { id: "u-nurse", name: "Nurse Demo", password: "nurse", role: "nurse" },
  "doctor@demo.local": { id: "u-doctor", name: "Doctor Demo", password: "doctor", role: "doctor" },
};
const fields = ["hn", "name", "ward", "status"];

// ---------------------------------------------------------------------------------------
// Data

let db = { nextId: 1, records: {} };
function save() {
  if (!dataFile) return;
  fs.writeFileSync(dataFile + ".tmp", JSON.stringify(db));
  fs.renameSync(dataFile + ".tmp", dataFile);
}
if (dataFile && fs.existsSync(dataFile)) {
  db = JSON.parse(fs.readFileSync(dataFile, "utf8"));
} else {
  const seed = Number(opt("--seed", "50"));
  const now = new Date().toISOString();
  for (let i = 0; i < seed; i++) {
    const id = db.nextId++;
    db.records[id] = {
      id,
      hn: `HN${String(id).padStart(5, "0")}`,
      name: `Patient ${id}`,
      ward: `Ward ${1 + (id % wardCount)}`,
      status: "admitted",
      created_at: now,
      updated_at: now,
    };
    if (withVersions) db.records[id].version = 1;
  }
  save();
}

// ---------------------------------------------------------------------------------------
// Events

const priorities = ["critical", "high", "normal", "low"];
let queue = [];
let delayed = [];
let lose = 0;
// Reads of one record still to answer with 500 (the "failReads" command).
let failReads = 0;
// Sign-ins still to answer with 500 (the "failLogins" command).
let failLogins = 0;
// Writes whose answers are still to hold back, and the answers held (the "holdAnswers"
// command): the calls made on each response, replayed by "releaseAnswers".
let holdAnswers = 0;
let heldAnswers = [];
function heldResponse(res) {
  const calls = [];
  heldAnswers.push({ res, calls });
  return {
    writeHead: (...a) => calls.push(["writeHead", a]),
    end: (...a) => calls.push(["end", a]),
  };
}
function releaseAnswers() {
  for (const { res, calls } of heldAnswers) {
    if (res.destroyed) continue;
    for (const [method, args] of calls) res[method](...args);
  }
  heldAnswers = [];
}
let seq = 0;
let eventsSent = 0;

function announce(action, data, userId, priority) {
  const meta = {
    timestamp: new Date().toISOString(),
    userId,
    sessionId: "aegisx-backend",
    featureVersion: "v1",
    priority,
  };
  if (withSeq) {
    seq += 1;
    meta.eventId = `evt-${process.pid}-${seq}`;
    meta.seq = seq;
  }
  if (lose > 0) {
    lose -= 1;
    return;
  }
  queue.push({ name: `patients.patient.${action}`, payload: { feature: "patients", entity: "patient", action, data, meta } });
}

function flush() {
  const batch = queue.concat(delayed);
  queue = [];
  delayed = [];
  // Stable sort: within one priority, the order of the changes.
  batch.sort((a, b) => priorities.indexOf(a.payload.meta.priority) - priorities.indexOf(b.payload.meta.priority));
  for (const e of batch) {
    io.to("feature:patients").emit(e.name, e.payload);
    io.to("entity:patient").emit(e.name, e.payload);
    eventsSent += 1;
    if (delayedDuplicates > 0 && !e.again && random() < delayedDuplicates) delayed.push({ ...e, again: true });
  }
}
setInterval(flush, flushMs);

// ---------------------------------------------------------------------------------------
// REST

let requests = 0;
// GET /api/patients/:id answered (record reads, as opposed to list reads).
let reads = 0;
// Bumped by every write; a cached list answer of an older generation is stale.
let generation = 0;
const listCache = new Map();
function changed() {
  generation += 1;
  listCache.clear();
  save();
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
function fail(res, status, code, message, details) {
  const error = { code, message, statusCode: status };
  if (details) error.details = details;
  send(res, status, { success: false, error });
}

// Tokens survive a restart, as JWTs signed with a fixed secret do.
function tokenFor(email, kind) {
  return `${kind}.${Buffer.from(email).toString("base64url")}`;
}
function userOfToken(token, kind) {
  if (typeof token !== "string" || !token.startsWith(kind + ".")) return null;
  const email = Buffer.from(token.slice(kind.length + 1), "base64url").toString();
  return users[email] ? { email, ...users[email] } : null;
}
function tokens(user) {
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    accessToken: tokenFor(user.email, "access"),
    refreshToken: tokenFor(user.email, "refresh"),
    expiresIn: 900,
  };
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString();
      if (!text) return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        resolve(undefined);
      }
    });
  });
}

function compare(a, b) {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return a < b ? -1 : 1;
}

function selectRows(query) {
  let rows = Object.values(db.records);
  const search = (query.get("search") || "").toLowerCase();
  if (search) rows = rows.filter((r) => ["hn", "name", "ward"].some((f) => String(r[f] || "").toLowerCase().includes(search)));
  for (const f of fields) {
    if (query.has(f)) rows = rows.filter((r) => String(r[f]) === query.get(f));
  }
  const sort = (query.get("sort") || "id:asc").split(",").map((s) => s.split(":"));
  rows.sort((a, b) => {
    for (const [f, dir] of sort) {
      const c = compare(a[f], b[f]);
      if (c) return dir === "desc" ? -c : c;
    }
    return a.id - b.id;
  });
  return rows;
}

function list(res, query) {
  const page = Math.max(1, Number(query.get("page") || "1"));
  const limit = Number(query.get("limit") || "20");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    return fail(res, 400, "VALIDATION_ERROR", "limit must be between 1 and 1000", [
      { field: "limit", message: "must be between 1 and 1000", code: "RANGE", value: query.get("limit") },
    ]);
  const key = JSON.stringify([query.get("search"), query.get("sort"), fields.map((f) => query.get(f))]);
  let rows = listCache.get(key);
  if (!rows) {
    rows = selectRows(query);
    listCache.set(key, rows);
  }
  const total = rows.length;
  const totalPages = Math.max(1, Math.ceil(total / limit));
  send(res, 200, {
    success: true,
    data: rows.slice((page - 1) * limit, page * limit),
    pagination: { page, limit, total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
  });
}

function touch(record) {
  record.updated_at = new Date().toISOString();
  if (withVersions) record.version += 1;
}

function validate(body, creating) {
  const details = [];
  for (const f of ["hn", "name"]) {
    if (creating && (typeof body[f] !== "string" || body[f].trim() === ""))
      details.push({ field: f, message: `${f} is required`, code: "REQUIRED", value: body[f] ?? null });
    else if (!creating && f in body && (typeof body[f] !== "string" || body[f].trim() === ""))
      details.push({ field: f, message: `${f} cannot be empty`, code: "REQUIRED", value: body[f] });
  }
  return details;
}

async function handle(req, res) {
  requests += 1;
  const url = new URL(req.url, "http://localhost");
  const path = url.pathname.replace(/\/+$/, "");
  const body = req.method === "GET" ? {} : await readBody(req);
  if (body === undefined) return fail(res, 400, "BAD_REQUEST", "The body is not valid JSON");

  if (req.method === "POST" && path === "/api/auth/login") {
    if (failLogins > 0) {
      failLogins -= 1;
      return fail(res, 500, "INTERNAL_SERVER_ERROR", "The authentication service is unavailable");
    }
    const user = users[body.email];
    if (!user || user.password !== body.password) return fail(res, 401, "INVALID_CREDENTIALS", "Invalid email or password");
    return send(res, 200, { success: true, data: tokens({ email: body.email, ...user }) });
  }
  if (req.method === "POST" && path === "/api/auth/refresh") {
    const user = userOfToken(body.refreshToken, "refresh");
    if (!user) return fail(res, 401, "INVALID_REFRESH_TOKEN", "Invalid refresh token");
    return send(res, 200, { success: true, data: tokens(user) });
  }

  const auth = req.headers.authorization || "";
  const user = userOfToken(auth.replace(/^Bearer /, ""), "access");
  if (!user) return fail(res, 401, "UNAUTHORIZED", "Authentication required");

  const m = /^\/api\/patients(?:\/([^/]+))?$/.exec(path);
  if (!m) return fail(res, 404, "NOT_FOUND", `Route ${req.method} ${path} not found`);
  const id = m[1];
  if (req.method !== "GET" && holdAnswers > 0) {
    holdAnswers -= 1;
    out({ held: `${req.method} ${path}` });
    res = heldResponse(res);
  }
  if (id === undefined) {
    if (req.method === "GET") {
      if (listDelayMs <= 0) return list(res, url.searchParams);
      // The answer as the list was when asked, sent later.
      const late = { writeHead: (...a) => res.writeHead(...a), end: (...a) => setTimeout(() => res.end(...a), listDelayMs) };
      return list(late, url.searchParams);
    }
    if (req.method !== "POST") return fail(res, 404, "NOT_FOUND", `Route ${req.method} ${path} not found`);
    const details = validate(body, true);
    if (details.length) return fail(res, 400, "VALIDATION_ERROR", "Validation failed", details);
    if (Object.values(db.records).some((r) => r.hn === body.hn))
      return fail(res, 409, "DUPLICATE_ENTRY", `HN ${body.hn} already exists`, [
        { field: "hn", message: "already exists", code: "UNIQUE", value: body.hn },
      ]);
    const now = new Date().toISOString();
    const record = { id: db.nextId++, hn: body.hn, name: body.name, ward: body.ward ?? null, status: body.status ?? "admitted", created_at: now, updated_at: now };
    if (withVersions) record.version = 1;
    db.records[record.id] = record;
    changed();
    announce("created", record, user.id, "normal");
    return send(res, 201, { success: true, data: record, message: "Created" });
  }

  const record = db.records[id];
  if (req.method === "GET") {
    reads += 1;
    if (failReads > 0) {
      failReads -= 1;
      return fail(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
    }
    if (!record) {
      if (missingStatus === 404) return fail(res, 404, "NOT_FOUND", `Patient ${id} not found`);
      return fail(res, 400, "VALIDATION_ERROR", `Patient with ID ${id} not found`);
    }
    return send(res, 200, { success: true, data: record });
  }
  if (req.method === "PUT") {
    if (!record) return fail(res, 404, "NOT_FOUND", `Patient ${id} not found`);
    const details = validate(body, false);
    if (details.length) return fail(res, 400, "VALIDATION_ERROR", "Validation failed", details);
    for (const f of fields) if (f in body) record[f] = body[f];
    touch(record);
    changed();
    const announced = { ...record };
    if (partialUpdates) {
      for (const f of Object.keys(announced)) if (f !== "id" && f !== "updated_at" && !(f in body)) delete announced[f];
    }
    announce("updated", announced, user.id, updatePriority || priorities[Math.floor(random() * priorities.length)]);
    return send(res, 200, { success: true, data: record, message: "Updated" });
  }
  if (req.method === "DELETE") {
    if (!record) return fail(res, 404, "NOT_FOUND", `Patient ${id} not found`);
    delete db.records[id];
    changed();
    announce("deleted", { id: String(record.id) }, user.id, "high");
    return send(res, 200, { success: true, data: { id: record.id }, message: "Deleted" });
  }
  return fail(res, 404, "NOT_FOUND", `Route ${req.method} ${path} not found`);
}

// ---------------------------------------------------------------------------------------
// Token trouble, as a real deployment has it (livedesk's refresh-failure tests):
//   --token-ttl S     access tokens expire S seconds after they are issued (default: never);
//                     REST answers 401 and the socket refuses an expired token
//   --refresh-fails   POST /api/auth/refresh answers 500 (an auth service that is down)
// With either option every sign-in prints {"login":N} (N: sign-ins so far).
const tokenTtl = Number(opt("--token-ttl", "0"));
const refreshFails = flag("--refresh-fails");
let logins = 0;
if (tokenTtl > 0) {
  const plainTokenFor = tokenFor;
  const plainUserOfToken = userOfToken;
  tokenFor = (email, kind) =>
    kind === "access" ? `${plainTokenFor(email, kind)}~${Date.now() + tokenTtl * 1000}` : plainTokenFor(email, kind);
  userOfToken = (token, kind) => {
    if (kind !== "access" || typeof token !== "string") return plainUserOfToken(token, kind);
    const [plain, expires] = token.split("~");
    if (!expires || Number(expires) < Date.now()) return null;
    return plainUserOfToken(plain, kind);
  };
}
{
  const plainHandle = handle;
  handle = async (req, res) => {
    const path = new URL(req.url, "http://localhost").pathname.replace(/\/+$/, "");
    if ((tokenTtl > 0 || refreshFails) && req.method === "POST" && path === "/api/auth/login")
      out({ login: ++logins });
    if (refreshFails && req.method === "POST" && path === "/api/auth/refresh") {
      requests += 1;
      return fail(res, 500, "INTERNAL_SERVER_ERROR", "The authentication service is unavailable");
    }
    return plainHandle(req, res);
  };
}

const httpServer = http.createServer((req, res) => {
  handle(req, res).catch((e) => fail(res, 500, "INTERNAL_ERROR", String(e)));
});

// ---------------------------------------------------------------------------------------
// Socket.IO

// As AegisX: an upgrade at another path is left hanging, not refused (no error ever comes).
const io = new Server(httpServer, { path: wsPath, transports: ["websocket"], destroyUpgrade: false });
io.use((socket, next) => {
  if (userOfToken(socket.handshake.auth && socket.handshake.auth.token, "access")) return next();
  const err = new Error("invalid token");
  err.data = { code: "UNAUTHORIZED" };
  next(err);
});
let timeouts = 0;
io.on("connection", (socket) => {
  out({ connection: socket.id });
  const user = userOfToken(socket.handshake.auth && socket.handshake.auth.token, "access");
  // AegisX's transport and its connection manager each announce the connection.
  socket.emit("connection:established", { socketId: socket.id, timestamp: new Date().toISOString() });
  socket.emit("connection:established", {
    clientId: socket.id,
    userId: user ? user.id : null,
    authenticated: !!user,
    priority: "normal",
    timestamp: new Date().toISOString(),
    server: "aegisx-api",
    version: "1.0.0",
    capabilities: ["realtime-events", "bulk-operations", "conflict-resolution", "priority-queue"],
  });
  // Inactivity counts what the client sends (events), not the Engine.IO heartbeat.
  let lastActivity = Date.now();
  socket.onAny(() => {
    lastActivity = Date.now();
  });
  const inactivity = setInterval(() => {
    if (Date.now() - lastActivity < inactivityMs) return;
    clearInterval(inactivity);
    timeouts += 1;
    out({ timeout: socket.id });
    socket.emit("connection:timeout", { reason: "inactivity", timeout: inactivityMs, timestamp: new Date().toISOString() });
    setTimeout(() => socket.disconnect(true), 50);
  }, Math.max(50, Math.min(1000, inactivityMs / 4)));
  socket.on("disconnect", (reason) => {
    clearInterval(inactivity);
    out({ disconnect: socket.id, reason });
  });
  socket.on("subscribe:features", (body) => {
    const features = (body && body.features) || [];
    const entities = (body && body.entities) || [];
    const rooms = [...features.map((f) => `feature:${f}`), ...entities.map((e) => `entity:${e}`)];
    const confirm = () => {
      if (socket.disconnected) return;
      rooms.forEach((r) => socket.join(r));
      out({ subscribed: { sid: socket.id, features, entities } });
      socket.emit("subscribe:confirmed", { features, entities, rooms, timestamp: new Date().toISOString() });
    };
    if (confirmDelayMs > 0) setTimeout(confirm, confirmDelayMs);
    else confirm();
  });
  socket.on("ping", () => socket.emit("pong", { timestamp: new Date().toISOString() }));
});

const stdin = readline.createInterface({ input: process.stdin });
stdin.on("line", (line) => {
  let c;
  try {
    c = JSON.parse(line);
  } catch (e) {
    return out({ error: `not JSON: ${line}` });
  }
  const done = (extra) => c.id !== undefined && out({ done: c.id, ...extra });
  switch (c.cmd) {
    case "dropEngines":
      for (const conn of Object.values(io.engine.clients)) conn.close();
      return done();
    case "lose":
      lose += Number(c.count || 1);
      return done();
    case "failReads":
      failReads += Number(c.count || 1);
      return done();
    case "failLogins":
      failLogins += Number(c.count || 1);
      return done();
    case "holdAnswers":
      holdAnswers += Number(c.count || 1);
      return done();
    case "releaseAnswers":
      releaseAnswers();
      return done();
    case "flush":
      flush();
      return done();
    case "records":
      return done({ records: Object.values(db.records).sort((a, b) => a.id - b.id) });
    case "burst": {
      let ids = Object.keys(db.records);
      if (c.ward) ids = ids.filter((id) => db.records[id].ward === c.ward);
      const count = c.every ? ids.length : Number(c.count || 1);
      const touched = [];
      for (let i = 0; i < count && ids.length; i++) {
        const record = db.records[ids[c.every ? i : Math.floor(random() * ids.length)]];
        record.name = `Burst ${c.tag ?? 0}.${i}`;
        touch(record);
        announce("updated", { ...record }, "system", priorities[Math.floor(random() * priorities.length)]);
        if (count <= 1000) touched.push(record.id);
      }
      changed();
      return done({ ids: touched });
    }
    case "digest": {
      let count = 0;
      let versionSum = 0;
      let jsonBytes = 0;
      for (const r of Object.values(db.records)) {
        count += 1;
        versionSum += r.version || 0;
        jsonBytes += Buffer.byteLength(JSON.stringify(r));
      }
      return done({ count, versionSum, jsonBytes });
    }
    case "stats":
      return done({ requests, reads: reads, events: eventsSent, sockets: io.engine.clientsCount, timeouts });
    case "quit":
      process.exit(0);
    default:
      out({ error: `unknown command ${c.cmd}` });
  }
});
stdin.on("close", () => process.exit(0));

httpServer.listen(port, "127.0.0.1", () => out({ ready: true, port: httpServer.address().port }));
