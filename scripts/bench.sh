#!/usr/bin/env bash
# Every page under gunicorn, measured with wrk against /healthz on the same server, so the
# ratio (not the absolute number) is what to compare; with the queries each page makes.
# The work is in scripts/bench.py (its docstring says what is measured and how).
# Usage: make bench   (or: bash scripts/bench.sh [seconds] [--people N] [--port P])
set -euo pipefail
cd "$(dirname "$0")/.."
# wrk comes from Debian: installed when running as root, otherwise the exact command is printed.
bash scripts/system-deps.sh bench
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
    set -- --seconds "$@"
fi
exec .venv/bin/python scripts/bench.py "$@"
