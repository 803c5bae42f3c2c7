/*
 * Full-text search for the dossier, as a classic script so that it works from file://
 * (no fetch, no XHR, no modules, no workers): the index is itself a classic script,
 * search-index.js, injected on first use; it assigns window.DOSSIER_SEARCH.
 *
 * Index layout (made by dossier/search.py, build_index):
 *   { v: 1,
 *     docs:  [[url relative to the site root, title, section, plain text], ...],
 *     terms: { folded word: "gap[:count],gap[:count],..." } }
 *   where gaps are base-36 differences between successive doc numbers and count (base 36,
 *   omitted when 1) is how often the word occurs in that doc's title, section and text.
 *
 * fold() below must stay identical to dossier.search.fold(). The table between the
 * FOLD CASES markers is read by tests/test_search.py (Python side) and can be fed to this
 * file's fold() by a browser test: each line is  "input" => "expected"  in JSON notation.
 *
 * FOLD CASES
 *   "Énergie" => "energie"
 *   "ÉNERGIE" => "energie"
 *   "énergie" => "energie"
 *   "e\u0301nergie" => "energie"
 *   "Ça déçoit à Fès" => "ca decoit a fes"
 *   "Œuvre" => "oeuvre"
 *   "cœur" => "coeur"
 *   "Cæsar" => "caesar"
 *   "Straße" => "strasse"
 *   "naïve Noël" => "naive noel"
 *   "ﬁnancement" => "financement"
 *   "ＡＢＣ" => "abc"
 *   "l’IA" => "l’ia"
 *   "الطَّاقَةُ" => "الطاقه"
 *   "أحمد إدريس آمنة" => "احمد ادريس امنه"
 *   "ٱلرحمن" => "الرحمن"
 *   "مستشفى" => "مستشفي"
 *   "المدرسة" => "المدرسه"
 *   "عـــربـي" => "عربي"
 *   "٢٠٣٠ ۲۰۳۰" => "2030 2030"
 *   "ﻻ" => "لا"
 *   "ΣΟΦΟΣ" => "σοφοσ"
 * END FOLD CASES
 */
