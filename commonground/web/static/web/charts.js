/* Charts drawn with ECharts from the JSON each chart names in data-chart (every page that draws charts):
   {labels: [...], series: [{name, values, colour, stack?}], kind?: "line", horizontal?: true, percent?: true}.
   The charts are pictures of the tables beside them (aria-hidden): the tables carry the numbers and links. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];

  function options(data) {
    var horizontal = !!data.horizontal;
    var categories = { type: "category", data: data.labels, axisTick: { show: false },
                       axisLabel: horizontal ? { width: 96, overflow: "truncate" } : { hideOverlap: true } };
    var values = { type: "value", minInterval: data.percent ? 0 : 1,
                   axisLabel: data.percent ? { formatter: "{value}%" } : {} };
    if (data.percent) { values.max = 100; }
    var several = data.series.length > 1;
    return {
      animation: false,
      grid: { left: 8, right: horizontal ? 56 : 24, top: several ? 32 : 16, bottom: 8, containLabel: true },
      // Drawn in the chart, not as an HTML box: labels stay text, and no inline style meets the CSP.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: several ? { top: 0 } : undefined,
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? Object.assign(categories, { inverse: true }) : values,
      series: data.series.map(function (line) {
        var item = { name: line.name, type: data.kind === "line" ? "line" : "bar", data: line.values,
                     itemStyle: { color: line.colour }, lineStyle: { color: line.colour } };
        if (line.stack) { item.stack = line.stack; }
        if (item.type === "bar") {
          item.barMaxWidth = 28;
          if (!several) {
            item.label = { show: true, position: horizontal ? "right" : "top",
                           formatter: data.percent ? "{c}%" : "{c}" };
          }
        } else {
          item.symbolSize = 6;
        }
        return item;
      })
    };
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source) { return; }
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption(options(JSON.parse(source.textContent)));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
