#!/usr/bin/env bash
# Runs the official Socket.IO / Engine.IO protocol test suites against livedesk's conformance
# server (SocketIoConformance, built as siosrv-conformance-server).
#
#   run-protocol-suites.sh [--all] BUILD_DIR SUITE_DIR [SUITE_DIR...]
#
# SUITE_DIR is the `test-suite/` directory of a checkout of github.com/socketio/socket.io-protocol
# or github.com/socketio/engine.io-protocol (this repository does not carry their code). Each is
# copied to a temporary directory and its pinned devDependencies are installed there with
# `npm ci` (from the npm registry only). The suites expect the server on localhost:3000, so that
# port must be free.
#
# Without --all only the WebSocket tests run: livedesk-server offers no HTTP long-polling, so the
# polling, "upgrade" and polling-handshake tests cannot pass and are left out.
set -euo pipefail

all=0
if [[ ${1:-} == --all ]]; then
    all=1
    shift
fi
if [[ $# -lt 2 ]]; then
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
build="$(cd "$1" && pwd)"
shift
server="$(find "$build" -name siosrv-conformance-server -type f -perm -u+x | head -n 1)"
if [[ -z $server ]]; then
    echo "siosrv-conformance-server not found under $build: build it first" >&2
    exit 1
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$server" --port 3000 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do
    grep -q 'listening on' "$work/server.log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done

# Full titles look like "Engine.IO protocol heartbeat WebSocket should send ping/pong packets".
grep_args=(--grep '(handshake|heartbeat|close|message) WebSocket |^Socket\.IO protocol')
((all)) && grep_args=()

status=0
n=0
for suite in "$@"; do
    n=$((n + 1))
    copy="$work/suite$n"
    mkdir -p "$copy"
    cp "$suite"/package.json "$suite"/package-lock.json "$suite"/*.js "$copy"/
    echo "==> $suite" >&2
    (cd "$copy" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    (cd "$copy" && npx mocha "${grep_args[@]}" test-suite.js) || status=1
done
exit $status