(function () {
  'use strict';

  // ---- Folding and tokens: a line-for-line copy of dossier/search.py -------------------

  // Letters that Unicode does not decompose (see _SPECIAL in search.py for the reasons).
  var SPECIAL = {
    'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th',
    'ı': 'i', 'ς': 'σ', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه'
  };
  for (var d = 0; d < 10; d++) {
    SPECIAL[String.fromCharCode(0x0660 + d)] = String(d); // Arabic-Indic digits
    SPECIAL[String.fromCharCode(0x06F0 + d)] = String(d); // Persian digits
  }
  var SPECIAL_RE = new RegExp('[' + Object.keys(SPECIAL).join('') + ']', 'gu');
  // Combining marks (accents, harakat) and tatweel carry no meaning for search.
  var DROPPED_RE = /[\p{M}\u0640]/gu;
  // Same class as Python's [^\W_]: letters and digits of any script.
  var WORD_RE = /[\p{L}\p{N}]+/gu;
  var LAST_IS_WORD_RE = /[\p{L}\p{N}]$/u;
  var ARABIC_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  var STOP_WORDS = new Set((
    'le la les de des du et en un une pour par au aux sur dans est sont que qui ce ces ' +
    'cet cette se sa son ses ou il elle ils elles on ne pas leur leurs avec').split(' '));

  function fold(text) {
    // NFKD, lower-case, NFKD again: same order as Python, since compatibility forms can
    // decompose to capitals.
    var s = String(text).normalize('NFKD').toLowerCase().normalize('NFKD');
    return s.replace(DROPPED_RE, '').replace(SPECIAL_RE, function (c) { return SPECIAL[c]; });
  }

  function codePoints(s) {
    // Python's len() counts code points, JS .length counts UTF-16 units.
    return Array.from(s).length;
  }

  function words(folded) {
    return folded.match(WORD_RE) || [];
  }

  function tokens(text) {
    return words(fold(text)).filter(function (w) {
      return codePoints(w) > 1 && !STOP_WORDS.has(w);
    });
  }

  // ---- Index ---------------------------------------------------------------------------

  var MAX_RESULTS = 10;
  var EXCERPT_LENGTH = 160;
  var EXCERPT_BEFORE = 50;
  var TITLE_BOOST = 10;
  var DEBOUNCE_MS = 80;

  var index = null; // {docs, terms, keys (sorted), postings cache, title words cache}
  var loading = null; // Promise while search-index.js loads

  function prepare(data) {
    if (!data || data.v !== 1 || !Array.isArray(data.docs) || !data.terms) {
      throw new Error('bad index');
    }
    return {
      docs: data.docs,
      terms: data.terms,
      // Sorted once so that prefix matches are a binary search plus a short scan.
      keys: Object.keys(data.terms).sort(),
      postings: new Map(),
      titleWords: new Map()
    };
  }

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      if (window.DOSSIER_SEARCH) { // already on the page (inlined, or another widget)
        resolve(prepare(window.DOSSIER_SEARCH));
        return;
      }
      var root = document.documentElement.getAttribute('data-root') || '';
      var script = document.createElement('script');
      script.src = root + 'search-index.js';
      script.async = true;
      script.onload = function () {
        try { resolve(prepare(window.DOSSIER_SEARCH)); } catch (e) { reject(e); }
      };
      script.onerror = function () { reject(new Error('search-index.js not loaded')); };
      document.head.appendChild(script);
    }).then(function (ix) { index = ix; return ix; });
    return loading;
  }

  function has(obj, key) {
    return Object.prototype.hasOwnProperty.call(obj, key);
  }

  function postings(term) {
    // Decoded lazily and cached: most terms are never asked for.
    var cached = index.postings.get(term);
    if (cached) return cached;
    var map = new Map();
    if (has(index.terms, term)) {
      var doc = 0;
      index.terms[term].split(',').forEach(function (part) {
        var colon = part.indexOf(':');
        doc += parseInt(colon < 0 ? part : part.slice(0, colon), 36);
        map.set(doc, colon < 0 ? 1 : parseInt(part.slice(colon + 1), 36));
      });
    }
    index.postings.set(term, map);
    return map;
  }

  function prefixTerms(prefix) {
    var keys = index.keys, lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    var out = [];
    for (var i = lo; i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }

  function parseQuery(text) {
    var folded = fold(text);
    var all = words(folded);
    // The last word is still being typed unless the query ends with a separator, so it
    // is matched as a prefix ("energ" finds "énergie"), even when it looks like a stop word
    // ("de" on the way to "défense").
    var typing = LAST_IS_WORD_RE.test(folded);
    var exact = [], prefix = null;
    all.forEach(function (w, i) {
      if (typing && i === all.length - 1) {
        if (codePoints(w) > 1) prefix = w;
      } else if (codePoints(w) > 1 && !STOP_WORDS.has(w) && exact.indexOf(w) < 0) {
        exact.push(w);
      }
    });
    if (prefix && exact.indexOf(prefix) >= 0) prefix = null; // already required exactly
    return { exact: exact, prefix: prefix, empty: !exact.length && !prefix };
  }

  function matches(query, word) {
    return query.exact.indexOf(word) >= 0 || (query.prefix !== null && word.startsWith(query.prefix));
  }

  function titleWords(n) {
    var cached = index.titleWords.get(n);
    if (!cached) {
      cached = words(fold(index.docs[n][1]));
      index.titleWords.set(n, cached);
    }
    return cached;
  }

  function search(query) {
    // Every query word must match; score = occurrences, plus a boost per word in the title.
    if (query.empty) return [];
    var groups = query.exact.map(function (t) { return [postings(t)]; });
    if (query.prefix) groups.push(prefixTerms(query.prefix).map(postings));
    var scores = null;
    groups.forEach(function (maps) {
      var here = new Map();
      maps.forEach(function (map) {
        map.forEach(function (count, doc) {
          if (!scores || scores.has(doc)) here.set(doc, (here.get(doc) || 0) + count);
        });
      });
      if (scores) here.forEach(function (count, doc) { here.set(doc, count + scores.get(doc)); });
      scores = here;
    });
    var ranked = [];
    scores.forEach(function (score, doc) {
      var title = titleWords(doc);
      query.exact.forEach(function (t) { if (title.indexOf(t) >= 0) score += TITLE_BOOST; });
      if (query.prefix && title.some(function (w) { return w.startsWith(query.prefix); })) {
        score += TITLE_BOOST;
      }
      ranked.push({ doc: doc, score: score });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return ranked.slice(0, MAX_RESULTS);
  }

  // ---- Excerpts ------------------------------------------------------------------------

  var foldCache = new Map();
  function foldChar(ch) {
    var f = foldCache.get(ch);
    if (f === undefined) { f = fold(ch); foldCache.set(ch, f); }
    return f;
  }

  function foldWithMap(text) {
    // Folding char by char gives the same string as fold(text) (marks are dropped, the
    // only context-dependent lower-casing, final sigma, is undone by ς→σ), and lets each
    // folded unit point back to the original character, to cut and mark the original.
    var parts = [], map = [];
    for (var i = 0; i < text.length;) {
      var n = text.codePointAt(i) > 0xFFFF ? 2 : 1;
      var f = foldChar(text.slice(i, i + n));
      parts.push(f);
      for (var k = 0; k < f.length; k++) map.push(i);
      i += n;
    }
    return { folded: parts.join(''), map: map };
  }

  function matchedRanges(text, query, limitFirst) {
    // Original-text [start, end) of every matching word (or only the first one).
    var fm = foldWithMap(text), re = new RegExp(WORD_RE.source, 'gu'), m, out = [];
    while ((m = re.exec(fm.folded))) {
      if (!matches(query, m[0])) continue;
      var start = fm.map[m.index];
      var last = fm.map[m.index + m[0].length - 1];
      var end = last + (text.codePointAt(last) > 0xFFFF ? 2 : 1);
      while (end < text.length && foldChar(text[end]) === '') end++; // trailing accents
      out.push([start, end]);
      if (limitFirst) break;
    }
    return out;
  }

  function highlighted(text, ranges) {
    // Text nodes and <mark> elements only: page text never goes through innerHTML.
    var frag = document.createDocumentFragment(), at = 0;
    ranges.forEach(function (r) {
      if (r[0] < at) return;
      if (r[0] > at) frag.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(r[0], r[1]);
      frag.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    return frag;
  }

  function excerpt(text, query) {
    var first = matchedRanges(text, query, true)[0];
    var start = 0;
    if (first && first[0] > EXCERPT_BEFORE) {
      start = first[0] - EXCERPT_BEFORE;
      var space = text.indexOf(' ', start);
      if (space >= 0 && space < first[0]) start = space + 1; // do not cut a word in two
    }
    var end = Math.min(text.length, start + EXCERPT_LENGTH);
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > (first ? first[1] : start)) end = back;
    }
    var piece = text.slice(start, end);
    return {
      text: (start > 0 ? '…' : '') + piece + (end < text.length ? '…' : ''),
      offset: start > 0 ? 1 : 0,
      piece: piece
    };
  }

  // ---- Widget --------------------------------------------------------------------------

  function init() {
    var input = document.getElementById('search-input');
    var box = document.getElementById('search-results');
    if (!input || !box) return;
    var form = input.form || box.parentNode;
    var root = document.documentElement.getAttribute('data-root') || '';
    var timer = null, active = -1, options = [];

    // The page markup is the generator's; the combobox roles are added here so that the
    // markup stays valid without JavaScript.
    if (!input.getAttribute('role')) input.setAttribute('role', 'combobox');
    input.setAttribute('aria-expanded', 'false'); // required by the combobox role
    input.setAttribute('aria-autocomplete', 'list');
    if (!box.getAttribute('aria-label')) box.setAttribute('aria-label', 'Résultats de la recherche');
    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    box.parentNode.insertBefore(status, box.nextSibling);

    function open() {
      box.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function close() {
      box.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function setActive(i) {
      if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', options[i].id);
        options[i].scrollIntoView({ block: 'nearest' });
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function message(text) {
      box.textContent = '';
      options = [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
      var p = document.createElement('p');
      p.className = 'search-message';
      p.textContent = text;
      box.appendChild(p);
      status.textContent = text;
      open();
    }

    function render(query, ranked) {
      if (!ranked.length) { message('Aucun résultat'); return; }
      box.textContent = '';
      options = ranked.map(function (r, i) {
        var doc = index.docs[r.doc];
        var a = document.createElement('a');
        a.href = root + doc[0];
        a.id = 'search-result-' + i;
        a.className = 'search-result';
        a.setAttribute('role', 'option');
        a.setAttribute('aria-selected', 'false');
        a.tabIndex = -1; // Tab leaves the widget; arrows move inside it
        var title = document.createElement('span');
        title.className = 'search-result-title';
        title.appendChild(highlighted(doc[1], matchedRanges(doc[1], query, false)));
        a.appendChild(title);
        if (doc[2]) {
          var section = document.createElement('span');
          section.className = 'search-result-section';
          section.textContent = doc[2];
          a.appendChild(section);
        }
        var ex = excerpt(doc[3], query);
        var text = document.createElement('span');
        text.className = 'search-result-excerpt';
        var ranges = matchedRanges(ex.piece, query, false).map(function (rg) {
          return [rg[0] + ex.offset, rg[1] + ex.offset];
        });
        text.appendChild(highlighted(ex.text, ranges));
        a.appendChild(text);
        if (ARABIC_RE.test(doc[1] + ex.text)) {
          // Each part takes the direction of its own first strong letter.
          a.dir = title.dir = text.dir = 'auto';
        }
        box.appendChild(a);
        return a;
      });
      active = -1;
      input.removeAttribute('aria-activedescendant');
      status.textContent = ranked.length + (ranked.length > 1 ? ' résultats' : ' résultat');
      open();
    }

    function run() {
      timer = null;
      var query = parseQuery(input.value);
      if (query.empty) { box.textContent = ''; options = []; close(); return; }
      if (!index) {
        message('Chargement de l’index…');
        load().then(run, failed);
        return;
      }
      render(query, search(query));
    }

    function failed() {
      // A missing or broken index is reported to the reader, not thrown to the console.
      message('La recherche n’est pas disponible : l’index n’a pas pu être chargé.');
    }

    function schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    }

    input.addEventListener('focus', function () {
      load().catch(function () { /* shown when the reader types */ });
      if (options.length && input.value) open();
    });
    input.addEventListener('input', function () {
      load().catch(function () { /* shown by run() */ });
      schedule();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        if (!options.length) return;
        e.preventDefault();
        if (box.hidden) open();
        var step = e.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : options.length - 1)
          : (active + step + options.length) % options.length);
      } else if (e.key === 'Enter') {
        if (timer) { clearTimeout(timer); run(); } // Enter right after typing: results first
        var target = options[active >= 0 ? active : 0];
        if (target && !box.hidden) {
          e.preventDefault();
          window.location.href = target.href;
        }
      } else if (e.key === 'Escape') {
        if (!box.hidden) { e.preventDefault(); close(); } else if (input.value) { input.value = ''; }
      }
    });
    // Keep the focus in the input when a result is pressed, so that blur does not close
    // the list before the click lands.
    box.addEventListener('mousedown', function (e) { e.preventDefault(); });
    form.addEventListener('focusout', function () {
      setTimeout(function () { if (!form.contains(document.activeElement)) close(); }, 0);
    });

    document.addEventListener('keydown', function (e) {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // The one global: for tests and for other scripts that want the same folding.
  window.dossierSearch = {
    fold: fold,
    tokens: tokens,
    load: load,
    query: function (text) {
      return load().then(function () {
        return search(parseQuery(text)).map(function (r) {
          var doc = index.docs[r.doc];
          return { url: doc[0], title: doc[1], score: r.score };
        });
      });
    }
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
