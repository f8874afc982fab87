/* The vitality index's trend, drawn with ECharts from #vitality-chart-data: {trend: [[day, index]], name}. */
(function () {
  "use strict";
  var source = document.getElementById("vitality-chart-data");
  var holder = document.querySelector('[data-chart="trend"]');
  if (!window.echarts || !source || !holder) { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: "axis", renderMode: "richText" },
    xAxis: { type: "time" },
    yAxis: { type: "value", min: 0, max: 100 },
    series: [{ name: data.name, type: "line", showSymbol: false, itemStyle: { color: "#1565c0" }, data: data.trend }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
