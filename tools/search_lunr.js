/*
 * lunr.js 2.3.9 + lunr-languages (French and Arabic) over the same docs as our search, for
 * tools/search_compare.py. Not shipped: it only measures what lunr would give.
 *
 *   node tools/search_lunr.js NODE_MODULES MODE < {"docs": [...], "queries": [...]}
 *
 * MODE "plain": lunr.multiLanguage('fr', 'ar') as documented. MODE "folded": the same, with
 * accents folded before the pipeline (so "donnees" meets "données").
 * Queries are built the way a search box would: every word required, with edit distance 1
 * (lunr counts a swap of two letters as one edit), the last word also as a prefix; title
 * boosted 8, headings 3, as in our MiniSearch setup.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const modules = process.argv[2];
const mode = process.argv[3] || 'plain';
const lunr = require(path.join(modules, 'lunr'));
require(path.join(modules, 'lunr-languages/lunr.stemmer.support.js'))(lunr);
require(path.join(modules, 'lunr-languages/lunr.fr.js'))(lunr);
require(path.join(modules, 'lunr-languages/lunr.ar.js'))(lunr);
require(path.join(modules, 'lunr-languages/lunr.multi.js'))(lunr);

const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const fold = (s) => String(s).normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const prep = mode === 'folded' ? fold : (s) => s;

const started = process.hrtime.bigint();
const idx = lunr(function () {
  this.use(lunr.multiLanguage('fr', 'ar'));
  this.ref('id');
  this.field('title', { boost: 8 });
  this.field('headings', { boost: 3 });
  this.field('text');
  input.docs.forEach((d, i) => this.add({
    id: String(i), title: prep(d.title),
    headings: prep(d.headings.map((h) => h[1]).join(' ')), text: prep(d.text)
  }));
});
const buildMs = Number(process.hrtime.bigint() - started) / 1e6;

function run(q) {
  const raw = prep(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const typing = /[\p{L}\p{N}]$/u.test(q);
  // Stop words and trimming go through the index's own pipeline (as lunr's parser does).
  const terms = raw.map((w) => idx.pipeline.runString(w)[0]).filter(Boolean);
  const search = (presence) => idx.query((query) => {
    terms.forEach((t, i) => {
      query.term(t, { presence, boost: 10 });
      query.term(t, { editDistance: 1, boost: 1, presence: lunr.Query.presence.OPTIONAL });
      if (typing && i === terms.length - 1) {
        query.term(raw[raw.length - 1].toLowerCase(),
          { wildcard: lunr.Query.wildcard.TRAILING, usePipeline: false, boost: 3 });
      }
    });
  });
  if (!terms.length) return [];
  let found;
  try {
    // Required terms cannot carry a typo in lunr, so a query with a typo falls back to any.
    found = search(lunr.Query.presence.REQUIRED);
    if (!found.length) found = search(lunr.Query.presence.OPTIONAL);
  } catch (e) {
    found = [];
  }
  return found.slice(0, 10).map((r) => ({ url: input.docs[Number(r.ref)].url }));
}

const results = {};
for (const q of input.queries) results[q] = run(q);
process.stdout.write(JSON.stringify({
  results, ms: { build: buildMs }, serialized: JSON.stringify(idx)
}));
