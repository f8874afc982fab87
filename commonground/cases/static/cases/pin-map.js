/* The report form's map: the areas and places of the user's part of the district, named; a tap drops the pin
   whose position goes into the hidden latitude/longitude fields, and the name of the place it fell in (asked
   from the server: "浙工新村 3幢 附近 · 河东社区") shows beneath. No basemap unless configured. */
(function () {
  "use strict";
  var holder = document.getElementById("pin-map");
  var source = document.getElementById("pin-map-data");
  if (!holder || !source || !window.CGMap) { return; }
  var data = JSON.parse(source.textContent);
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var status = document.getElementById("pin-status");
  var clear = document.getElementById("pin-clear");

  var map = CGMap.create(holder, data);
  var bounds = L.latLngBounds([data.centre]);
  data.places.forEach(function (place) {
    CGMap.placeDot(place, { radius: place.major ? 5 : 4, color: "#fff", weight: 1, fillColor: "#1565c0",
                            fillOpacity: place.major ? 0.9 : 0.7, bubblingMouseEvents: true }).addTo(map);
    bounds.extend([place.lat, place.lng]);
  });
  if (bounds.getNorthEast().equals(bounds.getSouthWest())) {
    map.setView(data.centre, 16);
  } else {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
  }
  CGMap.showLabels(map);
  CGMap.areas(map, data.areas, null);
  var pin = null;
  var asked = 0;  // only the answer for the latest pin is shown

  function name(latlng) {
    var mine = ++asked;
    status.textContent = status.dataset.finding;
    var url = data.pin + "?lat=" + encodeURIComponent(lat.value) + "&lng=" + encodeURIComponent(lng.value);
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (mine !== asked) { return; }
        status.textContent = answer.label ? status.dataset.set.replace("%s", answer.label) : answer.error;
        holder.dataset.place = answer.label || "";
        status.classList.toggle("late-text", !answer.label);
      })
      .catch(function () { if (mine === asked) { status.textContent = status.dataset.unnamed; } });
  }

  function show(latlng) {
    if (pin) {
      pin.setLatLng(latlng);
    } else {
      // Drawn in CSS: Leaflet's image icon looks for its file by a name the static files' hashing changes.
      pin = L.marker(latlng, { draggable: true, keyboard: false, title: status.dataset.pin,
                               icon: L.divIcon({ className: "pin-marker", iconSize: L.point(26, 30),
                                                 iconAnchor: L.point(13, 30) }) }).addTo(map);
      pin.on("dragend", function () { show(pin.getLatLng()); });
    }
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
    holder.dataset.pinned = "true";
    clear.hidden = false;
    name(latlng);
  }

  map.on("click", function (event) { show(event.latlng); });
  clear.addEventListener("click", function () {
    if (pin) { map.removeLayer(pin); pin = null; }
    asked++;
    lat.value = ""; lng.value = "";
    status.textContent = status.dataset.empty;
    status.classList.remove("late-text");
    delete holder.dataset.pinned;
    delete holder.dataset.place;
    clear.hidden = true;
  });
  if (lat.value && lng.value) { show(L.latLng(parseFloat(lat.value), parseFloat(lng.value))); map.setView(pin.getLatLng(), 17); }
}());
