// The program page's charts (Chart.js, vendored by scripts/vendor-static.sh). Each chart is drawn from the
// same JSON as the table beside it (program.tables.Table.as_data), already in the page's language.
(function () {
  "use strict";
  var COLOURS = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b"];
  var lang = document.documentElement.lang || "ko";

  function numbers(rows, index) {
    return rows.map(function (row) { return row[index] === null ? null : Number(row[index]); });
  }

  function config(data) {
    var labels = data.rows.map(function (row) { return row[0]; });
    var kind = data.chart;
    var datasets;
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      locale: lang,
      animation: false,
      plugins: { legend: { display: data.series.length > 1, position: "bottom" } },
      scales: { x: {}, y: { beginAtZero: true } }
    };
    if (kind === "funnel") {
      // one bar per step; a dataset per call (at most three, the newest first)
      var calls = data.rows.slice(0, 3);
      labels = data.series.map(function (index) { return data.columns[index]; });
      datasets = calls.map(function (row, n) {
        return {
          label: row[0],
          data: data.series.map(function (index) { return row[index]; }),
          backgroundColor: COLOURS[n % COLOURS.length]
        };
      });
      options.indexAxis = "y";
      options.plugins.legend.display = true;
      options.scales = { x: { beginAtZero: true }, y: {} };
      return { type: "bar", data: { labels: labels, datasets: datasets }, options: options };
    }
    datasets = data.series.map(function (index, n) {
      var isTarget = kind === "line-target" && n === data.series.length - 1;
      return {
        label: data.columns[index],
        data: numbers(data.rows, index),
        type: isTarget ? "line" : "bar",
        borderColor: isTarget ? "#222" : COLOURS[n % COLOURS.length],
        backgroundColor: isTarget ? "#222" : COLOURS[n % COLOURS.length],
        borderDash: isTarget ? [6, 4] : undefined,
        spanGaps: true
      };
    });
    if (kind === "stacked" || kind === "line-target") {
      options.scales.x.stacked = true;
      options.scales.y.stacked = kind === "stacked";
      if (kind === "line-target") {
        // the sectors stack; the target line is read against the same axis, not stacked on them
        datasets.forEach(function (set) { set.stack = set.type === "line" ? "target" : "products"; });
        options.scales.y.stacked = false;
      }
    }
    if (kind === "hbar") {
      options.indexAxis = "y";
      options.scales = { x: { beginAtZero: true }, y: { ticks: { autoSkip: false } } };
    }
    return { type: "bar", data: { labels: labels, datasets: datasets }, options: options };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return; // the tables still carry every number
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.getAttribute("data-chart"));
      if (!source) { return; }
      var data = JSON.parse(source.textContent);
      new window.Chart(canvas, config(data));
      canvas.closest(".program-figure").classList.add("has-chart");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
