#!/bin/sh
# coolapp: `serve` runs busybox httpd on $PORT (default 8080); as a CGI script it prints build info.
set -eu
case "${1:-}" in
  serve)
    echo "coolapp listening on :${PORT:-8080}"
    exec httpd -f -p "${PORT:-8080}" -h /www
    ;;
  *)
    printf 'Content-Type: text/plain\r\n\r\n'
    printf 'coolapp\nhost: %s\ngreeting: %s\n' "$(hostname)" "${GREETING:-hello}"
    ;;
esac
