/* The dashboard's charts, drawn with ECharts from the JSON in #cockpit-charts: {cases: {stages: [[label, n]],
   levels: [[label, n]]}, signals: {days: [..], values: [..]}}. The charts are pictures of the tables and figures
   beside them (aria-hidden). */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-charts");
  if (!window.echarts || !source) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function draw(name, option) {
    var holder = document.querySelector('[data-chart="' + name + '"]');
    if (!holder) { return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    option.animation = false;
    option.tooltip = option.tooltip || { trigger: "item", renderMode: "richText" };
    chart.setOption(option);
    charts.push(chart);
  }
  if (data.cases) {
    draw("cases-stages", {
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.cases.stages.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", barMaxWidth: 18, itemStyle: { color: "#1565c0" },
                 data: data.cases.stages.map(function (r) { return r[1]; }) }]
    });
    var closed = data.cases.levels.filter(function (r) { return r[1] > 0; });
    var levels = document.querySelector('[data-chart="cases-levels"]');
    if (!closed.length && levels) { levels.hidden = true; }
    if (closed.length) draw("cases-levels", {
      color: ["#2e7d32", "#00796b", "#1565c0", "#ef6c00", "#b3261e", "#6d4c41"],
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}: {c}" },
                 data: data.cases.levels.filter(function (r) { return r[1] > 0; })
                   .map(function (r) { return { name: r[0], value: r[1] }; }) }]
    });
  }
  if (data.signals) {
    draw("signals-days", {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.signals.days },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", smooth: true, areaStyle: { opacity: 0.15 }, itemStyle: { color: "#00796b" },
                 data: data.signals.values }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
