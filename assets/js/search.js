/*
 * Search for the dossier, as classic scripts so that it works from file:// (no fetch, no
 * XHR, no modules, no workers). On first use this file injects two more classic scripts:
 * the MiniSearch library (assets/vendor/minisearch/, see its README) and search-index.js,
 * which assigns window.DOSSIER_SEARCH. MiniSearch then indexes the pages in the browser
 * (a few milliseconds for this dossier; docs/search.md has the numbers).
 *
 * Index layout (made by dossier/search.py):
 *   { v: 2, docs: [[url relative to the site root, title, section,
 *                   [[heading id, heading text], ...], prose], ...] }
 *
 * Words are folded (case, accents, Arabic spelling variants) and stemmed here only, for
 * the index and for queries alike. The two tables below are run against fold() and term()
 * by tests/test_search.py (in Node): each line is  "input" => "expected"  in JSON.
 *
 * FOLD CASES
 *   "Énergie" => "energie"
 *   "ÉNERGIE" => "energie"
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
 *
 * STEM CASES (one word in, its index term out; "" means not indexed)
 *   "données" => "donnee"
 *   "Donnée" => "donnee"
 *   "centres" => "centre"
 *   "régionaux" => "regional"
 *   "régional" => "regional"
 *   "réseaux" => "reseau"
 *   "réseau" => "reseau"
 *   "Fès" => "fes"
 *   "prix" => "prix"
 *   "accès" => "acce"
 *   "class" => "class"
 *   "2030" => "2030"
 *   "les" => ""
 *   "d" => ""
 *   "الداخلة" => "داخله"
 *   "والطاقة" => "طاقه"
 *   "المغرب" => "مغرب"
 *   "فاس" => "فاس"
 * END STEM CASES
 */
