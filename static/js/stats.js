// Draws the statistics charts with Chart.js (static/vendor/chartjs). Each <canvas> names the
// JSON endpoint of its figures in data-chart-url; the CSP forbids inline scripts, so no data
// is embedded in the page. Without this script the tables under each chart still show all figures.
(function () {
  "use strict";

  // One colour per series everywhere: "demands" is red in every chart that has it.
  var PALETTE = ["#0b4ea2", "#f5b301", "#1c7c45", "#c8262c", "#6b4fbb", "#0f8b8d"];
  var SERIES_COLOURS = {
    solutions: "#0b4ea2", listings: "#0b4ea2", products: "#f5b301", cases: "#1c7c45", demands: "#c8262c",
    organizations: "#6b4fbb", users: "#0f8b8d", count: "#0b4ea2", unmet: "#c8262c",
    contacted: "#1c7c45", viewed: "#0b4ea2", suggested: "#b8c4d1", dismissed: "#c8262c"
  };
  var ROW_HEIGHT = 22;
  var HALF_WIDTH_PX = 6.5;  // about one Latin letter at 12px; a Chinese character counts two

  // Long scenario names would push the bars out of a narrow chart: shorten the axis label
  // (the tooltip and the table keep the full name).
  function shorten(label, limit) {
    var width = 0;
    var out = "";
    for (var i = 0; i < label.length; i += 1) {
      width += label.charCodeAt(i) > 0x2e80 ? 2 : 1;
      if (width > limit) { return out + "…"; }
      out += label.charAt(i);
    }
    return out;
  }

  function categoryTicks(horizontal, canvas) {
    // Horizontal charts give the labels at most 45 % of the width; rotated ones get 16 characters.
    var limit = horizontal ? Math.max(10, Math.floor(canvas.parentNode.clientWidth * 0.45 / HALF_WIDTH_PX)) : 16;
    return {
      autoSkip: !horizontal,
      maxRotation: horizontal ? 0 : 60,
      callback: function (value) { return shorten(String(this.getLabelForValue(value)), limit); }
    };
  }

  function colourOf(dataset, index) {
    return SERIES_COLOURS[dataset.key] || PALETTE[index % PALETTE.length];
  }

  function categoryScale(horizontal, stacked, canvas) {
    return { stacked: stacked, grid: { color: "#edf1f5" }, ticks: categoryTicks(horizontal, canvas) };
  }

  function valueScale(payload, stacked) {
    var scale = { stacked: stacked, beginAtZero: true, grid: { color: "#edf1f5" }, ticks: { precision: 0 } };
    if (payload.unit === "%") {
      scale.max = 100;
      scale.ticks.callback = function (value) { return value + "%"; };
    }
    return scale;
  }

  function config(payload, canvas) {
    var horizontal = payload.kind === "hbar" || payload.kind === "stacked";
    var stacked = payload.kind === "stacked";
    var line = payload.kind === "line";
    var datasets = payload.datasets.map(function (dataset, index) {
      var colour = colourOf(dataset, index);
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: line ? colour : colour + "e6",
        borderColor: colour,
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 0 : undefined,
        tension: 0.25,
        maxBarThickness: 28
      };
    });
    return {
      type: line ? "line" : "bar",
      data: { labels: payload.labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom", labels: { boxWidth: 12 } }
        },
        scales: {
          x: horizontal ? valueScale(payload, stacked) : categoryScale(false, stacked, canvas),
          y: horizontal ? categoryScale(true, stacked, canvas) : valueScale(payload, stacked)
        }
      }
    };
  }

  function draw(canvas) {
    fetch(canvas.getAttribute("data-chart-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (payload) {
        if (payload.kind === "hbar" || payload.kind === "stacked") {
          // Bars keep their thickness: the box grows with the number of rows (CSSOM, allowed by the CSP).
          var legend = payload.datasets.length > 1 ? 40 : 0;
          canvas.parentNode.style.height = Math.max(140, payload.labels.length * ROW_HEIGHT + 50 + legend) + "px";
        }
        new window.Chart(canvas, config(payload, canvas));
        canvas.setAttribute("data-drawn", "true");
      })
      .catch(function () {
        canvas.setAttribute("data-drawn", "failed");
        canvas.closest(".st-chart__canvas").hidden = true;  // the table below still has the figures
      });
  }

  function start() {
    if (!window.Chart) { return; }
    var font = window.getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.font.family = font;
    window.Chart.defaults.font.size = 12;
    window.Chart.defaults.color = "#52606d";
    document.querySelectorAll("canvas[data-chart-url]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
