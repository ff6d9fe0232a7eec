#!/bin/bash
# Write /etc/nginx/nginx.conf for sdmi/lb:1: TLS on 0.0.0.0:443, GET /healthz
# served by nginx itself, and every other request proxied to the app tier on
# port 8080 with round-robin balancing.
#
# Usage: sdmi-lb-render-config ADDRESSES [--reload]
#   ADDRESSES  comma-separated IPv4 addresses of the app replicas; with an
#              empty list every proxied request gets 503
#   --reload   test the new configuration and reload the running nginx
# The entrypoint runs it at start with $SDMI_DEPENDENCY_APP. The controller can
# run it later through `docker exec` when the app tier changes.
set -euo pipefail

config_file=/etc/nginx/nginx.conf
certificate_dir=/etc/nginx/sdmi
app_port=8080

addresses_text="${1-}"
reload=0
if [[ "${2-}" == "--reload" ]]; then
  reload=1
elif [[ -n "${2-}" ]]; then
  echo "sdmi-lb: error: unknown option '$2' (expected --reload)" >&2
  exit 2
fi

# Return 0 when $1 is a dotted-quad IPv4 address.
is_ipv4() {
  local octet
  [[ "$1" =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
  for octet in "${BASH_REMATCH[@]:1}"; do
    ((10#$octet <= 255)) || return 1
  done
}

servers=()
IFS=',' read -r -a entries <<<"$addresses_text"
for entry in "${entries[@]}"; do
  entry="${entry//[[:space:]]/}"
  [[ -n "$entry" ]] || continue
  if ! is_ipv4 "$entry"; then
    echo "sdmi-lb: error: invalid app address '$entry' (expected IPv4, as in 172.16.20.1)" >&2
    exit 1
  fi
  servers+=("$entry")
done

if ((${#servers[@]} > 0)); then
  upstream_block="    upstream app {"$'\n'
  for server in "${servers[@]}"; do
    upstream_block+="        server $server:$app_port max_fails=1 fail_timeout=5s;"$'\n'
  done
  upstream_block+="        keepalive 16;"$'\n'"    }"
  # The nginx variables ($host and others) stay literal on purpose.
  # shellcheck disable=SC2016
  proxy_block='            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            # A request whose connection attempt failed goes to the next
            # replica. nginx does not resend a POST once an upstream has
            # received it.
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;'
else
  upstream_block="    # No app replicas: SDMI_DEPENDENCY_APP was empty."
  proxy_block='            default_type application/json;
            return 503 "{\"error\": \"no app replicas configured\"}\n";'
fi

new_config="$(mktemp /etc/nginx/nginx.conf.XXXXXX)"
cat >"$new_config" <<CONF
# Written by sdmi-lb-render-config. Edits are lost at the next start.
user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log stderr notice;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format sdmi '\$remote_addr "\$request" \$status \$body_bytes_sent '
                    'upstream=\$upstream_addr upstream_status=\$upstream_status '
                    'time=\$request_time';
    access_log /dev/stdout sdmi;
    server_tokens off;

$upstream_block

    server {
        listen 0.0.0.0:443 ssl;
        ssl_certificate $certificate_dir/tls.crt;
        ssl_certificate_key $certificate_dir/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;

        location = /healthz {
            default_type text/plain;
            return 200 "ok\n";
        }

        location / {
$proxy_block
        }
    }
}
CONF
chmod 0644 "$new_config"
mv "$new_config" "$config_file"
echo "sdmi-lb: app upstreams: ${servers[*]:-(none)}" >&2

if ((reload == 1)); then
  nginx -t -q
  nginx -s reload
fi
