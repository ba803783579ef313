# shellcheck shell=bash
# Sourced by scripts/test and scripts/serve: go to the repository root and make sure
# .venv exists and has factsheet installed (editable, with the test tools).
# pip runs only when pyproject.toml changed since the last install (stamp inside .venv).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT" || exit 1

VENV="$REPO_ROOT/.venv"
FACTSHEET_PYTHON="${FACTSHEET_PYTHON:-python3}"

if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    echo "scripts: creating a virtual environment in .venv" >&2
    rm -rf "$VENV"
    if ! "$FACTSHEET_PYTHON" -m venv "$VENV" || ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        rm -rf "$VENV"
        echo "error: '$FACTSHEET_PYTHON -m venv .venv' failed: Python's venv module (with ensurepip) is missing." >&2
        echo "       On Debian or Ubuntu run: apt-get install python3-venv" >&2
        exit 1
    fi
fi

_stamp="$VENV/.factsheet-installed"
_want="$("$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())' <pyproject.toml)"
if [ ! -f "$_stamp" ] || [ "$(cat "$_stamp")" != "$_want" ]; then
    echo "scripts: installing factsheet and its test tools into .venv (pyproject.toml changed)" >&2
    if ! "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[test]"; then
        echo "error: pip install -e '.[test]' failed (see above)" >&2
        exit 1
    fi
    echo "$_want" >"$_stamp"
fi
unset _stamp _want
