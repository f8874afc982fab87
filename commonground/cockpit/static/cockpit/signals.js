// A sensor's charts: the last 7 days hour by hour and the last 90 days day by day (ECharts), from the page's JSON.
(function () {
  var node = document.getElementById("signals-chart-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  document.querySelectorAll("[data-signals-chart]").forEach(function (box) {
    var name = box.getAttribute("data-signals-chart");
    var points = data[name] || [];
    var chart = echarts.init(box);
    var series = [{type: name === "hours" ? "line" : "bar", showSymbol: false,
                   data: points.map(function (p) { return [p[0], Number(p[1])]; })}];
    if (name === "hours" && data.capacity) {
      series[0].markLine = {symbol: "none", data: [{yAxis: data.capacity}], lineStyle: {type: "dashed"}};
    }
    chart.setOption({grid: {left: 48, right: 16, top: 16, bottom: 32}, tooltip: {trigger: "axis"},
                     xAxis: {type: "time"}, yAxis: {type: "value"}, series: series});
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
