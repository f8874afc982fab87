/* The evaluation pages' trend line, drawn with ECharts from the JSON named by data-evaluation-chart:
   {labels: [...], scores: [...], name}. The chart is a picture of the table after it (aria-hidden). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-evaluation-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-evaluation-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", min: 0, max: 100 },
      series: [{ name: data.name, type: "line", data: data.scores, connectNulls: true, symbolSize: 8,
                 label: { show: true }, itemStyle: { color: "#1565c0" },
                 markLine: { symbol: "none", silent: true, data: [{ yAxis: data.low, label: { show: false }, lineStyle: { color: "#b71c1c", type: "dashed" } }] } }]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