(function () {
  'use strict';

  // ---- Words: folding, stop words, light stemming --------------------------------------

  // Letters that Unicode does not decompose but French readers treat as two letters or as
  // a plain letter; the ς/σ pair is listed so that folding never depends on word context.
  var SPECIAL = {
    'œ': 'oe', 'æ': 'ae', 'ß': 'ss', 'ø': 'o', 'ł': 'l', 'đ': 'd', 'ð': 'd', 'þ': 'th',
    'ı': 'i', 'ς': 'σ',
    // Arabic: alef wasla has no decomposition; alef maqsura is written for final ya in much
    // Moroccan text, ta marbuta is often typed as ha.
    'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه'
  };
  for (var d = 0; d < 10; d++) {
    SPECIAL[String.fromCharCode(0x0660 + d)] = String(d); // Arabic-Indic digits
    SPECIAL[String.fromCharCode(0x06F0 + d)] = String(d); // Persian digits
  }
  var SPECIAL_RE = new RegExp('[' + Object.keys(SPECIAL).join('') + ']', 'gu');
  // Combining marks (accents, harakat, shadda) and tatweel carry no meaning for search.
  var DROPPED_RE = /[\p{M}\u0640]/gu;
  // Letters and digits of any script: Arabic words are words too.
  var WORD_RE = /[\p{L}\p{N}]+/gu;
  var LAST_IS_WORD_RE = /[\p{L}\p{N}]$/u;
  var ARABIC_RE = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
  // Only words too frequent to mean anything in a French dossier (already folded).
  var STOP_WORDS = new Set((
    'le la les de des du et en un une pour par au aux sur dans est sont que qui ce ces ' +
    'cet cette se sa son ses ou il elle ils elles on ne pas leur leurs avec').split(' '));
  // Arabic prefixes: the article, alone or after a conjunction or preposition.
  var ARABIC_ARTICLE_RE = /^(?:[وفبكل]?ال|لل)(?=[\u0600-\u06FF]{3})/;

  function fold(text) {
    // NFKD first so compatibility forms (ligatures, full-width, Arabic presentation forms)
    // become plain letters; lower-case after it because some decompose to capitals.
    var s = String(text).normalize('NFKD').toLowerCase().normalize('NFKD');
    return s.replace(DROPPED_RE, '').replace(SPECIAL_RE, function (c) { return SPECIAL[c]; });
  }

  function stem(w) {
    // French plurals only (the singular and plural of a word must meet; other endings are
    // left alone, since a wrong cut merges words that a reader keeps apart): -eaux/-eau,
    // -aux/-al, then a final s or x on words of four letters or more (not -ss: "class").
    if (ARABIC_RE.test(w)) return w.replace(ARABIC_ARTICLE_RE, '');
    var n = w.length;
    if (n > 4 && w.slice(-4) === 'eaux') return w.slice(0, -1);
    if (n > 4 && w.slice(-3) === 'aux') return w.slice(0, -3) + 'al';
    if (n > 3 && (w[n - 1] === 's' || w[n - 1] === 'x') && w[n - 2] !== 's' &&
        !/\d/.test(w)) {
      if (w[n - 1] === 's' || w[n - 2] === 'u') return w.slice(0, -1);
    }
    return w;
  }

  function words(text) {
    return fold(text).match(WORD_RE) || [];
  }

  function term(word) {
    // A folded word → its index term, or null for stop words and single letters.
    if (Array.from(word).length < 2 || STOP_WORDS.has(word)) return null;
    return stem(word);
  }

  // ---- Index ---------------------------------------------------------------------------

  var MAX_RESULTS = 10;
  var EXCERPT_LENGTH = 170;
  var EXCERPT_BEFORE = 60;
  var DEBOUNCE_MS = 60;
  // Titles weigh most, then headings, then prose: a page is found first by what it is
  // called, and only then by what it mentions in passing.
  var BOOST = { title: 8, headings: 3, text: 1 };

  var index = null; // {docs, engine}
  var loading = null; // Promise while the scripts load

  // One typo is forgiven in words of four letters or more: a letter wrong, missing or
  // extra (MiniSearch's fuzzy match), or two neighbours swapped (swaps(), below).
  var TYPO_MIN = 4;
  var SWAP_WEIGHT = 0.45; // as MiniSearch weighs its own fuzzy matches

  function fuzziness(t) {
    return t.length >= TYPO_MIN ? 1 : false;
  }

  function swaps(t) {
    // "mistarl" → "imstarl", "msitarl", …, "mistral": MiniSearch's edit distance counts a
    // swap as two edits, which would let far too much through if allowed everywhere.
    var out = [];
    if (t.length < TYPO_MIN) return out;
    for (var k = 0; k < t.length - 1; k++) {
      if (t[k] === t[k + 1]) continue;
      var v = t.slice(0, k) + t[k + 1] + t[k] + t.slice(k + 2);
      if (out.indexOf(v) < 0) out.push(v);
    }
    return out;
  }

  function prepare(data) {
    if (!data || data.v !== 2 || !Array.isArray(data.docs)) throw new Error('bad index');
    var engine = new window.MiniSearch({
      fields: ['title', 'headings', 'text'],
      storeFields: [],
      extractField: function (doc, field) {
        var e = data.docs[doc.id];
        if (field === 'id') return doc.id;
        if (field === 'title') return e[1];
        if (field === 'headings') return e[3].map(function (h) { return h[1]; }).join(' ');
        return e[4];
      },
      tokenize: words,
      processTerm: term,
      searchOptions: { boost: BOOST, fuzzy: fuzziness }
    });
    // In chunks, so that a large site's indexing never freezes the page for long.
    var ids = data.docs.map(function (_, i) { return { id: i }; });
    return engine.addAllAsync(ids, { chunkSize: 500 }).then(function () {
      return { docs: data.docs, engine: engine };
    });
  }

  function inject(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error(src + ' not loaded')); };
      document.head.appendChild(script);
    });
  }

  function load() {
    if (loading) return loading;
    var root = document.documentElement.getAttribute('data-root') || '';
    loading = Promise.all([
      window.MiniSearch ? null : inject(root + 'assets/vendor/minisearch/minisearch.js'),
      window.DOSSIER_SEARCH ? null : inject(root + 'search-index.js')
    ]).then(function () {
      return prepare(window.DOSSIER_SEARCH);
    }).then(function (ready) {
      index = ready;
      return ready;
    });
    return loading;
  }

  function parseQuery(text) {
    // The last word is still being typed unless the query ends with a separator, so it is
    // also matched as a prefix ("energ" finds "énergie").
    var all = words(text), typing = LAST_IS_WORD_RE.test(text);
    var terms = all.map(term).filter(function (t) { return t !== null; });
    // A stop word being typed ("de" on the way to "défense") is kept as a prefix.
    if (typing && all.length && term(all[all.length - 1]) === null &&
        Array.from(all[all.length - 1]).length > 1) {
      terms.push(all[all.length - 1]);
    }
    return { text: terms.join(' '), typing: typing, empty: !terms.length };
  }

  function search(query) {
    // Every word must match (allowing a typo); if no page has them all, any word will do.
    if (query.empty) return [];
    var terms = query.text.split(' ');
    var tree = {
      combineWith: 'AND',
      queries: terms.map(function (t, i) {
        var last = query.typing && i === terms.length - 1;
        return {
          combineWith: 'OR',
          queries: [{ queries: [t], prefix: last, fuzzy: fuzziness }].concat(
            swaps(t).map(function (v) {
              return { queries: [v], prefix: false, fuzzy: false,
                       boostTerm: function () { return SWAP_WEIGHT; } };
            }))
        };
      })
    };
    // The query is already made of index terms: not stemmed twice, not split again.
    var options = { tokenize: function (s) { return [s]; }, processTerm: function (t) { return t; } };
    var found = index.engine.search(tree, options);
    if (!found.length) {
      tree.combineWith = 'OR';
      found = index.engine.search(tree, options);
    }
    return found.slice(0, MAX_RESULTS).map(function (r) {
      return { doc: r.id, score: r.score, terms: shownTerms(r.terms, terms, query.typing) };
    });
  }

  function shownTerms(matched, terms, typing) {
    // The page words to mark and to cut excerpts around: for each query word, its exact
    // (or, being typed, prefix) matches when the page has some, else its near misses, so
    // that "donnees" marks "données" and not the verb "donne" a typo away.
    var strong = terms.map(function (t, i) {
      var prefix = typing && i === terms.length - 1;
      return matched.filter(function (m) { return m === t || (prefix && m.startsWith(t)); });
    });
    var anyStrong = new Set([].concat.apply([], strong));
    var misses = matched.filter(function (m) { return !anyStrong.has(m); });
    var shown = new Set();
    strong.forEach(function (hits) {
      (hits.length ? hits : misses).forEach(function (m) { shown.add(m); });
    });
    return shown;
  }

  // ---- Excerpts ------------------------------------------------------------------------

  var foldCache = new Map();
  function foldChar(ch) {
    var f = foldCache.get(ch);
    if (f === undefined) { f = fold(ch); foldCache.set(ch, f); }
    return f;
  }

  function foldWithMap(text) {
    // Folding char by char gives the same string as fold(text) (marks are dropped; the
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

  function matchedRanges(text, terms) {
    // Original-text [start, end) of every word whose index term matched the query.
    var fm = foldWithMap(text), re = new RegExp(WORD_RE.source, 'gu'), m, out = [];
    while ((m = re.exec(fm.folded))) {
      var t = term(m[0]);
      if (t === null || !terms.has(t)) continue;
      var start = fm.map[m.index];
      var last = fm.map[m.index + m[0].length - 1];
      var end = last + (text.codePointAt(last) > 0xFFFF ? 2 : 1);
      while (end < text.length && foldChar(text[end]) === '') end++; // trailing accents
      out.push([start, end]);
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

  function bestWindow(ranges) {
    // The match that begins the densest run of matches: where most query words meet.
    var best = 0, bestCount = 0;
    for (var i = 0, j = 0; i < ranges.length; i++) {
      while (j < ranges.length && ranges[j][0] < ranges[i][0] + EXCERPT_LENGTH - EXCERPT_BEFORE) j++;
      if (j - i > bestCount) { best = i; bestCount = j - i; }
    }
    return ranges[best];
  }

  function excerpt(text, terms) {
    // A piece of prose around the matches, starting at a sentence or at least a word, so
    // that it never begins or ends inside a word.
    var ranges = matchedRanges(text, terms);
    var first = ranges.length ? bestWindow(ranges) : null;
    var start = 0;
    if (first && first[0] > EXCERPT_BEFORE) {
      var from = first[0] - EXCERPT_BEFORE, before = text.slice(from, first[0]);
      var boundary = /[.!?…][»)]?\s+/g, m, sentence = -1;
      while ((m = boundary.exec(before))) sentence = m.index + m[0].length; // the last one
      if (sentence >= 0) start = from + sentence;
      else {
        var space = text.indexOf(' ', from);
        start = space >= 0 && space < first[0] ? space + 1 : first[0];
      }
    }
    var end = Math.min(text.length, start + EXCERPT_LENGTH);
    if (end < text.length) {
      var back = text.lastIndexOf(' ', end);
      if (back > (first ? first[1] : start)) end = back;
      end = text.slice(0, end).replace(/[\s,;:(«–—-]+$/, '').length;
    }
    var piece = text.slice(start, end);
    var shift = start > 0 ? 1 : 0;
    return {
      text: (start > 0 ? '…' : '') + piece + (end < text.length ? '…' : ''),
      ranges: ranges.filter(function (r) { return r[0] >= start && r[1] <= end; })
        .map(function (r) { return [r[0] - start + shift, r[1] - start + shift]; })
    };
  }

  function bestHeading(doc, terms) {
    // The heading with the most matched words, to link to its section (ties: the first);
    // none when the title matches as well: the page itself is the answer.
    var best = null, bestCount = matchedRanges(doc[1], terms).length;
    doc[3].forEach(function (h) {
      var n = matchedRanges(h[1], terms).length;
      if (n > bestCount) { best = h; bestCount = n; }
    });
    return best;
  }

  // ---- Widget: the ARIA 1.2 combobox pattern, with a listbox popup ----------------------

  function init() {
    var input = document.getElementById('search-input');
    var box = document.getElementById('search-results');
    if (!input || !box) return;
    var form = input.form || box.parentNode;
    var root = document.documentElement.getAttribute('data-root') || '';
    var timer = null, active = -1, options = [], lastQuery = null;
    var dismissed = false; // Escape pressed: nothing reopens until the reader types again

    // The status line is for screen readers: the list's size, or why there is none.
    var status = document.createElement('div');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    box.parentNode.insertBefore(status, box.nextSibling);
    // A message (no results, loading) is shown outside the listbox: a listbox holds options.
    var note = document.createElement('p');
    note.className = 'search-message';
    note.hidden = true;
    box.parentNode.insertBefore(note, box);
    input.setAttribute('aria-autocomplete', 'list');

    function open() {
      box.hidden = !options.length;
      input.setAttribute('aria-expanded', options.length ? 'true' : 'false');
    }

    function close() {
      box.hidden = true;
      note.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function isOpen() {
      return !box.hidden || !note.hidden;
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

    function clear() {
      box.textContent = '';
      options = [];
      active = -1;
      input.removeAttribute('aria-activedescendant');
    }

    function message(text) {
      clear();
      note.textContent = text;
      note.hidden = false;
      status.textContent = text;
      open();
    }

    function option(r, i) {
      var doc = index.docs[r.doc];
      var heading = bestHeading(doc, r.terms);
      // An option is a plain element, not a link: the listbox owns the navigation, and a
      // link inside would be a second, focusable control (Tab must never land in the list).
      var li = document.createElement('div');
      li.id = 'search-result-' + i;
      li.className = 'search-result';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.href = root + doc[0] + (heading && heading[0] ? '#' + heading[0] : '');
      var title = document.createElement('span');
      title.className = 'search-result-title';
      title.appendChild(highlighted(doc[1], matchedRanges(doc[1], r.terms)));
      li.appendChild(title);
      var where = [doc[2], heading ? heading[1] : ''].filter(Boolean);
      if (where.length) {
        var section = document.createElement('span');
        section.className = 'search-result-section';
        where.forEach(function (part, k) {
          if (k) section.appendChild(document.createTextNode(' › '));
          // Each part in its own bidi isolate: an Arabic heading must not reorder the rest.
          var bdi = document.createElement('bdi');
          var isHeading = heading && k === where.length - 1;
          bdi.appendChild(isHeading ? highlighted(part, matchedRanges(part, r.terms))
            : document.createTextNode(part));
          section.appendChild(bdi);
        });
        li.appendChild(section);
      }
      var ex = excerpt(doc[4], r.terms);
      var text = document.createElement('span');
      text.className = 'search-result-excerpt';
      text.appendChild(highlighted(ex.text, ex.ranges));
      li.appendChild(text);
      if (ARABIC_RE.test(doc[1] + ex.text)) {
        // Each part takes the direction of its own first strong letter.
        title.dir = text.dir = 'auto';
      }
      return li;
    }

    function render(ranked) {
      if (!ranked.length) { message('Aucun résultat'); return; }
      clear();
      note.hidden = true;
      options = ranked.map(option);
      options.forEach(function (li) { box.appendChild(li); });
      status.textContent = ranked.length + (ranked.length > 1 ? ' résultats' : ' résultat') +
        ', flèches haut et bas pour choisir, Entrée pour ouvrir';
      open();
    }

    function run() {
      timer = null;
      if (dismissed) return; // e.g. the index finished loading after Escape
      var query = parseQuery(input.value);
      if (query.empty) { clear(); close(); lastQuery = null; return; }
      if (!index) {
        message('Chargement de l’index…');
        load().then(run, failed);
        return;
      }
      lastQuery = input.value;
      render(search(query));
    }

    function failed() {
      // A missing or broken index is reported to the reader, not thrown to the console.
      message('La recherche n’est pas disponible : l’index n’a pas pu être chargé.');
    }

    function schedule() {
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    }

    function go(li) {
      window.location.href = li.dataset.href;
    }

    input.addEventListener('focus', function () {
      load().catch(function () { /* shown when the reader types */ });
    });
    input.addEventListener('input', function () {
      dismissed = false;
      load().catch(function () { /* shown by run() */ });
      schedule();
    });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        dismissed = false; // arrows reopen the list, as the pattern asks
        if (timer || (input.value && input.value !== lastQuery)) {
          if (timer) clearTimeout(timer);
          run();
        }
        if (!options.length) return;
        e.preventDefault();
        if (box.hidden) { open(); if (e.altKey) return; }
        var step = e.key === 'ArrowDown' ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : options.length - 1)
          : (active + step + options.length) % options.length);
      } else if (e.key === 'Home' || e.key === 'End') {
        // In the input these keys move the caret; they pick an option only in the list.
        if (active >= 0 && options.length) {
          e.preventDefault();
          setActive(e.key === 'Home' ? 0 : options.length - 1);
        }
      } else if (e.key === 'Enter') {
        if (timer) { clearTimeout(timer); run(); } // Enter right after typing: results first
        var target = options[active >= 0 ? active : 0];
        if (target && !box.hidden) {
          e.preventDefault();
          go(target);
        }
      } else if (e.key === 'Escape') {
        // Escape always closes the list; a second Escape clears the input.
        if (timer) { clearTimeout(timer); timer = null; }
        dismissed = true;
        e.preventDefault();
        if (isOpen()) close(); else if (input.value) { input.value = ''; clear(); lastQuery = null; }
      } else if (e.key === 'Tab') {
        close(); // Tab leaves the widget for the next control, never into the list
      }
    });
    // Keep the focus in the input while an option is pressed; the click then follows it.
    box.addEventListener('mousedown', function (e) { e.preventDefault(); });
    box.addEventListener('click', function (e) {
      var li = e.target.closest('[role="option"]');
      if (li) go(li);
    });
    box.addEventListener('mousemove', function (e) {
      var li = e.target.closest('[role="option"]');
      var i = li ? options.indexOf(li) : -1;
      if (i >= 0 && i !== active) setActive(i);
    });
    form.addEventListener('focusout', function () {
      setTimeout(function () { if (!form.contains(document.activeElement)) close(); }, 0);
    });
    input.addEventListener('click', function () {
      if (!isOpen() && options.length && input.value === lastQuery) open();
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

  // The one global: for tests and for other scripts that want the same words.
  window.dossierSearch = {
    fold: fold,
    term: function (word) { var w = words(word); return w.length === 1 ? term(w[0]) : null; },
    load: load,
    query: function (text) {
      return load().then(function () {
        return search(parseQuery(text)).map(function (r) {
          var doc = index.docs[r.doc], heading = bestHeading(doc, r.terms);
          return { url: doc[0], title: doc[1], heading: heading ? heading[1] : '',
                   score: r.score, excerpt: excerpt(doc[4], r.terms).text };
        });
      });
    }
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
