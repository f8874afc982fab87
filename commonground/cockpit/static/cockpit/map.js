/* The cockpit map: Leaflet (a basemap only when one is configured), one GeoJSON layer per checkbox, each read
   from /api/cockpit/layers/<layer>?place=<code>; a feature's popup links to its record's page. Names are data,
   never markup: popups are built from elements with text content. */
(function () {
  "use strict";
  var holder = document.getElementById("cockpit-map");
  var source = document.getElementById("cockpit-map-data");
  if (!window.L || !window.CGMap || !holder || !source) { return; }
  var data = JSON.parse(source.textContent);
  var textHolder = document.getElementById("cockpit-map-text");
  var openText = textHolder ? textHolder.dataset.open : "";
  var map = CGMap.create(holder, data);
  map.setView(data.centre, data.zoom);
  CGMap.showLabels(map);
  CGMap.areas(map, data.areas, data.place);  // the streets and communities underneath, for orientation
  var STYLE = {
    areas: function (p) { return p.kind === "estate" ? { color: "#8d6e63", weight: 1, fillColor: "#d7ccc8", fillOpacity: 0.4 }
                                                      : { color: "#455a64", weight: 1, fillColor: "#90a4ae", fillOpacity: 0.5 }; },
    offices: function () { return { color: "#1565c0", weight: 2, fillColor: "#90caf9", fillOpacity: 0.5 }; }
  };
  var DOT = {
    offices: function () { return { radius: 7, color: "#0d47a1", fillColor: "#42a5f5", fillOpacity: 0.9, weight: 2 }; },
    cases: function (p) { return { radius: 6, color: p.overdue ? "#b3261e" : "#ffffff", weight: p.overdue ? 3 : 1,
                                   fillColor: "#b34700", fillOpacity: 0.9 }; },
    density: function (p) { return { radius: Math.min(30, 6 + 3 * Math.sqrt(p.count)), stroke: false,
                                     fillColor: "#e53935", fillOpacity: 0.35 }; },
    warnings: function (p) { return { radius: 9, color: "#000000", weight: 1,
                                      fillColor: p.severity >= 3 ? "#b3261e" : (p.severity === 2 ? "#ef6c00" : "#fbc02d"),
                                      fillOpacity: 0.95 }; },
    sensors: function () { return { radius: 5, color: "#004d40", weight: 1, fillColor: "#26a69a", fillOpacity: 0.9 }; }
  };
  function popup(p) {
    var box = document.createElement("div");
    var title = box.appendChild(document.createElement("strong"));
    title.textContent = p.name || p.code || "";
    if (p.url) {
      box.appendChild(document.createElement("br"));
      var link = box.appendChild(document.createElement("a"));
      link.href = p.url;
      link.textContent = openText;
    }
    return box;
  }
  var layers = {};
  var capped = document.getElementById("cockpit-map-capped");
  function load(key) {
    var url = data.layers.replace("LAYER", key) + "?place=" + encodeURIComponent(data.place);
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            // Leaflet styles points with this too: a dot keeps its own colours
            if (feature.geometry.type === "Point") { return (DOT[key] || DOT.sensors)(feature.properties); }
            return (STYLE[key] || STYLE.offices)(feature.properties);
          },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, (DOT[key] || DOT.sensors)(feature.properties));
          },
          onEachFeature: function (feature, shape) {
            shape.bindPopup(popup(feature.properties));
            shape.on("click", function () { shape.openPopup(); });
          }
        });
        var count = document.querySelector('[data-layer-count="' + key + '"]');
        if (count) { count.textContent = String(collection.features.length); }
        if (collection.truncated && capped) { capped.hidden = false; }
        layers[key] = layer;
        return layer;
      });
  }
  document.querySelectorAll("[data-layer]").forEach(function (box) {
    var key = box.getAttribute("data-layer");
    function apply() {
      if (box.checked) {
        (layers[key] ? Promise.resolve(layers[key]) : load(key)).then(function (layer) {
          if (box.checked) { layer.addTo(map); }
        });
      } else if (layers[key]) {
        map.removeLayer(layers[key]);
      }
    }
    box.addEventListener("change", apply);
    apply();
  });
}());
