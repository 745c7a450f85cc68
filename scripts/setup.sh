#!/bin/sh
# Set up printgen on a fresh machine: the system libraries WeasyPrint needs (when missing and
# we may install them), a virtual environment in .venv, and printgen with its test tools.
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# Python 3.11 or newer first: an older one fails later with an unclear pip error.
if ! command -v "$PY" >/dev/null 2>&1; then
    echo "setup: $PY not found. Install Python 3.11 or newer: sudo apt-get install python3 python3-venv" >&2
    echo "setup: $PY が見つかりません。Python 3.11 以上を入れてください: sudo apt-get install python3 python3-venv" >&2
    exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    found=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    echo "setup: printgen needs Python 3.11 or newer; $PY is $found. Install a newer one (Debian 12: sudo apt-get install python3 python3-venv) and run: make PYTHON=python3.11" >&2
    echo "setup: printgen には Python 3.11 以上が必要です（$PY は $found）。新しい Python を入れ、make PYTHON=python3.11 のように実行してください" >&2
    exit 1
fi

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
        echo "setup: Pango is missing; install it: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2
        echo "setup: Pango がありません。次のコマンドで入れてください: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" >&2
        exit 1
    else
        echo "setup: note: libharfbuzz-subset0 is missing; WeasyPrint subsets fonts more slowly without it" >&2
    fi
fi

# A .venv made with another Python (or broken) is made again.
if [ -x .venv/bin/python ] && [ "$(.venv/bin/python -c 'import sys; print(sys.version_info[:2])' 2>/dev/null)" != "$("$PY" -c 'import sys; print(sys.version_info[:2])')" ]; then
    echo "setup: .venv was made with another Python; making it again"
    rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv"
    if ! "$PY" -m venv .venv; then
        rm -rf .venv
        echo "setup: cannot make .venv; install the venv module: sudo apt-get install python3-venv" >&2
        exit 1
    fi
fi
if [ ! -w .venv ] || [ ! -w . ]; then
    echo "setup: cannot write in $(pwd) (owner: $(stat -c %U .)); run make as that user, or clone printgen into a folder of yours" >&2
    exit 1
fi
echo "setup: installing printgen and its dependencies into .venv"
# compat: the project folder on sys.path (a .pth line), not an import hook that costs ~20 ms
# at the start of every command
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
touch .venv/.printgen-installed
