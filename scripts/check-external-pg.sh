#!/usr/bin/env bash
# Acceptance check: against an external PostgreSQL (a throwaway Debian PostgreSQL 15 cluster),
#   DATABASE_URL=… npm run db:migrate   applies every migration offline, and
#   DATABASE_URL=… npm run db:status    exits 0 and says the schema is up to date.
# Installs Debian's postgresql-15 when it is missing (needs root and the Debian mirror), creates a
# cluster in a temp dir on a free loopback port, and removes it on exit. Prints PASS or FAIL.
#   bash scripts/check-external-pg.sh
set -uo pipefail

ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
DB=gongzhi

fail() { echo "FAIL: external PostgreSQL 15: $*"; exit 1; }
as_postgres() { runuser -u postgres -- "$@"; }

[ "$(id -u)" = 0 ] || fail "run as root (the cluster runs as the postgres user)"

if [ ! -x "$PGBIN/initdb" ]; then
  echo "== installing Debian's postgresql-15"
  # No default cluster on 5432: we only want the binaries.
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf
  fi
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold postgresql-15 \
    || fail "apt-get install postgresql-15 failed"
fi
id postgres >/dev/null 2>&1 || fail "no postgres user"

WORK=$(mktemp -d /tmp/gongzhi-pg15-XXXXXX)
DATA=$WORK/data
cleanup() {
  if [ -f "$DATA/postmaster.pid" ]; then as_postgres "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PASSWORD=$(node -e "console.log(require('node:crypto').randomBytes(18).toString('base64url'))")
PORT=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
chmod 711 "$WORK"
printf '%s\n' "$PASSWORD" > "$WORK/pwfile"
chown -R postgres:postgres "$WORK"

echo "== initdb + start PostgreSQL 15 on 127.0.0.1:$PORT ($DATA)"
as_postgres "$PGBIN/initdb" -D "$DATA" -U postgres --pwfile="$WORK/pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
  >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log"; fail "initdb failed"; }
rm -f "$WORK/pwfile"
as_postgres "$PGBIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$WORK" start >/dev/null \
  || { cat "$WORK/server.log"; fail "pg_ctl start failed"; }

export DATABASE_URL="postgresql://postgres:$PASSWORD@127.0.0.1:$PORT/$DB"
cd "$ROOT" || fail "no project root"
EXPECTED=$(find prisma/migrations -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)

echo "== npm run db:migrate   (database $DB does not exist yet)"
start=$(date +%s.%N)
npm run --silent db:migrate; MIGRATE_RC=$?
echo "[exit $MIGRATE_RC, $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s]"

echo "== npm run db:status"
start=$(date +%s.%N)
STATUS_OUT=$(npm run --silent db:status 2>&1); STATUS_RC=$?
echo "$STATUS_OUT"
echo "[exit $STATUS_RC, $(printf '%.1f' "$(echo "$(date +%s.%N) - $start" | bc)") s]"

APPLIED=$(PGPASSWORD=$PASSWORD "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB" -Atc \
  'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1' 2>&1)
VERSION=$(PGPASSWORD=$PASSWORD "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d "$DB" -Atc 'SHOW server_version' 2>&1)

[ "$MIGRATE_RC" = 0 ] || fail "npm run db:migrate exited $MIGRATE_RC"
[ "$STATUS_RC" = 0 ] || fail "npm run db:status exited $STATUS_RC"
grep -q 'up to date' <<<"$STATUS_OUT" || fail "db:status did not say 'up to date'"
[ "$APPLIED" = "$EXPECTED" ] || fail "_prisma_migrations holds [$APPLIED], expected [$EXPECTED]"
echo "PASS: external PostgreSQL $VERSION: db:migrate applied $(wc -l <<<"$EXPECTED") migration(s) offline, db:status is up to date"
