/* A warning's evidence chart, drawn with ECharts from the JSON named by data-warning-chart: {labels, values,
   baseline, low, high (the usual band), capacity, marked (labels of the unusual hours or days), names}. The chart
   is a picture of the table after it (aria-hidden). */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-warning-chart]"), function (holder) {
    var source = document.getElementById(holder.getAttribute("data-warning-chart"));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var names = data.names || {};
    var marked = {};
    (data.marked || []).forEach(function (label) { marked[label] = true; });
    var series = [];
    if (data.low && data.high) {
      series.push({ name: names.band, type: "line", data: data.low, stack: "band", symbol: "none",
                    lineStyle: { opacity: 0 }, silent: true });
      series.push({ name: names.band, type: "line", stack: "band", symbol: "none", lineStyle: { opacity: 0 },
                    areaStyle: { color: "rgba(21,101,192,0.12)" }, silent: true,
                    data: data.high.map(function (h, i) { return h === null || data.low[i] === null ? null : h - data.low[i]; }) });
    }
    if (Array.isArray(data.baseline)) {
      series.push({ name: names.baseline, type: "line", data: data.baseline, symbol: "none",
                    lineStyle: { type: "dashed", color: "#1565c0" } });
    }
    series.push({ name: names.values, type: "line", data: data.values.map(function (v, i) {
      return marked[data.labels[i]] ? { value: v, itemStyle: { color: "#b71c1c" }, symbolSize: 9 } : v;
    }), itemStyle: { color: "#333" }, symbolSize: 4,
      markLine: data.capacity ? { symbol: "none", data: [{ yAxis: data.capacity, name: names.capacity }],
                                  lineStyle: { color: "#b71c1c", type: "dashed" } } : undefined,
      markArea: data.marked && data.marked.length ? { itemStyle: { color: "rgba(183,28,28,0.10)" },
        data: [[{ xAxis: data.marked[0] }, { xAxis: data.marked[data.marked.length - 1] }]] } : undefined });
    var chart = echarts.init(holder, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", min: 0 },
      series: series
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
}());
