#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on 127.0.0.1, then stop it.
# Installs Debian's postgresql when missing; the server runs as the `postgres` user.
set -euo pipefail

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql
fi
PGBIN=$(pg_bin)
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres

WORK=$(mktemp -d /tmp/charity-pg.XXXXXX)
chmod 755 "$WORK"
chown postgres "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-h 127.0.0.1 -p $PORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
psql_pg() { as_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
# The owner runs migrations; the app connects as a role that owns nothing, so Row-Level Security binds it
# (it fails closed; the default privileges below reach every table but the owner-only RLS key table,
# which `flask db upgrade` revokes again — core/tenancy/rls.py).
psql_pg -c "CREATE ROLE charity_owner LOGIN NOSUPERUSER" \
        -c "CREATE ROLE charity_app LOGIN NOSUPERUSER" \
        -c "CREATE DATABASE charity_test OWNER charity_owner"
psql_pg -d charity_test \
  -c "ALTER DEFAULT PRIVILEGES FOR ROLE charity_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO charity_app" \
  -c "ALTER DEFAULT PRIVILEGES FOR ROLE charity_owner GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO charity_app"

echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
export TEST_DATABASE_URL="postgresql+psycopg://charity_app@127.0.0.1:$PORT/charity_test"
export TEST_DATABASE_OWNER_URL="postgresql+psycopg://charity_owner@127.0.0.1:$PORT/charity_test"
set +e
"$@"
status=$?
set -e
exit $status
