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
command -v npm >/dev/null || { echo "install-web-checkers: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }
command -v java >/dev/null || echo "install-web-checkers: warning: vnu needs Java (Debian: apt-get install default-jre-headless)" >&2
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json "$STAMP"
