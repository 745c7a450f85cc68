#!/bin/sh
# Set up printgen on a fresh machine: the system libraries WeasyPrint needs (when missing and
# we may install them), a virtual environment in .venv, and printgen with its test tools.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# WeasyPrint draws text with Pango and subsets fonts with HarfBuzz (which its next releases
# require); Debian-like systems without them get them from apt.
# (Python's own lookup: ldconfig is not on a normal user's PATH on Debian)
has_lib() { "$PY" -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('$1') else 1)"; }
if ! has_lib pangoft2-1.0 || ! has_lib harfbuzz-subset; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing Pango and HarfBuzz for WeasyPrint (apt-get)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null
    elif ! has_lib pangoft2-1.0; then
        echo "setup: Pango is missing; install libpango-1.0-0 and libpangoft2-1.0-0 (see README)" >&2
        exit 1
    else
        echo "setup: note: libharfbuzz-subset0 is missing; WeasyPrint subsets fonts more slowly without it" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    "$PY" -m venv .venv
fi
echo "setup: installing printgen and its dependencies into .venv"
# compat: the project folder on sys.path (a .pth line), not an import hook that costs ~20 ms
# at the start of every command
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
touch .venv/.printgen-installed
