#!/bin/bash
# Entrypoint of sdmi/db:1: one PostgreSQL node of the multi-master database
# tier. Runs as the postgres user with tini as PID 1.
#
# First start: initdb, the role $SDMI_DB_USER, database `app` and table
# `items`, whose id sequence starts in this node's own range.
# Every start: pg_hba.conf is rendered from the environment, then postgres
# replaces this shell, so signals from tini reach the postmaster directly.
#
# Environment:
#   SDMI_REPLICA_INDEX  1-based node index k (required on first start). The
#                       items id sequence starts at k * 2147483647 + 1, so
#                       nodes never hand out the same id.
#   SDMI_DB_USER        role for the app tier and for replication (default: app)
#   SDMI_DB_PASSWORD    password of that role (default: empty, which lets
#                       network clients in without a password)
#   SDMI_DB_ALLOW_CIDRS comma-separated networks allowed to connect over TCP
#                       (default: 0.0.0.0/0, because the OpenFlow rules of the
#                       switch decide who reaches this port)
#
# Publications and subscriptions are not created here. The controller creates
# them with `docker exec CONTAINER psql -d app ...` as nodes join and leave.
set -euo pipefail

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGDATA
db_user="${SDMI_DB_USER:-app}"
db_password="${SDMI_DB_PASSWORD:-}"
allow_cidrs="${SDMI_DB_ALLOW_CIDRS:-0.0.0.0/0}"

log() {
  printf 'sdmi-db: %s\n' "$*" >&2
}

# The newest installed server version, for example /usr/lib/postgresql/17/bin.
pg_bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)"
[[ -x "$pg_bin/postgres" ]] || {
  log "error: no PostgreSQL server found under /usr/lib/postgresql"
  exit 1
}

if [[ ! "$db_user" =~ ^[a-z_][a-z0-9_]*$ ]]; then
  log "error: invalid SDMI_DB_USER '$db_user' (expected a lower-case SQL identifier)"
  exit 1
fi

# Rewrite pg_hba.conf from the environment. Local socket connections (docker
# exec) are trusted. TCP clients from the allowed networks use
# scram-sha-256 when a password is set and trust otherwise. Logical
# replication connections match these "all" lines because they name a
# database.
render_pg_hba() {
  local method=trust cidr
  [[ -n "$db_password" ]] && method=scram-sha-256
  {
    echo "# Written by the sdmi/db:1 entrypoint at every start. Edits are lost."
    echo "local all all trust"
    echo "host all all 127.0.0.1/32 trust"
    echo "host all all ::1/128 trust"
    IFS=',' read -r -a cidrs <<<"$allow_cidrs"
    for cidr in "${cidrs[@]}"; do
      cidr="${cidr//[[:space:]]/}"
      [[ -n "$cidr" ]] || continue
      if [[ ! "$cidr" =~ ^[0-9a-fA-F:.]+/[0-9]+$ ]]; then
        log "error: invalid network '$cidr' in SDMI_DB_ALLOW_CIDRS (expected address/prefix)"
        exit 1
      fi
      echo "host all all $cidr $method"
    done
  } >"$PGDATA/pg_hba.conf"
}

# Create the role, database and table, with the id sequence starting in this
# node's range. Runs once, against a server that listens on the Unix socket
# only.
initialize_database() {
  local replica_index="${SDMI_REPLICA_INDEX:-}"
  if [[ ! "$replica_index" =~ ^[1-9][0-9]*$ ]]; then
    log "error: SDMI_REPLICA_INDEX must be a positive integer on first start, got '${replica_index}'"
    exit 1
  fi
  local sequence_start=$((replica_index * 2147483647 + 1))
  local password_clause="PASSWORD NULL"
  # The password goes through psql's standard input, never through argv.
  [[ -n "$db_password" ]] && password_clause="PASSWORD '${db_password//\'/\'\'}'"

  "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL
CREATE ROLE "$db_user" LOGIN REPLICATION $password_clause;
CREATE DATABASE app OWNER "$db_user";
\connect app
SET ROLE "$db_user";
CREATE TABLE items (
  id bigint PRIMARY KEY,
  body text NOT NULL,
  created_at timestamptz DEFAULT now()
);
CREATE SEQUENCE items_id_seq AS bigint START WITH $sequence_start OWNED BY items.id;
ALTER TABLE items ALTER COLUMN id SET DEFAULT nextval('items_id_seq');
SQL
  log "initialized database app for node $replica_index (ids from $sequence_start)"
}

# The marker file is written after the last initialization step. A data
# directory without it comes from a first start that failed part way, so it
# is emptied and initialized again.
init_marker="$PGDATA/sdmi-initialized"
if [[ ! -f "$init_marker" ]]; then
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  if [[ -n "$(ls -A "$PGDATA")" ]]; then
    log "removing the incomplete data directory $PGDATA left by a failed first start"
    find "$PGDATA" -mindepth 1 -delete
  fi
  log "first start: running initdb in $PGDATA"
  "$pg_bin/initdb" -D "$PGDATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  # Sized for a logical replication mesh of up to 8 nodes. Each node runs
  # one walsender and slot per subscriber (7) and one apply worker per
  # subscription (7). PostgreSQL 16+ may add up to 2 parallel apply workers
  # per subscription from the same worker pool.
  cat >>"$PGDATA/postgresql.conf" <<'CONF'

# Added by the sdmi/db:1 entrypoint.
listen_addresses = '*'
port = 5432
wal_level = logical
max_wal_senders = 16
max_replication_slots = 16
max_logical_replication_workers = 24
max_worker_processes = 32
password_encryption = scram-sha-256
log_destination = 'stderr'
logging_collector = off
log_line_prefix = '%m [%p] %q%u@%d '
CONF
  render_pg_hba
  "$pg_bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=''" -w -t 60 start >/dev/null
  initialize_database
  "$pg_bin/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
  touch "$init_marker"
fi

render_pg_hba
log "starting $("$pg_bin/postgres" --version) on 0.0.0.0:5432"
exec "$pg_bin/postgres" -D "$PGDATA"
