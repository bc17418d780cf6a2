/* geo-assets maps of a large city: lamps and the city's own basemap as vector tiles.
 *
 * Above the map tile threshold the page embeds no lamp: Leaflet.VectorGrid draws them from
 * /ogc/collections/lamps/tiles (Mapbox vector tiles built by PostGIS), coloured by status.
 * Every tile request revalidates (fetch cache "no-cache": a 304 when the tile's ETag still
 * holds), so a redraw shows status changes without reloading the page; the layer redraws
 * itself every `refreshSeconds`. The search box asks the server for lamps by code.
 */
(function () {
  "use strict";

  // Leaflet 1.9 dropped L.DomEvent.fakeStop, which VectorGrid 1.3's canvas click handler calls;
  // stopping the click there keeps the map from closing the popup the click opens.
  if (L.DomEvent && !L.DomEvent.fakeStop) {
    L.DomEvent.fakeStop = function (event) { L.DomEvent.stopPropagation(event); return true; };
  }

  // Leaflet 1.9 treats a clicked layer with getLatLng and a small radius as a marker and reads its
  // position, which VectorGrid's point symbolizers (tile pixels only) do not have: without it the
  // click's position comes from the mouse, as for any path.
  if (L.VectorGrid && !L.VectorGrid.prototype._gaPointsPatched) {
    var createLayer = L.VectorGrid.prototype._createLayer;
    L.VectorGrid.prototype._createLayer = function (feature, pxPerExtent) {
      var layer = createLayer.call(this, feature, pxPerExtent);
      if (layer && layer.getLatLng) { layer.getLatLng = null; }
      return layer;
    };
    L.VectorGrid.prototype._gaPointsPatched = true;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function pane(map, name, zIndex) {
    if (!map.getPane(name)) { map.createPane(name).style.zIndex = zIndex; }
    return name;
  }

  function statusOf(config, code) {
    for (var i = 0; i < config.statuses.length; i++) {
      if (config.statuses[i].code === code) { return config.statuses[i]; }
    }
    return { code: code, label: code, color: "#455a64" };
  }

  // Aggregated points (low zooms) carry how many lamps they stand for.
  function lampCount(props) {
    var count = Number(props.count || props.point_count || props.lamps || 1);
    return isNaN(count) ? 1 : count;
  }

  function lampStyle(config) {
    return function (props, zoom) {
      var count = lampCount(props), color = statusOf(config, props.status).color;
      var radius = count > 1 ? Math.min(14, 4 + 2 * Math.log(count) / Math.LN10 * 1.5) :
        (zoom >= 16 ? 6 : zoom >= 14 ? 4 : 3);
      return { radius: radius, fill: true, fillColor: color, fillOpacity: 0.9,
        color: "#ffffff", weight: count > 1 ? 1.5 : 1, opacity: 1 };
    };
  }

  function popupHtml(config, props) {
    var t = config.text, status = statusOf(config, props.status), count = lampCount(props);
    var rows = [];
    if (count > 1) {
      rows.push([t.lamps, String(count)]);
      rows.push([t.worst_status, '<span class="ga-dot" style="background:' + status.color +
        '"></span>' + escapeHtml(status.label), true]);
    } else {
      rows.push([t.lamp_type, config.types[props.lamp_type] || props.lamp_type || t.none]);
      rows.push([t.wattage, props.wattage == null ? t.none : props.wattage + " W"]);
      rows.push([t.status, '<span class="ga-dot" style="background:' + status.color +
        '"></span>' + escapeHtml(status.label), true]);
    }
    var title = count > 1 ? t.lamp_group : (props.code || t.none);
    var html = '<div class="ga-popup" data-lamp-code="' + escapeHtml(props.code || "") +
      '"><h4>' + escapeHtml(title) + "</h4><table>";
    rows.forEach(function (row) {
      html += "<tr><th>" + escapeHtml(row[0]) + "</th><td>" +
        (row[2] ? row[1] : escapeHtml(row[1])) + "</td></tr>";
    });
    return html + "</table></div>";
  }

  // The lamps as vector tiles from `url` ({z}/{y}/{x}), coloured by status, with popups.
  function lampTileLayer(map, url, config) {
    var styles = {}, mergedPoints = 0;
    styles[config.layer] = lampStyle(config);
    var layer = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile,
      vectorTileLayerStyles: styles,
      interactive: true,
      pane: pane(map, "ga-lamps", 450),
      // 512-pixel tiles one zoom lower: a quarter of the requests, and the server's merged
      // points (one per 1/256 of a tile) fall 2 px apart, a quarter of the points to draw.
      tileSize: config.tileSize,
      zoomOffset: -Math.round(Math.log(config.tileSize / 256) / Math.LN2),
      maxNativeZoom: config.maxNativeZoom, maxZoom: config.maxZoom,
      fetchOptions: { cache: "no-cache", credentials: "same-origin" },
      // The MVT feature id is the lamp's id; a merged point (a cell of lamps) has none, so it
      // gets a key of its own: VectorGrid keeps one feature per key and tile.
      getFeatureId: function (feature) {
        if (feature.id != null) { return feature.id; }
        return feature.properties.code || "cell-" + (mergedPoints += 1);
      }
    });
    // VectorGrid builds tile URLs from the grid's own zoom; ask for the zoom the offset means.
    var fetchTile = layer._getVectorTilePromise, offset = layer.options.zoomOffset;
    layer._getVectorTilePromise = function (coords) {
      var wanted = L.point(coords.x, coords.y);
      wanted.z = coords.z + offset;
      return fetchTile.call(this, wanted);
    };
    layer.on("click", function (event) {
      L.popup({ maxWidth: 320 }).setLatLng(event.latlng)
        .setContent(popupHtml(config, event.layer.properties)).openOn(map);
    });
    // Marks the page once the lamps in view are drawn (for benchmarks and tests to wait on).
    layer.on("load", function () {
      document.documentElement.setAttribute("data-lamps-drawn", String(Date.now()));
    });
    if (config.refreshSeconds > 0) {
      window.setInterval(function () {
        if (!document.hidden && map.hasLayer(layer)) { layer.redraw(); }
      }, config.refreshSeconds * 1000);
    }
    return layer;
  }

  // The city's own kecamatan, kelurahan and roads, readable when the OSM tiles are not.
  function basemapLayer(map, url, config) {
    var weights = config.roadWeights;
    var layer = L.vectorGrid.protobuf(url, {
      rendererFactory: L.canvas.tile,
      interactive: false,
      pane: pane(map, "ga-basemap", 250),
      // Kept per tile so that one can tell what a tile drew (ids repeat across its layers).
      getFeatureId: function (feature) { return feature.properties.code || feature.id; },
      maxNativeZoom: config.maxNativeZoom, maxZoom: config.maxZoom,
      fetchOptions: { credentials: "same-origin" },
      vectorTileLayerStyles: {
        kelurahan: { color: config.context, weight: 1, dashArray: "4 3", fill: true,
          fillColor: "#eceff1", fillOpacity: 0.25 },
        kecamatan: { color: "#263238", weight: 2.5, fill: false },
        roads: function (props) {
          return { color: "#90a4ae", opacity: 0.9, weight: weights[props.road_class] || 1 };
        }
      }
    });
    return layer;
  }

  function lampRows(config, lamp) {
    return popupHtml(config, { code: lamp.code, status: lamp.status,
      lamp_type: lamp.lamp_type, wattage: lamp.wattage });
  }

  // Fly to a found lamp and open its popup once the map has arrived.
  function showFound(map, config, lamp) {
    var at = L.latLng(lamp.lat, lamp.lon);
    map.once("moveend", function () {
      L.popup({ maxWidth: 320 }).setLatLng(at).setContent(lampRows(config, lamp)).openOn(map);
    });
    map.flyTo(at, Math.max(map.getZoom(), config.searchZoom), { duration: 0.5 });
  }

  // A search box: the server lists lamps whose code contains what was typed.
  function tileSearchControl(map, url, config) {
    var t = config.text, control = L.control({ position: "topleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "ga-search leaflet-bar");
      var input = L.DomUtil.create("input", "", box), list = L.DomUtil.create("ul", "", box);
      var pending = null, asked = 0;
      input.type = "search"; input.placeholder = t.search; input.setAttribute("aria-label", t.search);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      function ask(query) {
        var ticket = ++asked;
        return fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { lamps: [] }; })
          .then(function (body) { return ticket === asked ? body.lamps : null; });
      }
      function choose(lamp) { list.innerHTML = ""; input.value = lamp.code; showFound(map, config, lamp); }
      function show(lamps) {
        if (lamps === null) { return; }
        list.innerHTML = "";
        lamps.forEach(function (lamp) {
          var item = L.DomUtil.create("li", "", list);
          item.textContent = lamp.code;
          item.addEventListener("click", function () { choose(lamp); });
        });
        if (!lamps.length && input.value.trim()) {
          L.DomUtil.create("li", "ga-none", list).textContent = t.not_found;
        }
      }
      input.addEventListener("input", function () {
        window.clearTimeout(pending);
        var query = input.value.trim();
        if (!query) { list.innerHTML = ""; return; }
        pending = window.setTimeout(function () { ask(query).then(show); }, 200);
      });
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || !input.value.trim()) { return; }
        window.clearTimeout(pending);
        ask(input.value.trim()).then(function (lamps) {
          if (lamps === null) { return; }
          if (lamps.length) { choose(lamps[0]); } else { show(lamps); }
        });
      });
      return box;
    };
    return control.addTo(map);
  }

  // A short note on the map (e.g. "this file shows counts per kelurahan").
  function note(map, text, position) {
    var control = L.control({ position: position || "topright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "ga-note");
      div.textContent = text;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control.addTo(map);
  }

  window.GeoAssetsTiles = {
    lampTileLayer: lampTileLayer, basemapLayer: basemapLayer,
    tileSearchControl: tileSearchControl, popupHtml: popupHtml, note: note
  };
})();
