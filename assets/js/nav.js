/* Page chrome: the phone menu, the table of contents' current section, record tables as
   cards on phones, the cue on tables that scroll sideways. Classic script (works from file://); the page is complete without it. */
(function () {
  'use strict';
  var NARROW = window.matchMedia('(max-width: 47.99rem)');

  // ---- the menu button (narrow screens) -----------------------------------------------
  function menu() {
    var button = document.querySelector('.menu-toggle');
    var nav = document.getElementById('site-nav');
    if (!button || !nav) return;
    button.hidden = false;
    document.documentElement.classList.add('has-menu');

    function set(open) {
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
      nav.classList.toggle('is-open', open);
    }
    button.addEventListener('click', function () {
      set(button.getAttribute('aria-expanded') !== 'true');
    });
    // Escape closes the open menu from the button or any of its links, focus back on the button.
    document.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape' || button.getAttribute('aria-expanded') !== 'true') return;
      if (e.target === button || nav.contains(e.target)) {
        set(false);
        button.focus();
      }
    });
    NARROW.addEventListener('change', function () { set(false); });
  }

  // ---- the table of contents: mark the section being read -------------------------------
  function toc() {
    var links = document.querySelectorAll('.toc a[href^="#"]');
    var items = [];
    for (var i = 0; i < links.length; i++) {
      var target = document.getElementById(decodeURIComponent(links[i].hash.slice(1)));
      if (target) items.push({ link: links[i], heading: target });
    }
    if (!items.length) return;
    var current = null, queued = false;

    function update() {
      queued = false;
      // The current section is the last one whose heading is above a line at 30 % of the
      // window; at the very bottom of the page, the last section (it may be too short to
      // reach that line).
      var line = window.innerHeight * 0.3, found = null;
      for (var i = 0; i < items.length; i++) {
        if (items[i].heading.getBoundingClientRect().top <= line) found = items[i];
      }
      var bottom = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
      if (bottom && items[items.length - 1].heading.getBoundingClientRect().top < window.innerHeight) {
        found = items[items.length - 1];
      }
      if (found === current) return;
      if (current) current.link.removeAttribute('aria-current');
      if (found) found.link.setAttribute('aria-current', 'location');
      current = found;
    }
    function queue() {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }
    window.addEventListener('scroll', queue, { passive: true });
    window.addEventListener('resize', queue);
    window.addEventListener('hashchange', queue);
    update();
  }

  // ---- tables wider than their column: say so ------------------------------------------
  function tables() {
    var wraps = document.querySelectorAll('.table-wrap');
    if (!wraps.length) return;
    function mark() {
      for (var i = 0; i < wraps.length; i++) {
        var w = wraps[i];
        w.classList.toggle('is-scrollable', w.scrollWidth > w.clientWidth + 1);
      }
    }
    window.addEventListener('resize', mark);
    mark();
  }

  // ---- record tables: one card per row on phones -----------------------------------------
  // A data table of three columns or more reads as stacked cards on narrow screens (site.css,
  // .can-stack): every cell gets its column's name, and explicit roles keep it a table for
  // screen readers once CSS makes its parts blocks. Without JavaScript it scrolls instead.
  var ROLES = { TABLE: 'table', THEAD: 'rowgroup', TBODY: 'rowgroup', TR: 'row', TD: 'cell' };
  function stack() {
    var tables = document.querySelectorAll('.table-wrap > table.data');
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i], head = table.tHead && table.tHead.rows[0];
      if (!head || head.cells.length < 3) continue;
      var names = [];
      for (var c = 0; c < head.cells.length; c++) names.push(head.cells[c].textContent.trim());
      var parts = table.querySelectorAll('thead, tbody, tr, th, td');
      table.setAttribute('role', 'table');
      for (var k = 0; k < parts.length; k++) {
        var el = parts[k];
        var role = el.tagName === 'TH' ? (el.closest('thead') ? 'columnheader' : 'rowheader')
          : ROLES[el.tagName];
        el.setAttribute('role', role);
        if (el.tagName === 'TD' && names[el.cellIndex] && !el.hasAttribute('data-label')) {
          el.setAttribute('data-label', names[el.cellIndex]);
        }
      }
      table.parentNode.classList.add('can-stack');
    }
  }

  function start() { menu(); toc(); stack(); tables(); }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
