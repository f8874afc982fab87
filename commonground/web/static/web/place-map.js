/* A small Leaflet map of one place: its marker, its outline, its children. No basemap unless configured. */
(function () {
  "use strict";
  var holder = document.getElementById("place-map");
  var source = document.getElementById("place-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);

  // A place's name is data, never markup: Leaflet renders a string label as HTML, an element as it is.
  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  var map = L.map(holder, { scrollWheelZoom: false, attributionControl: Boolean(data.basemap), zoomControl: false });
  // the zoom buttons' names in the page's language (web/_map_labels.html)
  L.control.zoom({ zoomInTitle: holder.getAttribute("data-zoom-in") || "Zoom in",
                   zoomOutTitle: holder.getAttribute("data-zoom-out") || "Zoom out" }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  if (data.basemap) {
    L.tileLayer(data.basemap, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  }
  var bounds = L.latLngBounds([[data.lat, data.lng]]);
  if (data.outline) {
    var outline = L.geoJSON(data.outline, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.08 } }).addTo(map);
    bounds.extend(outline.getBounds());
  }
  (data.children || []).forEach(function (child) {
    L.circleMarker([child.lat, child.lng], { radius: 5, color: "#1565c0", weight: 1, fillOpacity: 0.7 })
      .bindTooltip(label(child.name)).addTo(map);
    bounds.extend([child.lat, child.lng]);
  });
  L.circleMarker([data.lat, data.lng], { radius: 8, color: "#b3261e", weight: 2, fillOpacity: 0.9 })
    .bindTooltip(label(data.name), { permanent: true, direction: "top", offset: [0, -8] }).addTo(map);
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView([data.lat, data.lng], 16);
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }
}());
