/* The participation figures by month, drawn with ECharts from the JSON named by data-participation-chart:
   {months: [...], series: [{name, data}]}: activities held as bars, attendances and participants as lines.
   The chart is a picture of the table after it (aria-hidden). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-participation-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-participation-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var colours = ["#1565c0", "#2e7d32", "#ef6c00"];
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 8, top: 44, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.months, axisLabel: { hideOverlap: true } },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", minInterval: 1, splitLine: { show: false } }],
      series: data.series.map(function (item, i) {
        return { name: item.name, type: i === 0 ? "bar" : "line", yAxisIndex: i === 0 ? 0 : 1, data: item.data,
                 itemStyle: { color: colours[i % colours.length] }, symbolSize: 6, barMaxWidth: 40 };
      })
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
