// Challenge rounds: the scoring sheet's running total, and the organiser's live ranking.
// No framework; loaded as a file, so it runs under the site's script-src 'self' policy.
(function () {
  "use strict";

  // The sheet: show the weighted total (0-100) as the expert taps scores. The server
  // computes the stored total itself; this is only a preview.
  function scoreSheet(form) {
    var output = form.querySelector("[data-score-total]");
    if (!output) {
      return;
    }
    function update() {
      var rows = form.querySelectorAll("fieldset[data-weight]");
      var weights = 0, points = 0, complete = true;
      Array.prototype.forEach.call(rows, function (row) {
        var weight = parseFloat(row.getAttribute("data-weight")) || 0;
        var checked = row.querySelector("input[type=radio]:checked");
        weights += weight;
        if (checked) {
          points += weight * parseInt(checked.value, 10);
        } else {
          complete = false;
        }
      });
      output.hidden = false;
      output.querySelector("strong").textContent =
        weights > 0 && complete ? String(Math.round(points / weights * 1000) / 100) : "—";
    }
    form.addEventListener("change", update);
    update();
  }

  // The live ranking: poll the JSON every few seconds, update the cells and re-order the
  // rows of each demand (the rows keep their winner buttons). Text only: no HTML from data.
  function liveRanking(root) {
    var url = root.getAttribute("data-live-url");
    var unscored = root.getAttribute("data-label-unscored");
    var status = root.querySelector("[data-live-status]");

    function number(value) {
      return String(Math.round(value * 100) / 100);
    }

    function apply(data) {
      data.demands.forEach(function (demand) {
        var body = root.querySelector('[data-live-demand="' + demand.id + '"]');
        if (!body) {
          return;
        }
        demand.pitches.forEach(function (pitch) {
          var row = body.querySelector('[data-pitch="' + pitch.id + '"]');
          if (!row) {
            return;
          }
          row.querySelector('[data-cell="rank"]').textContent = pitch.rank ? String(pitch.rank) : "—";
          row.querySelector('[data-cell="average"]').textContent = pitch.average === null ? unscored : number(pitch.average);
          row.querySelector('[data-cell="count"]').textContent = pitch.count + " / " + data.experts;
          row.classList.toggle("ch-row--winner", !!pitch.winner);
          body.appendChild(row);
        });
      });
      if (status) {
        status.textContent = new Date().toLocaleTimeString();
      }
    }

    function poll() {
      window.fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data) { apply(data); } })
        .catch(function () { /* the next poll tries again */ });
    }

    if (window.fetch) {
      poll();
      window.setInterval(poll, 4000);
    }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-score-form]"), scoreSheet);
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-url]"), liveRanking);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
