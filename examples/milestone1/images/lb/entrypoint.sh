#!/bin/bash
# Entrypoint of sdmi/lb:1: nginx terminating TLS on 0.0.0.0:443 in front of
# the app tier. Runs as root with tini as PID 1, and nginx workers run as
# www-data.
#
# Environment:
#   SDMI_DEPENDENCY_APP    comma-separated IPv4 addresses of the app replicas
#                          (port 8080)
#   SDMI_TLS_COMMON_NAME   common name and DNS name of the self-signed
#                          certificate (default: sdmi-lb)
set -euo pipefail

certificate_dir=/etc/nginx/sdmi
common_name="${SDMI_TLS_COMMON_NAME:-sdmi-lb}"

if [[ ! "$common_name" =~ ^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$ ]]; then
  echo "sdmi-lb: error: invalid SDMI_TLS_COMMON_NAME '$common_name' (expected a DNS name)" >&2
  exit 1
fi

# A restarted container keeps its key pair, and a new container gets a new one.
if [[ ! -s "$certificate_dir/tls.key" || ! -s "$certificate_dir/tls.crt" ]]; then
  install -d -m 0700 "$certificate_dir"
  openssl req -x509 -nodes -days 825 \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -subj "/CN=$common_name" -addext "subjectAltName=DNS:$common_name" \
    -keyout "$certificate_dir/tls.key" -out "$certificate_dir/tls.crt" 2>/dev/null
  chmod 0600 "$certificate_dir/tls.key"
  echo "sdmi-lb: generated a self-signed certificate for CN=$common_name" >&2
fi

/usr/local/bin/sdmi-lb-render-config "${SDMI_DEPENDENCY_APP:-}"
nginx -t -q
exec nginx -g 'daemon off;'
