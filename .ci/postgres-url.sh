#!/bin/sh
# Print the PostgreSQL URL the suite should also run on: $DATABASE_URL when it points at
# PostgreSQL, else the local server on 127.0.0.1:5432 (user postgres, trust auth) when it
# answers. Prints nothing when there is none. Usage: .ci/postgres-url.sh PYTHON
set -u
py=${1:-python3}
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*|pgsql://*) echo "$DATABASE_URL"; exit 0 ;;
esac
url="postgres://postgres@127.0.0.1:5432/buurtstem"
"$py" - "$url" <<'PY' 2>/dev/null && echo "$url"
import sys
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
PY
exit 0
