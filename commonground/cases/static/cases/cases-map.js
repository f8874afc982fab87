/* The map of open cases: a GeoJSON layer from the server, one dot per case coloured by stage,
   overdue cases ringed in red; a popup links to the case page. */
(function () {
  "use strict";
  var holder = document.getElementById("cases-map");
  var source = document.getElementById("cases-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var map = L.map(holder, { scrollWheelZoom: false, attributionControl: Boolean(data.basemap) });
  L.control.scale({ imperial: false }).addTo(map);
  if (data.basemap) {
    L.tileLayer(data.basemap, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
  }
  map.setView(data.centre, 14);
  var count = document.getElementById("cases-map-count");

  function escape(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
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
          var p = feature.properties;
          marker.bindPopup('<a href="' + escape(p.url) + '"><strong>' + escape(p.number) + "</strong></a><br>" +
            escape(p.category) + " · " + escape(p.place) + "<br>" + escape(p.stage_label) +
            (p.deadline ? "<br>" + escape(p.deadline.slice(0, 16).replace("T", " ")) : ""));
        }
      }).addTo(map);
      if (collection.features.length) {
        map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 17 });
      }
      if (count) { count.textContent = count.dataset.template.replace("%s", collection.features.length); }
      holder.dataset.loaded = String(collection.features.length);
    });
}());
