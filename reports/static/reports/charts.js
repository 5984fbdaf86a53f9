/* Draws the report charts from the JSON data island #report-charts with the vendored
   Chart.js. Every chart's figures are also in the table under it, so nothing is lost
   when scripts are off. */
(function () {
  "use strict";
  var PALETTE = ["#1f5fa8", "#e07b00", "#2e8b57", "#8e44ad", "#c0392b", "#16a085",
                 "#7f8c8d", "#d4ac0d", "#34495e", "#e84393"];

  function config(chart) {
    var kind = chart.type === "hbar" ? "bar" : chart.type;
    var many = chart.type === "doughnut";
    var datasets = chart.datasets.map(function (set, i) {
      var colour = PALETTE[i % PALETTE.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: many ? PALETTE.slice(0, set.data.length) : colour,
        borderColor: many ? "#ffffff" : colour,
        borderWidth: kind === "line" ? 2 : 1,
        tension: 0.2,
        fill: false
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { display: datasets.length > 1 || many } }
    };
    if (chart.type === "hbar") { options.indexAxis = "y"; }
    if (!many) { options.scales = { x: { beginAtZero: true }, y: { beginAtZero: true } }; }
    return { type: kind, data: { labels: chart.labels, datasets: datasets }, options: options };
  }

  function draw() {
    var island = document.getElementById("report-charts");
    if (!island || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(island.textContent);
    data.charts.forEach(function (chart) {
      var canvas = document.getElementById(chart.id);
      if (canvas) {
        canvas.reportChart = new window.Chart(canvas, config(chart));
        canvas.setAttribute("data-drawn", "true");
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
