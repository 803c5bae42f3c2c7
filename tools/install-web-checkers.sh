#!/bin/sh
# Install the web checkers of `make test` (the Nu HTML Checker, axe-core) from npm into
# tools/node_modules, exactly as tools/package-lock.json pins them. Quick when they are
# already there: a stamp (a copy of the lock file) says which lock the install came from.
set -e
cd "$(dirname "$0")"
STAMP=node_modules/.installed-from-lock
if [ -f node_modules/vnu-jar/build/dist/vnu.jar ] && [ -f node_modules/axe-core/axe.min.js ] \
   && cmp -s package-lock.json "$STAMP"; then
  exit 0
fi
# npm and Java (for vnu) come from Debian when the machine lacks them, as Chromium does.
MISSING=""
command -v npm >/dev/null || MISSING="$MISSING npm"
command -v java >/dev/null || MISSING="$MISSING default-jre-headless"
if [ -n "$MISSING" ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $MISSING
  else
    echo "install-web-checkers: please install:$MISSING" >&2
    exit 1
  fi
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$STAMP"
