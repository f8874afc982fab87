/* The maps' shared parts (window.CGMap) and the place page's map.

   Every map: Leaflet without a basemap unless one is configured, controls titled in the page's language (from
   web/_map_text.html), the outlined areas underneath (streets, communities, estates) with their names shown at
   the zoom levels where they help, and a keyboard list beside it whose buttons open the matching marker.
   Names are data, never markup: labels are elements with text content. */
(function () {
  "use strict";
  if (!window.L) { return; }

  var textHolder = document.getElementById("map-text");
  var TEXT = textHolder ? textHolder.dataset : {};
  // From this zoom level on, the labels of a kind show; areas are outlined at every level.
  var LABEL_FROM = { street: 11, community: 14, business_community: 14, estate: 15, building: 17,
                     office_building: 16, facility: 16 };
  var LABEL_UNTIL = { street: 14 };
  var AREA_STYLE = {
    street: { color: "#3949ab", weight: 2, fillColor: "#c5cae9", fillOpacity: 0.12 },
    community: { color: "#5c6bc0", weight: 1, dashArray: "4 3", fillColor: "#e8eaf6", fillOpacity: 0.18 },
    business_community: { color: "#5c6bc0", weight: 1, dashArray: "4 3", fillOpacity: 0.1 },
    estate: { color: "#8d6e63", weight: 1, fillColor: "#d7ccc8", fillOpacity: 0.45 }
  };
  var SELECTED_STYLE = { color: "#b3261e", weight: 3, dashArray: null, fillColor: "#ffcdd2", fillOpacity: 0.2 };

  function label(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function create(holder, data) {
    var map = L.map(holder, { scrollWheelZoom: false, zoomControl: false, maxZoom: 19, minZoom: 10,
                             attributionControl: Boolean(data.basemap) });
    L.control.zoom({ zoomInTitle: TEXT.zoomIn || "+", zoomOutTitle: TEXT.zoomOut || "-" }).addTo(map);
    L.control.scale({ imperial: false }).addTo(map);
    if (data.basemap) {
      L.tileLayer(data.basemap, { maxZoom: 19, attribution: data.attribution || "" }).addTo(map);
    }
    // Leaflet names its controls in English; the page's language names them here.
    holder.querySelectorAll(".leaflet-control-zoom a").forEach(function (a) { a.setAttribute("aria-label", a.title); });
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close && TEXT.close) { close.setAttribute("aria-label", TEXT.close); close.title = TEXT.close; }
    });
    map.on("zoomend", function () { showLabels(map); });
    // Area names lie under the markers: a cluster or a case is never hidden by a street's name.
    map.createPane("areaLabels").style.zIndex = 450;
    return map;
  }

  // Which kinds of label show is a class on the map per kind, so a zoom changes a few classes, not every label.
  function showLabels(map) {
    var zoom = map.getZoom();
    var box = map.getContainer();
    Object.keys(LABEL_FROM).forEach(function (kind) {
      var on = zoom >= LABEL_FROM[kind] && (LABEL_UNTIL[kind] === undefined || zoom <= LABEL_UNTIL[kind]);
      box.classList.toggle("show-" + kind.replace(/_/g, "-"), on);
    });
  }

  /* Draw the areas of a GeoJSON URL under the markers; the one whose code is `selected` stands out.
     Resolves to the layer (or null when there is nothing to draw or the areas cannot be read). */
  function areas(map, url, selected) {
    if (!url) { return Promise.resolve(null); }
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (collection) {
        if (!collection.features.length) { return null; }
        var layer = L.geoJSON(collection, {
          interactive: false,
          style: function (feature) {
            var p = feature.properties;
            return p.code === selected ? SELECTED_STYLE : (AREA_STYLE[p.kind] || AREA_STYLE.community);
          },
          onEachFeature: function (feature, shape) {
            var p = feature.properties;
            shape.bindTooltip(label(p.name), {
              permanent: true, direction: "center", interactive: false, pane: "areaLabels",
              className: "area-label label-" + p.kind.replace(/_/g, "-") + (p.code === selected ? " selected" : "")
            });
          }
        }).addTo(map);
        layer.bringToBack();
        showLabels(map);
        return layer;
      })
      .catch(function () { return null; });
  }

  /* A place's dot with its name: a permanent label shown from its kind's zoom level on, or (for a place whose
     outline carries the name) a label on hover. */
  function placeDot(place, style) {
    var kind = (place.kind || "building").replace(/_/g, "-");
    var permanent = !place.outlined;
    return L.circleMarker([place.lat, place.lng], style)
      .bindTooltip(label(place.name), { permanent: permanent, direction: "top", offset: [0, -4], interactive: false,
                                        className: "place-label" + (permanent ? " label-" + kind : "") });
  }

  /* The list beside a map: one button per marker, in the list's order; a button shows its marker and opens its
     popup (inside a cluster, zoomed in to it first), and the popup's first link takes the focus. */
  function keyboardList(list, items, map, cluster) {
    list.textContent = "";
    items.forEach(function (item) {
      var li = list.appendChild(document.createElement("li"));
      var button = li.appendChild(document.createElement("button"));
      button.type = "button";
      button.className = "map-list-item";
      if (item.className) { button.classList.add(item.className); }
      item.parts.forEach(function (part, i) {
        var span = button.appendChild(label(part));
        span.className = i === 0 ? "map-list-title" : "map-list-detail";
      });
      button.addEventListener("click", function () {
        function open() {
          item.marker.openPopup();
          var popup = item.marker.getPopup();
          var target = popup && popup.getElement() && popup.getElement().querySelector("a, button");
          if (target) { target.focus(); }
        }
        if (cluster) { cluster.zoomToShowLayer(item.marker, open); } else { map.panTo(item.marker.getLatLng()); open(); }
        map.getContainer().scrollIntoView({ block: "nearest" });
      });
    });
  }

  window.CGMap = { text: TEXT, label: label, create: create, areas: areas, placeDot: placeDot,
                   keyboardList: keyboardList, showLabels: showLabels };

  // The place page: the place (its outline highlighted among the areas within it), its children as named dots.
  var holder = document.getElementById("place-map");
  var source = document.getElementById("place-map-data");
  if (!holder || !source) { return; }
  var data = JSON.parse(source.textContent);
  var map = create(holder, data);
  var bounds = L.latLngBounds([[data.lat, data.lng]]);
  if (data.outline) {
    bounds.extend(L.geoJSON(data.outline).getBounds());
  }
  (data.children || []).forEach(function (child) {
    placeDot(child, { radius: 5, color: "#fff", weight: 1, fillColor: "#1565c0", fillOpacity: 0.9 }).addTo(map);
    bounds.extend([child.lat, child.lng]);
  });
  L.circleMarker([data.lat, data.lng], { radius: 7, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 })
    .bindTooltip(label(data.name), { permanent: !data.outline, direction: "top", offset: [0, -8],
                                     className: "place-label selected" })  // an outline carries the name itself
    .addTo(map);
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView([data.lat, data.lng], 16);
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }
  showLabels(map);
  areas(map, data.areas, data.code).then(function () { holder.dataset.loaded = "true"; });
}());
