#!/usr/bin/env bash
# What `make run` and `make test` need from Debian beyond Python 3.11+.
#   run:  python3-venv (to create .venv) and GNU gettext (msgfmt compiles the translations).
#   test: also Chromium (browser tests), a Java runtime (the W3C HTML checker), Node and npm
#         (to fetch the checker and axe), and on PostgreSQL its client tools (backup test).
#   bench: wrk, the load generator `make bench` drives.
# Installs what is missing when it can (root with apt-get); otherwise stops at once with the
# exact command to run.
set -euo pipefail

purpose="${1:-test}"
missing=()
if [ "$purpose" = run ] || [ "$purpose" = test ]; then
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
fi
if [ "$purpose" = test ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    # The backup test dumps and restores the PostgreSQL test database with the client tools.
    case "${DATABASE_URL:-}" in
        postgres*) command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client) ;;
    esac
fi
if [ "$purpose" = bench ]; then
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
# Debian's python3 cannot create a virtualenv without its venv package.
if [ ! -x .venv/bin/python ] && ! python3 -c 'import ensurepip' 2>/dev/null; then
    missing+=(python3-venv)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

command="apt-get install -y ${missing[*]}"
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing from Debian: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}"
    exit 0
fi

echo "make $purpose needs these Debian packages: ${missing[*]}" >&2
echo "Install them, then run make $purpose again:" >&2
echo "    sudo $command" >&2
exit 1
