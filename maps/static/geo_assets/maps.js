/* geo-assets maps: lamps drawn client-side from one compact array, legend, search by code.
 *
 * The page embeds the lamps once as columns of small integers (see maps/lamp_data.py);
 * decodeLamps turns them back into positions, codes and popup fields, and lampLayer puts the
 * lamps of one status into a Leaflet.markercluster group. Popups are built on click.
 */
(function () {
  "use strict";

  var WITA_MINUTES = 8 * 60; // Banjarbaru keeps Central Indonesia Time, UTC+8

  function undelta(values) {
    var out = new Array(values.length), sum = 0;
    for (var i = 0; i < values.length; i++) { sum += values[i]; out[i] = sum; }
    return out;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function pad(value, width) {
    var text = String(value);
    while (text.length < width) { text = "0" + text; }
    return text;
  }

  function decodeLamps(payload, config) {
    var x = undelta(payload.x), y = undelta(payload.y), ids = undelta(payload.id);
    var numbers = undelta(payload.cn), n = payload.n, codes = new Array(n);
    for (var i = 0; i < n; i++) {
      var p = payload.c[i], width = payload.widths[p];
      codes[i] = payload.prefixes[p] + (width ? pad(numbers[i], width) : "");
    }
    return {
      n: n, lon: x.map(function (v) { return v / 1e5; }), lat: y.map(function (v) { return v / 1e5; }),
      id: ids, code: codes, status: payload.s, type: payload.t, watt: payload.w,
      road: payload.r, kel: payload.k, event: payload.e, eventBase: payload.tbase,
      tables: payload.tables, config: config, markers: new Array(n), groups: {}
    };
  }

  function eventTime(data, i) {
    var minutes = data.event[i];
    if (minutes < 0) { return data.config.text.none; }
    var d = new Date((data.eventBase + minutes + WITA_MINUTES) * 60000);
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1, 2) + "-" + pad(d.getUTCDate(), 2) +
      " " + pad(d.getUTCHours(), 2) + ":" + pad(d.getUTCMinutes(), 2) + " WITA";
  }

  function popupHtml(data, i) {
    var t = data.config.text, tables = data.tables, status = data.config.statuses[data.status[i]];
    var road = data.road[i] < 0 ? t.none : tables.roads[data.road[i]];
    var kel = data.kel[i] < 0 ? t.none : tables.kelurahan[data.kel[i]];
    var rows = [
      [t.lamp_type, tables.types[data.type[i]]],
      [t.wattage, data.watt[i] + " W"],
      [t.road, road],
      [t.kelurahan, kel],
      [t.status, '<span class="ga-dot" style="background:' + status.color + '"></span>' +
        escapeHtml(status.label), true],
      [t.last_event, eventTime(data, i)]
    ];
    var html = '<div class="ga-popup" data-lamp-id="' + data.id[i] + '"><h4>' +
      escapeHtml(data.code[i]) + "</h4><table>";
    rows.forEach(function (row) {
      html += "<tr><th>" + escapeHtml(row[0]) + "</th><td>" +
        (row[2] ? row[1] : escapeHtml(row[1])) + "</td></tr>";
    });
    return html + "</table></div>";
  }

  function openPopup(data, marker) {
    if (!marker.getPopup()) { marker.bindPopup(popupHtml(data, marker.lampIndex), { maxWidth: 320 }); }
    marker.openPopup();
  }

  function clusterIcon(color) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 100 ? 36 : count < 1000 ? 42 : 48;
      return L.divIcon({
        html: '<div style="background-color:' + color + '"><span>' + count + "</span></div>",
        className: "marker-cluster ga-cluster", iconSize: L.point(size, size)
      });
    };
  }

  // One layer of lamps: those of status `statusIndex` (or all with -1), clustered or not.
  function lampLayer(data, statusIndex, cluster) {
    var statuses = data.config.statuses;
    var color = statusIndex >= 0 ? statuses[statusIndex].color : "#455a64";
    var group = cluster ? L.markerClusterGroup({
      showCoverageOnHover: false, maxClusterRadius: 60,
      disableClusteringAtZoom: 17, spiderfyOnMaxZoom: false, iconCreateFunction: clusterIcon(color)
    }) : L.featureGroup();
    var icons = statuses.map(function (s) {
      return L.divIcon({ className: "ga-lamp", iconSize: [12, 12],
        html: '<span style="background:' + s.color + '"></span>' });
    });
    var markers = [];
    for (var i = 0; i < data.n; i++) {
      if (statusIndex >= 0 && data.status[i] !== statusIndex) { continue; }
      var marker = L.marker([data.lat[i], data.lon[i]], {
        icon: icons[data.status[i]], title: data.code[i], alt: data.code[i], keyboard: false
      });
      marker.lampIndex = i;
      data.markers[i] = marker;
      markers.push(marker);
    }
    if (cluster) {
      // Index the markers once the group is on the map: before that, markercluster checks each
      // new marker against every queued one (quadratic: ~0.3 s for 13,000 lamps).
      group.once("add", function () { group.addLayers(markers); });
    } else {
      markers.forEach(function (m) { group.addLayer(m); });
    }
    group.on("click", function (event) { openPopup(data, event.layer); });
    data.groups[statusIndex] = group;
    return group;
  }

  function showLamp(map, data, i) {
    var marker = data.markers[i];
    var group = data.groups[data.status[i]] || data.groups[-1];
    if (!marker || !group) { return; }
    if (!map.hasLayer(group)) { map.addLayer(group); }
    if (group.zoomToShowLayer) {
      group.zoomToShowLayer(marker, function () { openPopup(data, marker); });
    } else {
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 18));
      openPopup(data, marker);
    }
  }

  // A search box: type part of a lamp code, pick a match (or press Enter) to fly to it.
  function searchControl(map, data, text) {
    var control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "ga-search leaflet-bar");
      var input = L.DomUtil.create("input", "", box);
      var list = L.DomUtil.create("ul", "", box);
      input.type = "search"; input.placeholder = text.search; input.setAttribute("aria-label", text.search);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      function matches(query) {
        var found = [], q = query.trim().toUpperCase();
        if (!q) { return found; }
        for (var i = 0; i < data.n && found.length < 8; i++) {
          if (data.code[i].toUpperCase().indexOf(q) >= 0) { found.push(i); }
        }
        return found;
      }
      function choose(i) { list.innerHTML = ""; input.value = data.code[i]; showLamp(map, data, i); }
      input.addEventListener("input", function () {
        var found = matches(input.value);
        list.innerHTML = "";
        found.forEach(function (i) {
          var item = L.DomUtil.create("li", "", list);
          item.textContent = data.code[i];
          item.addEventListener("click", function () { choose(i); });
        });
        if (!found.length && input.value.trim()) {
          L.DomUtil.create("li", "ga-none", list).textContent = text.not_found;
        }
      });
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        var q = input.value.trim().toUpperCase(), exact = data.code.findIndex(function (c) {
          return c.toUpperCase() === q;
        });
        var found = exact >= 0 ? [exact] : matches(input.value);
        if (found.length) { choose(found[0]); }
      });
      return box;
    };
    return control.addTo(map);
  }

  function legend(map, html, position) {
    var control = L.control({ position: position || "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "ga-legend");
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return control.addTo(map);
  }

  // Grave plots: polygons from integer steps, on the map's canvas, shown from `minZoom` on
  // (unless the person switched them off in the layer control).
  function plotLayer(map, payload, config, minZoom) {
    var group = L.featureGroup(), x = 0, y = 0, k = 0;
    for (var i = 0; i < payload.n; i++) {
      var ring = [];
      for (var v = 0; v < payload.nv[i]; v++, k += 2) {
        x += payload.xy[k]; y += payload.xy[k + 1];
        ring.push([y / 1e6, x / 1e6]);
      }
      var status = config.statuses[payload.s[i]];
      var plot = L.polygon(ring, { color: "#5d4037", weight: 0.5, fillColor: status.color,
        fillOpacity: 0.85 });
      plot.plotIndex = i;
      group.addLayer(plot);
    }
    function code(i) {
      var prefix = payload.prefixes[payload.b[i]];
      return payload.r[i] < 0 ? prefix : prefix + "-" + payload.r[i] + "-" + payload.p[i];
    }
    group.on("click", function (event) {
      var i = event.layer.plotIndex, status = config.statuses[payload.s[i]];
      L.popup().setLatLng(event.latlng).setContent('<div class="ga-popup"><h4>' +
        escapeHtml(code(i)) + '</h4><span class="ga-dot" style="background:' + status.color +
        '"></span>' + escapeHtml(status.label) + "</div>").openOn(map);
    });
    var wanted = true;
    map.on("overlayadd", function (e) { if (e.layer === group) { wanted = true; } });
    map.on("overlayremove", function (e) { if (e.layer === group) { wanted = false; } });
    function update() {
      var show = wanted && map.getZoom() >= minZoom;
      if (show && !map.hasLayer(group)) { map.addLayer(group); }
      if (!show && map.hasLayer(group)) { map.removeLayer(group); }
    }
    map.on("zoomend", update);
    map.whenReady(update);
    return group;
  }

  window.GeoAssetsMaps = {
    decodeLamps: decodeLamps, lampLayer: lampLayer, searchControl: searchControl,
    showLamp: showLamp, legend: legend, popupHtml: popupHtml,
    plotLayer: plotLayer
  };
})();
