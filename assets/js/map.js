/* The map page, after Folium's script has drawn the Leaflet map (dossier/maps/interactive.py).
 *
 * Adds: region names inside their shapes (full, else short, never overlapping), clusters for
 * sites that share a place, controls and messages in the page's language (from the JSON
 * #map-config, written by dossier/maps/text.py), popups sized to the map and panned fully into
 * view, Enter and Space on every button-like control, and focus that follows the keyboard.
 * No fact is ever parsed as HTML here: names are set with textContent.
 */
(function () {
  "use strict";
  var configElement = document.getElementById("map-config");
  if (!configElement || !window.L) { return; }
  var config = JSON.parse(configElement.textContent);
  var msg = config.messages;
  var map = window[config.names.map];
  var regionsLayer = window[config.names.regions];
  if (!map || !regionsLayer) { return; }
  var container = map.getContainer();
  var NARROW = 560; // px of map width below which the layer list and the credits fold
  var PAD = 10; // px kept free between a popup and the map's edge

  function narrow() { return map.getSize().x < NARROW; }
  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  // -- region shapes: drawn and clickable, but out of the tab order (the names below are the
  // keyboard's way in, and the table under the map holds the same facts).
  var regionByCode = {};
  regionsLayer.eachLayer(function (layer) {
    regionByCode[layer.feature.properties.code] = layer;
    var path = layer.getElement && layer.getElement();
    if (path) {
      path.setAttribute("tabindex", "-1");
      path.setAttribute("aria-hidden", "true");
    }
  });

  // -- controls, in the page's language ----------------------------------------------------
  L.control.zoom({ position: "topleft", zoomInTitle: msg.zoomIn, zoomOutTitle: msg.zoomOut })
    .addTo(map);
  L.control.scale({ position: "bottomleft", imperial: false, maxWidth: 120 }).addTo(map);

  var Credits = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-control map-credits");
      var button = L.DomUtil.create("button", "map-credits-toggle", box);
      button.type = "button";
      button.setAttribute("aria-label", msg.credits);
      button.setAttribute("aria-controls", "map-credits-text");
      button.setAttribute("aria-expanded", "false");
      button.title = msg.credits;
      button.textContent = "i";
      var body = L.DomUtil.create("span", "map-credits-text", box);
      body.id = "map-credits-text";
      body.innerHTML = config.credits; // escaped at build time (dossier/maps/interactive.py)
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.on(button, "click", function () {
        var open = box.classList.toggle("is-open");
        button.setAttribute("aria-expanded", open ? "true" : "false");
      });
      return box;
    }
  });
  var credits = new Credits().addTo(map);

  // -- clusters: sites and institutes that share a place are grouped, then spread ------------
  var points = null;
  if (L.markerClusterGroup) {
    points = L.markerClusterGroup({
      maxClusterRadius: 34, spiderfyOnMaxZoom: true, showCoverageOnHover: false,
      spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: function (cluster) {
        var n = cluster.getChildCount();
        var span = document.createElement("span");
        span.setAttribute("aria-hidden", "true");
        span.textContent = String(n);
        var name = document.createElement("span");
        name.className = "visually-hidden";
        name.textContent = format(msg.cluster, { n: n });
        var box = document.createElement("span");
        box.appendChild(span);
        box.appendChild(name);
        return L.divIcon({ className: "map-marker map-cluster", html: box.innerHTML,
                           iconSize: [32, 32] });
      }
    });
    ["sites", "institutes"].forEach(function (key) {
      var layer = config.names[key] && window[config.names[key]];
      if (layer) { map.removeLayer(layer); points.addLayer(layer); }
    });
    points.addTo(map);
  }

  // -- region names ------------------------------------------------------------------------
  map.createPane("labels");
  map.getPane("labels").style.zIndex = 550; // above shapes, under markers
  var labels = L.layerGroup();
  var entries = config.labels.map(function (item) {
    var region = regionByCode[item.code];
    var span = document.createElement("span");
    span.className = "map-label-text";
    span.lang = item.lang;
    span.dir = item.dir;
    var full = document.createElement("span");
    full.className = "map-label-full";
    full.textContent = item.full;
    var short = document.createElement("span");
    short.className = "map-label-short";
    short.textContent = item.short;
    span.appendChild(full);
    span.appendChild(short);
    var marker = L.marker([item.lat, item.lon], {
      pane: "labels", keyboard: true, riseOnHover: false,
      icon: L.divIcon({ className: "map-label", html: span, iconSize: null })
    });
    marker.on("click", function () {
      if (region) { region.openPopup(marker.getLatLng()); }
    });
    marker.on("add", function () {
      var el = marker.getElement();
      el.setAttribute("aria-label", format(msg.label, { name: item.full }));
      el.title = item.full;
    });
    var bounds = region ? region.getBounds() : null;
    return { marker: marker, region: region, area: bounds ? Math.abs(
      (bounds.getNorth() - bounds.getSouth()) * (bounds.getEast() - bounds.getWest())) : 0 };
  });
  entries.forEach(function (e) { labels.addLayer(e.marker); });
  labels.addTo(map);
  // Small regions place their names first: large ones have room to give way.
  var byPriority = entries.slice().sort(function (a, b) { return a.area - b.area; });

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function inside(r, box) {
    return r.left >= box.left && r.right <= box.right && r.top >= box.top &&
      r.bottom <= box.bottom;
  }
  // Forms tried, best first: full name, short form, smaller, then nudged around the anchor.
  var FORMS = [["", 0, 0], ["is-short", 0, 0], ["is-short is-small", 0, 0]];
  [[0, -14], [0, 14], [-20, 0], [20, 0], [-16, -14], [16, -14], [-16, 14], [16, 14],
   [0, -26], [0, 26], [-30, 0], [30, 0], [-28, -20], [28, -20], [-28, 20], [28, 20],
   [0, -38], [0, 38]].forEach(function (d) {
    FORMS.push(["is-short", d[0], d[1]]);
    FORMS.push(["is-short is-small", d[0], d[1]]);
  });
  function area(a, b) {
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 0 && h > 0 ? w * h : 0;
  }

  // Markers and controls are obstacles too: a name never hides what can be clicked.
  function obstacles() {
    var found = [];
    var selector = ".leaflet-marker-pane .leaflet-marker-icon:not(.chef-marker), " +
      ".leaflet-control";
    Array.prototype.forEach.call(container.querySelectorAll(selector), function (el) {
      if (el.getClientRects().length) { found.push(el.getBoundingClientRect()); }
    });
    return found;
  }
  function regionWidth(entry) {
    if (!entry.region) { return Infinity; }
    var b = entry.region.getBounds();
    return map.latLngToContainerPoint(b.getNorthEast()).x -
      map.latLngToContainerPoint(b.getSouthWest()).x;
  }

  function tryForm(el, form) {
    el.className = el.className.replace(/ ?is-(short|small)/g, "");
    if (form[0]) { el.className += " " + form[0]; }
    el.style.marginLeft = (-el.offsetWidth / 2 + form[1]) + "px";
    el.style.marginTop = (-el.offsetHeight / 2 + form[2]) + "px";
    return el.getBoundingClientRect();
  }

  function layoutLabels() {
    if (!map.hasLayer(labels)) { return; }
    var box = container.getBoundingClientRect();
    var blocked = obstacles();
    var taken = [];
    byPriority.forEach(function (entry) {
      var el = entry.marker.getElement();
      if (!el) { return; }
      // A full name much wider than its region would spill over its neighbours: short form.
      var room = 1.25 * regionWidth(entry);
      var best = null;
      for (var i = 0; i < FORMS.length; i++) {
        var r = tryForm(el, FORMS[i]);
        // Another name or the map's edge: never; a marker or control: as little as can be.
        var cost = i * 0.01 + (i === 0 && r.width > room ? 500 : 0) +
          (inside(r, box) ? 0 : 1e6);
        taken.forEach(function (t) { cost += overlaps(r, t) ? 1e5 : 0; });
        blocked.forEach(function (t) { cost += area(r, t); });
        if (!best || cost < best.cost) { best = { cost: cost, i: i }; }
        if (cost < 1) { break; }
      }
      var chosen = tryForm(el, FORMS[best.i]);
      taken.push(chosen);
    });
  }
  map.on("zoomend resize", layoutLabels);
  if (points) { points.on("animationend spiderfied unspiderfied", layoutLabels); }
  labels.on("add", layoutLabels);

  var overlays = {};
  overlays[msg.layer_regions] = regionsLayer;
  overlays[msg.layer_labels] = labels;
  if (points) { overlays[msg.layer_points] = points; }
  if (config.names.chefs) { overlays[msg.layer_chefs] = window[config.names.chefs]; }
  var layers = L.control.layers(null, overlays, { collapsed: narrow(), position: "bottomright" });
  layers.addTo(map);
  credits.remove().addTo(map); // below the layer list
  function nameLayersToggle() {
    var link = layers._layersLink; // Leaflet 1.9.3 titles it "Layers" in English
    if (link) { link.title = msg.layers; link.setAttribute("aria-label", msg.layers); }
  }
  nameLayersToggle();
  function foldCredits() {
    credits.getContainer().classList.toggle("is-folded", narrow());
  }
  foldCredits();
  map.on("resize", foldCredits);

  // -- popups that fit ----------------------------------------------------------------------
  // Sized from the map when each opens; while one shows, the bounds let go so the map can
  // pan it fully into view, and they come back (panning home) when it closes.
  var updateLayout = L.Popup.prototype._updateLayout;
  var adjustPan = L.Popup.prototype._adjustPan;
  var heldBounds = null;
  L.Popup.include({
    _updateLayout: function () {
      if (this._map === map) {
        var size = map.getSize();
        // Leaflet sizes the content: the wrapper adds 45 px of margins and borders.
        this.options.maxWidth = Math.max(160, Math.min(300, size.x - 2 * PAD - 46));
        this.options.minWidth = Math.min(200, this.options.maxWidth);
        // The wrapper's padding, the tip and the marker above it take about 90 px.
        this.options.maxHeight = Math.max(120, size.y - 2 * PAD - 90);
        this.options.autoPanPadding = [PAD, PAD];
      }
      return updateLayout.call(this);
    },
    _adjustPan: function () {
      if (this._map === map && map.options.maxBounds) {
        heldBounds = map.options.maxBounds;
        map.setMaxBounds(null);
      }
      return adjustPan.apply(this, arguments);
    }
  });
  map.on("popupclose", function () {
    if (heldBounds) {
      var bounds = heldBounds;
      heldBounds = null;
      map.setMaxBounds(bounds);
    }
  });

  // -- keyboard ------------------------------------------------------------------------------
  // Leaflet handles keys only while the map itself has focus: move focus into a popup opened
  // from a marker or a name, and let Escape close it and go back.
  var back = null;
  map.on("popupopen", function (e) {
    var close = e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.title = msg.closePopup; close.setAttribute("aria-label", msg.closePopup); }
    var from = document.activeElement;
    back = container.contains(from) && from !== container ? from : null;
    var content = e.popup.getElement().querySelector(".leaflet-popup-content");
    if (back && content) {
      content.tabIndex = -1;
      content.focus({ preventScroll: true });
    }
  });
  container.addEventListener("keydown", function (e) {
    var target = e.target;
    if (e.key === "Escape" && back) {
      var to = back;
      back = null;
      map.closePopup();
      to.focus();
      return;
    }
    var isButton = target.getAttribute && target.getAttribute("role") === "button";
    if (!isButton) { return; }
    // Space activates every button-like control; Enter those Leaflet leaves alone.
    var enterToo = target.classList.contains("map-label") ||
      target.classList.contains("map-cluster");
    if (e.key === " " || e.key === "Spacebar" || (e.key === "Enter" && enterToo)) {
      e.preventDefault();
      e.stopPropagation();
      if (e.key !== "Enter" && target.classList.contains("map-marker") &&
          !target.classList.contains("map-cluster")) {
        // A marker's popup opens on Enter in Leaflet: Space does the same.
        var layer = markerOf(target);
        if (layer) { layer.openPopup(); return; }
      }
      target.click();
    }
  });
  function markerOf(element) {
    var found = null;
    if (points) {
      points.eachLayer(function (layer) { if (layer._icon === element) { found = layer; } });
    }
    return found;
  }
  // A cluster opened from the keyboard hands focus to its first marker once it shows.
  if (points) {
    var expanding = null;
    points.on("clusterclick", function (e) {
      var icon = e.layer._icon;
      expanding = icon && document.activeElement === icon ? e.layer.getAllChildMarkers() : null;
    });
    var focusFirst = function () {
      if (!expanding) { return; }
      var first = expanding[0];
      var shown = points.getVisibleParent(first);
      expanding = null;
      if (shown && shown._icon) { shown._icon.focus(); }
    };
    points.on("animationend spiderfied", focusFirst);
    map.on("zoomend", function () { window.setTimeout(focusFirst, 0); });
  }

  layoutLabels();
  // Once fonts and styles have settled the names are measured again.
  window.addEventListener("load", layoutLabels);
})();
