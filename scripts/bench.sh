#!/usr/bin/env bash
# Throughput of the main library pages under gunicorn, measured with wrk against a trivial
# endpoint on the same server, so the ratio (not the absolute number) is what to compare.
# Usage: make bench   (or: bash scripts/bench.sh [seconds])
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-8}"
port=8077
py=.venv/bin/python
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

workdir=$(mktemp -d)
trap 'kill "$gpid" 2>/dev/null || true; rm -rf "$workdir"' EXIT
export DEBUG=0 SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="${DATABASE_URL:-sqlite:///$workdir/bench.sqlite3}"
export STATIC_ROOT="$workdir/static"
$py manage.py migrate -v0
$py manage.py load_library -v0
$py manage.py collectstatic --noinput -v0
.venv/bin/gunicorn massage.wsgi -w 2 -b 127.0.0.1:$port --log-level warning &
gpid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

printf '%-36s %10s %10s %8s\n' "url" "req/s" "p99" "ratio"
base=""
for url in /healthz /techniques/ "/techniques/?category=rubbing&intensity=2" \
           /techniques/light-stroking/ /zones/ /zones/kidney-area/ /contraindications/; do
  out=$(wrk -t1 -c16 -d"${secs}s" --latency "http://127.0.0.1:$port$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  [ -z "$base" ] && base=$rps
  printf '%-36s %10s %10s %8.2f\n' "$url" "$rps" "$p99" "$(echo "$rps / $base" | bc -l)"
done
