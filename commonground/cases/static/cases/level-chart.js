/* The dashboard's bar chart: cases closed at each level of the ladder. */
(function () {
  "use strict";
  var holder = document.getElementById("level-chart");
  var source = document.getElementById("level-chart-data");
  if (!holder || !source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    // Drawn in the chart, not as an HTML box: labels stay text, and no inline style meets the CSP.
    tooltip: { trigger: "axis", renderMode: "richText" },
    xAxis: { type: "category", data: data.labels, axisTick: { show: false } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.values, barMaxWidth: 48, label: { show: true, position: "top" },
               itemStyle: { color: "#b3261e", borderRadius: [4, 4, 0, 0] } }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
