/* The progress page's cumulative curve, drawn with ECharts from the JSON named by data-progress-chart:
   {days: ["2023-04-22", ...], cumulative: [...], daily: [...], threshold: 494, total: 548, deadline: "2023-06-30",
    names: {cumulative, daily, threshold, deadline}}.
   The chart is a picture of the table after it (aria-hidden): the table carries the numbers. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];

  function options(data) {
    var marks = [{ yAxis: data.threshold, name: data.names.threshold,
                   lineStyle: { color: "#b71c1c", type: "dashed" },
                   label: { formatter: data.names.threshold + " {c}", position: "insideStartTop" } }];
    if (data.deadline) {
      marks.push({ xAxis: data.deadline, name: data.names.deadline,
                   lineStyle: { color: "#455a64", type: "dotted" },
                   label: { formatter: data.names.deadline, position: "insideEndTop" } });
    }
    return {
      animation: false,
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.days, axisTick: { show: false }, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1, max: data.total },
      series: [
        { name: data.names.daily, type: "bar", data: data.daily, itemStyle: { color: "#90caf9" }, barMaxWidth: 12 },
        { name: data.names.cumulative, type: "line", data: data.cumulative, symbolSize: 4,
          itemStyle: { color: "#2e7d32" }, lineStyle: { color: "#2e7d32" },
          markLine: { symbol: "none", silent: true, data: marks } }
      ]
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-progress-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-progress-chart"));
    if (!source) { return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(options(JSON.parse(source.textContent)));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
