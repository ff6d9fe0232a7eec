# shellcheck shell=bash
# Shared helpers for the bash scripts under tools/. Source this file. It
# defines functions and variables only and changes no shell options.

# Docker client from the docker.io package. /usr/local/bin/docker may hold a
# newer client that also works (it negotiates API 1.41 down), but
# /usr/bin/docker matches the engine that tools/setup starts, and its
# `docker build` uses the classic builder without asking for buildx.
SDMI_DOCKER="${SDMI_DOCKER:-/usr/bin/docker}"
export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"

SDMI_LOG_DIR="${SDMI_LOG_DIR:-/var/log/sdmi}"
SDMI_CACHE_DIR="${SDMI_CACHE_DIR:-/var/cache/sdmi}"
SDMI_ETC_DIR="${SDMI_ETC_DIR:-/etc/sdmi}"

# Print one progress line for a setup step.
sdmi_log() {
  printf '[sdmi] %s\n' "$*"
}

# Print an error to stderr and exit with status 1.
sdmi_die() {
  printf '[sdmi] error: %s\n' "$*" >&2
  exit 1
}

# Run the docker client, the same binary for every script, with the given
# arguments.
sdmi_docker() {
  "$SDMI_DOCKER" "$@"
}

# Poll COMMAND every half second until it succeeds or TIMEOUT seconds pass.
# Usage: sdmi_wait_for TIMEOUT DESCRIPTION COMMAND [ARGS...]
# Returns 1 after the timeout, with an error naming DESCRIPTION on stderr.
sdmi_wait_for() {
  local timeout_seconds="$1" description="$2"
  shift 2
  local attempts=$((timeout_seconds * 2)) attempt
  for ((attempt = 0; attempt < attempts; attempt++)); do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.5
  done
  printf '[sdmi] error: timed out after %ss waiting for %s\n' \
    "$timeout_seconds" "$description" >&2
  return 1
}

# Return 0 when the Debian package PACKAGE is installed.
sdmi_package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# Install the given Debian packages that are not installed yet. Runs
# `apt-get update` once before the first install of a run. Waits up to two
# minutes for the dpkg lock, because other scripts may be installing too.
sdmi_apt_install_missing() {
  local missing=() package
  for package in "$@"; do
    sdmi_package_installed "$package" || missing+=("$package")
  done
  if ((${#missing[@]} == 0)); then
    sdmi_log "packages: all ${#} present"
    return 0
  fi
  sdmi_log "packages: installing ${missing[*]}"
  if [[ -z "${SDMI_APT_UPDATED:-}" ]]; then
    apt-get -o DPkg::Lock::Timeout=120 -qq update >/dev/null
    SDMI_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -qq \
    install -y --no-install-recommends "${missing[@]}" >/dev/null
}
