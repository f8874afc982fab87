/* The report form's map: the places of the user's area as labelled dots; a tap drops the pin
   whose position goes into the hidden latitude/longitude fields. No basemap unless configured. */
(function () {
  "use strict";
  var holder = document.getElementById("pin-map");
  var source = document.getElementById("pin-map-data");
  if (!holder || !source || !window.L) { return; }
  var data = JSON.parse(source.textContent);
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var status = document.getElementById("pin-status");
  var clear = document.getElementById("pin-clear");

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
  var bounds = L.latLngBounds([data.centre]);
  // Estates and communities carry permanent labels so the blank map can be read; buildings are named on
  // hover (and every place only on hover when there are many).
  var few = data.places.filter(function (place) { return place.major; }).length <= 30;
  data.places.forEach(function (place) {
    L.circleMarker([place.lat, place.lng], { radius: place.major ? 5 : 3, color: "#1565c0", weight: 1,
                                             fillOpacity: place.major ? 0.8 : 0.5, bubblingMouseEvents: true })
      .bindTooltip(label(place.name), { direction: "top", permanent: few && place.major, className: "place-label" })
      .addTo(map);
    bounds.extend([place.lat, place.lng]);
  });
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(data.centre, 16);
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 17 });
  }
  var pin = null;

  function show(latlng) {
    if (pin) { pin.setLatLng(latlng); } else { pin = L.marker(latlng, { draggable: true }).addTo(map); pin.on("dragend", function () { show(pin.getLatLng()); }); }
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    status.textContent = status.dataset.set + " " + lat.value + ", " + lng.value;
    holder.dataset.pinned = "true";
    clear.hidden = false;
  }

  map.on("click", function (event) { show(event.latlng); });
  clear.addEventListener("click", function () {
    if (pin) { map.removeLayer(pin); pin = null; }
    lat.value = ""; lng.value = "";
    status.textContent = status.dataset.empty;
    delete holder.dataset.pinned;
    clear.hidden = true;
  });
  if (lat.value && lng.value) { show(L.latLng(parseFloat(lat.value), parseFloat(lng.value))); map.setView(pin.getLatLng(), 17); }
}());
