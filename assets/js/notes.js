/* Note markers: a popover with the note's sources on hover, focus, Enter or tap.
 *
 * Without this script a marker is a plain link to its note in "Sources et notes" and the
 * note links back. With it, the popover is a copy of that note placed just after the
 * marker (so Tab walks into its links), shown with position: fixed so that no table's
 * scroll container clips it. Escape closes it and gives the focus back to the marker.
 */
(function () {
  'use strict';
  var current = null; // {ref: the marker's link, pop: its popover}
  var closeTimer = null;
  var counter = 0;
  var refocused = null; // the marker Escape gave the focus back to: it stays closed

  function noteOf(ref) {
    var id = decodeURIComponent(ref.getAttribute('href').slice(1));
    var note = document.getElementById(id);
    return note ? note.querySelector('.note-body') : null;
  }

  function build(ref) {
    var body = noteOf(ref);
    if (!body) return null;
    var pop = document.createElement('span');
    pop.className = 'note-popover';
    pop.id = 'note-popover-' + (++counter);
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-label', ref.getAttribute('aria-label') || 'Note');
    var copy = body.cloneNode(true);
    var withId = copy.querySelectorAll('[id]');
    for (var i = 0; i < withId.length; i++) withId[i].removeAttribute('id');
    pop.appendChild(copy);
    var more = document.createElement('a');
    more.className = 'note-popover-more';
    more.href = ref.getAttribute('href');
    more.textContent = 'Voir dans « Sources et notes »';
    pop.appendChild(more);
    pop.addEventListener('mouseenter', cancelClose);
    pop.addEventListener('mouseleave', scheduleClose);
    return pop;
  }

  function place(ref, pop) {
    var rect = ref.getBoundingClientRect();
    var width = Math.min(pop.offsetWidth || 360, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(rect.left - 16, document.documentElement.clientWidth - width - 8));
    pop.style.left = left + 'px';
    var below = rect.bottom + 6;
    var height = pop.offsetHeight;
    var room = window.innerHeight - below;
    if (height > room && rect.top - 6 > room) {
      pop.style.top = Math.max(8, rect.top - 6 - height) + 'px';
      pop.style.maxHeight = (rect.top - 14) + 'px';
    } else {
      pop.style.top = below + 'px';
      pop.style.maxHeight = Math.max(120, room - 8) + 'px';
    }
  }

  function open(ref) {
    cancelClose();
    if (current && current.ref === ref) return;
    close(false);
    var pop = build(ref);
    if (!pop) return;
    var sup = ref.parentNode;
    sup.parentNode.insertBefore(pop, sup.nextSibling);
    ref.setAttribute('aria-expanded', 'true');
    ref.setAttribute('aria-controls', pop.id);
    current = {ref: ref, pop: pop};
    place(ref, pop);
  }

  function close(refocus) {
    cancelClose();
    if (!current) return;
    var ref = current.ref;
    if (current.pop.parentNode) current.pop.parentNode.removeChild(current.pop);
    ref.setAttribute('aria-expanded', 'false');
    ref.removeAttribute('aria-controls');
    current = null;
    if (refocus) { refocused = ref; ref.focus(); }
  }

  function scheduleClose() {
    cancelClose();
    closeTimer = setTimeout(function () {
      var active = document.activeElement;
      if (current && (current.ref === active || current.pop.contains(active))) return;
      close(false);
    }, 250);
  }

  function cancelClose() {
    if (closeTimer) clearTimeout(closeTimer);
    closeTimer = null;
  }

  function markerOf(target) {
    var link = target && target.closest ? target.closest('.note-ref a') : null;
    return link;
  }

  document.addEventListener('mouseover', function (event) {
    var ref = markerOf(event.target);
    if (ref) open(ref);
  });
  document.addEventListener('mouseout', function (event) {
    if (markerOf(event.target)) scheduleClose();
  });
  document.addEventListener('focusin', function (event) {
    var ref = markerOf(event.target);
    if (ref && ref === refocused) { refocused = null; return; }
    refocused = null;
    if (ref) { open(ref); return; }
    if (current && !current.pop.contains(event.target)) close(false);
  });
  document.addEventListener('click', function (event) {
    var ref = markerOf(event.target);
    if (ref) {
      // Enter or a tap opens the popover; the note itself is one link further.
      event.preventDefault();
      open(ref);
      return;
    }
    if (current && !current.pop.contains(event.target)) close(false);
  });
  document.addEventListener('keydown', function (event) {
    if ((event.key === 'Escape' || event.key === 'Esc') && current) {
      event.preventDefault();
      close(true);
    }
  });
  window.addEventListener('resize', function () { if (current) place(current.ref, current.pop); });
  window.addEventListener('scroll', function () {
    if (current) place(current.ref, current.pop);
  }, {passive: true});

  var refs = document.querySelectorAll('.note-ref a');
  for (var i = 0; i < refs.length; i++) refs[i].setAttribute('aria-expanded', 'false');
})();
