#!/usr/bin/env bash
# Proves that the admin commands and the server reach nothing beyond this machine: each runs with
# scripts/ci/no-network.cjs preloaded (inherited by child processes), which records every DNS
# look-up of a name other than localhost and every connection to a non-loopback address. A
# government network treats such a look-up as an alarm; this check fails on the first one.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
log="$work/outbound.log"
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
export NO_NETWORK_LOG="$log" NODE_OPTIONS="--require $PWD/scripts/ci/no-network.cjs" DATA_DIR="$work/data"

run() { printf '  %s\n' "$*"; "$@" >"$work/out" 2>&1 || { cat "$work/out"; echo "offline check: '$*' failed"; exit 1; }; }
run npm run --silent db:generate
run npm run --silent db:migrate
run npm run --silent db:status
run npm run --silent db:drift
run npm run --silent db:seed
run npm run --silent token -- --role ADMIN --username admin

printf '  %s\n' 'server (start, /readyz, SIGINT)'
PORT=47111 HOST=127.0.0.1 node dist/main.js >"$work/server.out" 2>&1 &
server=$!
get() { node -e "fetch('http://127.0.0.1:47111$1', $2).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; }
for _ in $(seq 1 240); do
  get /readyz '{}' && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.out"; echo 'offline check: the server exited'; exit 1; }
  sleep 0.5
done
get /graphql "{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }" \
  || { echo 'offline check: the server did not answer'; exit 1; }
kill -INT "$server"; wait "$server" || true; server=

if [ -s "$log" ]; then
  echo 'offline check: outbound connections attempted:'; cat "$log"; exit 1
fi
echo 'offline check: no DNS look-up or connection beyond loopback'
