/* The cockpit's 3D view: ECharts GL's map3D over the buildings' footprints, each extruded to its height (floors ×
   a storey) and coloured by the chosen metric; buildings without a figure stay grey. Heights are drawn to the same
   scale as the ground, raised by a factor (said on the page) when the area is too wide for them to show. */
(function () {
  "use strict";
  var holder = document.getElementById("cockpit-scene");
  var source = document.getElementById("cockpit-scene-data");
  if (!window.echarts || !holder || !source) { return; }
  var scene = JSON.parse(source.textContent);
  var features = scene.features.filter(function (f) { return f.geometry && f.geometry.type === "Polygon"; });
  if (!features.length) { return; }
  var west = Infinity, east = -Infinity, south = Infinity, north = -Infinity;
  features.forEach(function (f) {
    f.geometry.coordinates[0].forEach(function (c) {
      west = Math.min(west, c[0]); east = Math.max(east, c[0]);
      south = Math.min(south, c[1]); north = Math.max(north, c[1]);
    });
  });
  var cosLat = Math.cos((south + north) / 2 * Math.PI / 180);
  var widthM = Math.max((east - west) * 111320 * cosLat, 200);
  var BOX_WIDTH = 100;
  var raise = Math.round(Math.min(8, Math.max(1, widthM / 2500)));
  var unitsPerM = BOX_WIDTH / widthM * raise;
  var scale = document.getElementById("cockpit-scene-scale");
  if (scale && raise > 1) { scale.textContent = scale.dataset.text.replace("{n}", raise); scale.hidden = false; }

  var byCode = {};
  echarts.registerMap("cg-scene", {
    type: "FeatureCollection",
    features: features.map(function (f) {
      byCode[f.properties.code] = f.properties;
      return { type: "Feature", geometry: f.geometry, properties: { name: f.properties.code } };
    })
  });
  var values = features.map(function (f) { return f.properties.value; })
    .filter(function (v) { return v !== null && v !== undefined; });
  // every metric is ≥ 0: the scale starts at 0, so a building with nothing open is pale, not the top colour
  var bottom = 0;
  var top = Math.max(values.length ? Math.max.apply(null, values) : 0, 1);
  var data = features.map(function (f) {
    var p = f.properties;
    return { name: p.code, value: p.value === null ? "-" : p.value,
             height: (p.height_m || scene.storey_m) * unitsPerM };
  });
  var chart = echarts.init(holder, null, { renderer: "canvas" });
  chart.setOption({
    backgroundColor: "#f4f6f8",
    tooltip: {
      formatter: function (item) {
        var p = byCode[item.name] || {};
        var value = p.value === null || p.value === undefined ? "—" : p.value + (scene.unit === "%" ? " %" : "");
        var floors = p.floors ? " · " + p.floors + "F" : "";
        return echarts.format.encodeHTML((p.name || item.name) + floors) + "<br>" +
               echarts.format.encodeHTML(scene.label + ": " + value);
      }
    },
    visualMap: {
      show: values.length > 0, min: bottom, max: top, calculable: true, left: 8, bottom: 8,
      inRange: { color: ["#c6dbef", "#fdd49e", "#fc8d59", "#d7301f"] }
    },
    series: [{
      type: "map3D", map: "cg-scene", data: data, boxWidth: BOX_WIDTH, aspectScale: cosLat,
      regionHeight: scene.storey_m * unitsPerM,
      itemStyle: { color: "#b0bec5", borderWidth: 0.5, borderColor: "rgba(40,50,60,0.35)" },
      emphasis: { label: { show: false }, itemStyle: { color: "#1565c0" } },
      label: { show: false },
      shading: "lambert",
      light: { main: { intensity: 1.1, alpha: 40, beta: 30 }, ambient: { intensity: 0.45 } },
      viewControl: { alpha: 50, beta: 15, distance: 135, minDistance: 20, maxDistance: 260, panMouseButton: "left",
                     rotateMouseButton: "right" }
    }]
  });
  chart.on("click", function (item) {
    var p = byCode[item.name];
    if (p && p.url) { window.location.assign(p.url); }
  });
  window.addEventListener("resize", function () { chart.resize(); });
  holder.dataset.ready = String(features.length);
  window.cgScene = chart;
})();
