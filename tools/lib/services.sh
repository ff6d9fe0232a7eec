# shellcheck shell=bash
# Start the host services SDMI needs: Docker Engine, Open vSwitch and
# PostgreSQL 15. Each function skips its work when the service already runs.
# Source tools/lib/common.sh first. These machines have no working init
# system (PID 1 is not systemd), so the daemons are started directly.

# Start dockerd without any Docker networking: no docker0 bridge, no iptables
# rules and no masquerading. Containers run with network mode "none" and SDMI
# wires their namespaces into Open vSwitch itself.
sdmi_start_dockerd() {
  if sdmi_docker info >/dev/null 2>&1; then
    sdmi_log "dockerd: already running"
    return 0
  fi
  if pgrep -x dockerd >/dev/null; then
    sdmi_log "dockerd: process exists but does not answer yet, waiting"
  else
    mkdir -p "$SDMI_LOG_DIR"
    sdmi_log "dockerd: starting (log: $SDMI_LOG_DIR/dockerd.log)"
    # setsid detaches dockerd from this script's session so that it keeps
    # running after the script exits.
    setsid /usr/sbin/dockerd --bridge=none --iptables=false --ip-masq=false \
      >>"$SDMI_LOG_DIR/dockerd.log" 2>&1 </dev/null &
  fi
  sdmi_wait_for 60 "dockerd to answer 'docker info' (see $SDMI_LOG_DIR/dockerd.log)" \
    sdmi_docker info || return 1
}

# Start ovsdb-server and ovs-vswitchd. SDMI bridges use the userspace
# datapath (datapath_type=netdev), so no kernel module is needed.
sdmi_start_ovs() {
  if ovs-vsctl --timeout=2 show >/dev/null 2>&1 &&
    ovs-appctl -t ovs-vswitchd --timeout=2 version >/dev/null 2>&1; then
    sdmi_log "openvswitch: already running"
    return 0
  fi
  sdmi_log "openvswitch: starting ovsdb-server and ovs-vswitchd"
  # ovs-ctl warns "ulimit: error setting limit" when the hard limit on open
  # files is below 65535. ovs-vswitchd then runs with the lower limit.
  /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random \
    >>"$SDMI_LOG_DIR/ovs-ctl.log" 2>&1 ||
    sdmi_die "ovs-ctl start failed (see $SDMI_LOG_DIR/ovs-ctl.log)"
  sdmi_wait_for 20 "ovs-vswitchd to answer" \
    ovs-appctl -t ovs-vswitchd --timeout=2 version || return 1
  ovs-vsctl --timeout=5 show >/dev/null
}

SDMI_PG_VERSION=15
SDMI_PG_CLUSTER=main
SDMI_PG_CONF_DIR="/etc/postgresql/$SDMI_PG_VERSION/$SDMI_PG_CLUSTER"

# Start the PostgreSQL 15 cluster for the control plane's journal, listening
# on 127.0.0.1 only.
sdmi_start_postgres() {
  local listen_conf="$SDMI_PG_CONF_DIR/conf.d/sdmi-listen.conf"
  local wanted_listen="listen_addresses = '127.0.0.1'"
  local restart_needed=0

  if ! pg_lsclusters -h "$SDMI_PG_VERSION" "$SDMI_PG_CLUSTER" >/dev/null 2>&1; then
    sdmi_log "postgresql: creating cluster $SDMI_PG_VERSION/$SDMI_PG_CLUSTER"
    pg_createcluster "$SDMI_PG_VERSION" "$SDMI_PG_CLUSTER" >/dev/null
  fi
  if [[ "$(cat "$listen_conf" 2>/dev/null)" != "$wanted_listen" ]]; then
    mkdir -p "$(dirname "$listen_conf")"
    printf '%s\n' "$wanted_listen" >"$listen_conf"
    restart_needed=1
  fi

  local status
  status="$(pg_lsclusters -h "$SDMI_PG_VERSION" "$SDMI_PG_CLUSTER" | awk '{print $4}')"
  if [[ "$status" == online* ]] && ((restart_needed == 0)); then
    sdmi_log "postgresql: cluster $SDMI_PG_VERSION/$SDMI_PG_CLUSTER already running on 127.0.0.1:5432"
    return 0
  fi
  if [[ "$status" == online* ]]; then
    sdmi_log "postgresql: restarting $SDMI_PG_VERSION/$SDMI_PG_CLUSTER to listen on 127.0.0.1 only"
    pg_ctlcluster "$SDMI_PG_VERSION" "$SDMI_PG_CLUSTER" restart
  else
    sdmi_log "postgresql: starting cluster $SDMI_PG_VERSION/$SDMI_PG_CLUSTER on 127.0.0.1:5432"
    pg_ctlcluster "$SDMI_PG_VERSION" "$SDMI_PG_CLUSTER" start
  fi
  sdmi_wait_for 30 "PostgreSQL on 127.0.0.1:5432" \
    pg_isready -q -h 127.0.0.1 -p 5432 || return 1
}

