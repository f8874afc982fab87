/* The map of open cases: the areas of the user's scope underneath, one marker per case coloured by stage (an
   overdue case ringed in red), clustered where they crowd; a popup links to the case page. Beside the map, the
   same cases as a list of buttons, overdue first, then by deadline: a button opens its marker's popup. */
(function () {
  "use strict";
  var holder = document.getElementById("cases-map");
  var source = document.getElementById("cases-map-data");
  if (!holder || !source || !window.CGMap) { return; }
  var data = JSON.parse(source.textContent);
  var text = { cluster: CGMap.text.cluster, overdue: data.text.overdue, deadline: data.text.deadline };
  var map = CGMap.create(holder, data);
  map.setView(data.centre, 14);
  var count = document.getElementById("cases-map-count");
  var list = document.getElementById("cases-map-list");

  function line(box, value) {
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(value == null ? "" : String(value)));
  }

  function when(deadline) { return deadline ? deadline.slice(0, 16).replace("T", " ") : ""; }

  // The popup is built from elements and text nodes: case data is never parsed as markup.
  function popup(p) {
    var box = document.createElement("div");
    var link = box.appendChild(document.createElement("a"));
    link.href = p.url;
    link.appendChild(document.createElement("strong")).textContent = p.number;
    line(box, (p.category || "") + " · " + (p.place || ""));
    line(box, p.stage_label + (p.overdue ? " · " + (text.overdue || "") : ""));
    if (p.deadline) { line(box, (text.deadline || "") + " " + when(p.deadline)); }
    return box;
  }

  // A cluster is a button named by its count ("12 cases here: zoom in"); its ring is red when one is overdue.
  function clusterIcon(group) {
    var markers = group.getAllChildMarkers();
    var late = markers.some(function (m) { return m.options.overdue; });
    var n = markers.length;
    var name = (text.cluster || "%s").replace("%s", n);
    var content = document.createElement("span");  // an element, not a string: nothing is parsed as markup
    content.appendChild(document.createElement("span")).textContent = String(n);
    content.firstChild.setAttribute("aria-hidden", "true");
    var hidden = content.appendChild(document.createElement("span"));
    hidden.className = "visually-hidden";
    hidden.textContent = name;
    return L.divIcon({
      html: content,
      className: "case-cluster" + (late ? " has-overdue" : "") + (n >= 50 ? " large" : n >= 10 ? " medium" : ""),
      iconSize: L.point(36, 36)
    });
  }

  var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
                                       iconCreateFunction: clusterIcon });
  map.addLayer(cluster);
  CGMap.areas(map, data.areas, null);

  fetch(data.source, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (collection) {
      var items = collection.features.map(function (feature) {
        var p = feature.properties;
        var latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
        var marker = L.marker(latlng, {
          overdue: p.overdue, keyboard: true,
          title: p.number + " " + (p.category || "") + " · " + (p.place || "") + " · " + p.stage_label +
                 (p.overdue ? " · " + (text.overdue || "") : ""),
          icon: L.divIcon({ className: "case-marker stage-" + p.stage + (p.overdue ? " overdue" : ""),
                            iconSize: L.point(16, 16) })
        }).bindPopup(popup(p));
        cluster.addLayer(marker);
        return { p: p, marker: marker };
      });
      items.sort(function (a, b) {
        return (b.p.overdue - a.p.overdue) || String(a.p.deadline || "9").localeCompare(String(b.p.deadline || "9"));
      });
      if (items.length) {
        map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 17 });
      }
      if (list) {
        CGMap.keyboardList(list, items.map(function (item) {
          var p = item.p;
          return {
            marker: item.marker, className: p.overdue ? "overdue" : "",
            parts: [p.number + " · " + (p.category || ""),
                    (p.place || "") + " · " + p.stage_label + (p.overdue ? " · " + (text.overdue || "") : "") +
                    (p.deadline ? " · " + (text.deadline || "") + " " + when(p.deadline) : "")]
          };
        }), map, cluster);
      }
      if (count) { count.textContent = count.dataset.template.replace("%s", collection.features.length); }
      holder.dataset.loaded = String(collection.features.length);
    });
}());
