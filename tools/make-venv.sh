#!/bin/sh
# Create the project's virtual environment (default .venv/) with python3 >= 3.11.
# Debian and Ubuntu ship `venv` separately (python3-venv): install it when it is missing.
set -e
VENV=${1:-.venv}
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: $PYTHON is missing or older than Python 3.11; install Python 3.11+ first" >&2
  exit 1
fi
if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
  rm -rf "$VENV"
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "python3 -m venv is not available: installing Debian's python3-venv" >&2
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q python3-venv
    "$PYTHON" -m venv "$VENV"
  else
    echo "error: '$PYTHON -m venv' failed; install your system's venv package" >&2
    exit 1
  fi
fi
echo "created the virtual environment $VENV/ (make uses it; activate it with . $VENV/bin/activate)"