# Write FILE (mode 0600) with the journal database's credentials: the PG*
# variables that psql and pgbench read, and SDMI_POSTGRES, the Npgsql
# connection string that the node reads. Bash can source the file.
# Usage: sdmi_write_journal_env FILE PASSWORD
sdmi_write_journal_env() {
  local env_file="$1" password="$2"
  local temporary

  mkdir -p "$(dirname "$env_file")"
  # mktemp creates the file with mode 0600, so no other user can read the
  # password, and mv replaces an earlier file in one step.
  temporary="$(mktemp "$env_file.XXXXXX")"
  cat >"$temporary" <<EOF
# PostgreSQL journal database for the SDMI control plane (written by tools/setup).
PGHOST=127.0.0.1
PGPORT=5432
PGDATABASE=sdmi
PGUSER=sdmi
PGPASSWORD=$password
SDMI_POSTGRES="Host=127.0.0.1;Port=5432;Database=sdmi;Username=sdmi;Password=$password"
EOF
  mv -f "$temporary" "$env_file"
}

# Rewrite FILE with PASSWORD when it has no SDMI_POSTGRES line. Earlier
# versions of tools/setup named the connection string
# SDMI_POSTGRES_CONNECTION_STRING, which nothing reads.
# Usage: sdmi_upgrade_journal_env FILE PASSWORD
sdmi_upgrade_journal_env() {
  local env_file="$1" password="$2"

  grep -q '^SDMI_POSTGRES=' "$env_file" && return 0
  sdmi_log "postgresql: adding SDMI_POSTGRES to $env_file"
  sdmi_write_journal_env "$env_file" "$password"
}

# Create the role and database `sdmi` with a generated password, stored in
# $SDMI_ETC_DIR/postgres.env (mode 0600). The password is never printed.
sdmi_ensure_journal_database() {
  local env_file="$SDMI_ETC_DIR/postgres.env"
  local password

  if [[ -f "$env_file" ]]; then
    password="$(sed -n 's/^PGPASSWORD=//p' "$env_file")"
    [[ -n "$password" ]] || sdmi_die "$env_file has no PGPASSWORD line. Delete the file to generate a new password."
    sdmi_upgrade_journal_env "$env_file" "$password"
    if PGPASSWORD="$password" psql -h 127.0.0.1 -p 5432 -U sdmi -d sdmi \
      -Atqc 'select 1' >/dev/null 2>&1; then
      sdmi_log "postgresql: role and database sdmi already usable"
      return 0
    fi
  else
    # Hex keeps the password free of characters that need quoting in SQL,
    # shell or connection strings.
    password="$(openssl rand -hex 24)"
    sdmi_write_journal_env "$env_file" "$password"
  fi
  chmod 0600 "$env_file"

  sdmi_log "postgresql: creating or updating role and database sdmi"
  # The SQL goes through standard input so that the password never appears in
  # a process list.
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sdmi') THEN
    CREATE ROLE sdmi LOGIN;
  END IF;
END
\$\$;
ALTER ROLE sdmi LOGIN PASSWORD '$password';
SELECT 'CREATE DATABASE sdmi OWNER sdmi'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'sdmi')
\gexec
SQL
}
