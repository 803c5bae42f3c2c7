/*
 * Run queries against a built site's own search, in Node, the way a page runs it: the
 * site's classic scripts (MiniSearch when vendored, search-index.js, assets/js/search.js)
 * are evaluated in one context whose global is `window`, with a document that has no
 * search box (so only window.dossierSearch is set up).
 *
 *   node tests/search_run.js SITE_FOLDER < queries.json  →  JSON on stdout
 *
 * Input: {"queries": ["jazari", ...], "calls": [["fold", "Énergie"], ...]}
 * Output: {"results": {query: [{url, title, heading, excerpt}, ...]}, "calls": [...],
 *          "ms": {"load": ...}}
 * Used by tests/test_search*.py and tools/search_compare.py.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

function siteContext(site) {
  const document = {
    readyState: 'complete',
    getElementById: () => null,
    documentElement: { getAttribute: () => '' },
    head: { appendChild: () => { throw new Error('scripts must be preloaded in Node'); } },
    addEventListener: () => {}
  };
  const context = vm.createContext({ document, console, setTimeout, clearTimeout });
  context.window = context;
  const scripts = ['assets/vendor/minisearch/minisearch.js', 'search-index.js',
    'assets/js/search.js'];
  for (const rel of scripts) {
    const file = path.join(site, rel);
    if (fs.existsSync(file)) vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: rel });
  }
  return context;
}

async function main() {
  const site = process.argv[2];
  const input = JSON.parse(fs.readFileSync(0, 'utf8'));
  // Timed from the scripts' evaluation (parsing the index is part of loading it).
  const started = process.hrtime.bigint();
  const context = siteContext(site);
  const api = context.window.dossierSearch;
  await api.load();
  const loadMs = Number(process.hrtime.bigint() - started) / 1e6;
  const results = {};
  for (const q of input.queries || []) results[q] = await api.query(q);
  const calls = (input.calls || []).map(([name, arg]) => {
    const value = api[name](arg);
    return value === null || value === undefined ? null : value;
  });
  process.stdout.write(JSON.stringify({ results, calls, ms: { load: loadMs } }));
}

main().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
