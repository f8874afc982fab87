/* The enterprise profile's tax chart, drawn with ECharts from the JSON named by data-tax-chart:
   {months, this_year, last_year, this_name, last_name}. The chart is a picture of the table after it (aria-hidden). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-tax-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-tax-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value" },
      series: [
        { name: data.this_name, type: "bar", data: data.this_year, itemStyle: { color: "#1565c0" } },
        { name: data.last_name, type: "line", data: data.last_year, connectNulls: true, itemStyle: { color: "#9e9e9e" } }
      ]
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
