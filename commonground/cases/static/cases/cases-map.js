/* The map of open cases: a GeoJSON layer from the server, one dot per case coloured by stage,
   overdue cases ringed in red; a popup links to the case page. */
(function () {
  "use strict";
  var holder = document.getElementById("cases-map");
  var source = document.getElementById("cases-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(holder, { scrollWheelZoom: false, attributionControl: Boolean(data.basemap), zoomControl: false });
  // the zoom buttons' names in the page's language (web/_map_labels.html)
  L.control.zoom({ zoomInTitle: holder.getAttribute("data-zoom-in") || "Zoom in",
                   zoomOutTitle: holder.getAttribute("data-zoom-out") || "Zoom out" }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  if (data.basemap) {
    L.tileLayer(data.basemap, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  }
  map.setView(data.centre, 14);
  var count = document.getElementById("cases-map-count");

  // The popup is built from elements and text nodes: case data is never parsed as markup.
  function line(box, text) {
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(text == null ? "" : String(text)));
  }

  function popup(p) {
    var box = document.createElement("div");
    var link = box.appendChild(document.createElement("a"));
    link.href = p.url;
    link.appendChild(document.createElement("strong")).textContent = p.number;
    line(box, (p.category || "") + " · " + (p.place || ""));
    line(box, p.stage_label);
    if (p.deadline) { line(box, p.deadline.slice(0, 16).replace("T", " ")); }
    return box;
  }

  fetch(data.source, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          return L.circleMarker(latlng, { radius: 7, color: p.overdue ? "#b3261e" : "#fff", weight: p.overdue ? 3 : 1,
                                          fillColor: p.colour, fillOpacity: 0.9 });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popup(feature.properties));
        }
      }).addTo(map);
      if (collection.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17 });
      }
      if (count) { count.textContent = count.dataset.template.replace("%s", collection.features.length); }
      holder.dataset.loaded = String(collection.features.length);
    });
}());
