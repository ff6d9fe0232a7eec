#!/bin/bash
# Entrypoint of sdmi/journal:1: a PostgreSQL server that stores the Akka.NET
# journal and snapshots of SDMI nodes. Runs as the postgres user with tini as
# PID 1.
#
# First start: initdb, then the role `sdmi` with SDMI_JOURNAL_PASSWORD and the
# database `sdmi` that it owns. The nodes create their schema and tables.
# Every start: postgres replaces this shell and listens on 127.0.0.1 only.
# TCP clients log in with scram-sha-256; the Unix socket (docker exec) trusts
# local users.
#
# Environment:
#   SDMI_JOURNAL_PASSWORD  password of the role sdmi (required on first start)
#   SDMI_JOURNAL_PORT      TCP port on 127.0.0.1 (default 55432)
set -euo pipefail

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
port="${SDMI_JOURNAL_PORT:-55432}"

log() {
  printf 'sdmi-journal: %s\n' "$*" >&2
}

pg_bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)"
[[ -x "$pg_bin/postgres" ]] || {
  log "error: no PostgreSQL server found under /usr/lib/postgresql"
  exit 1
}
if [[ ! "$port" =~ ^[0-9]+$ ]] || ((port < 1024 || port > 65535)); then
  log "error: invalid SDMI_JOURNAL_PORT '$port' (expected a port number from 1024 to 65535)"
  exit 1
fi

# Runs once. The marker is written last, so a first start that failed part
# way is started over from an empty data directory.
init_marker="$PGDATA/sdmi-initialized"
if [[ ! -f "$init_marker" ]]; then
  password="${SDMI_JOURNAL_PASSWORD:-}"
  if [[ -z "$password" ]]; then
    log "error: SDMI_JOURNAL_PASSWORD is empty; set the journal role's password"
    exit 1
  fi
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  find "$PGDATA" -mindepth 1 -delete
  log "first start: running initdb in $PGDATA"
  "$pg_bin/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # A server on the Unix socket only runs the setup, and psql stops at the
  # first error. The password goes through standard input, never through a
  # process's arguments.
  "$pg_bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w -t 60 start >/dev/null
  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE sdmi LOGIN PASSWORD '${password//\'/\'\'}';
CREATE DATABASE sdmi OWNER sdmi;
SQL
  "$pg_bin/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
  touch "$init_marker"
fi

log "starting $("$pg_bin/postgres" --version) on 127.0.0.1:$port"
exec "$pg_bin/postgres" -D "$PGDATA" -c listen_addresses=127.0.0.1 -c port="$port" \
  -c log_line_prefix='%m [%p] %q%u@%d '
