/* The statistics' charts, drawn with ECharts from the JSON in #stats-chart-data: {months, years: [this, last],
   new_1m: [[12], [12]], tax: [[12], [12]], grades: [{name, value}], labels}. The charts are pictures of the
   tables on the page (aria-hidden). */
(function () {
  "use strict";
  var source = document.getElementById("stats-chart-data");
  if (!window.echarts || !source) { return; }
  var data = JSON.parse(source.textContent);
  var colours = ["#1565c0", "#90a4ae"];
  var charts = [];
  function bars(holder, key) {
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: key === "new_1m" ? 1 : 0 },
      series: data.years.map(function (year, i) {
        return { name: year, type: "bar", data: data[key][i], barMaxWidth: 18, itemStyle: { color: colours[i] } };
      })
    });
    return chart;
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-stats-chart]"), function (holder) {
    var key = holder.getAttribute("data-stats-chart");
    if (key === "grades") {
      var chart = echarts.init(holder, null, { renderer: "svg" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", renderMode: "richText" },
        legend: { bottom: 0 },
        color: ["#2e7d32", "#1565c0", "#ef6c00", "#b0bec5"],
        series: [{ type: "pie", radius: ["35%", "65%"], data: data.grades, label: { formatter: "{b}: {c}" } }]
      });
      charts.push(chart);
    } else {
      charts.push(bars(holder, key));
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
