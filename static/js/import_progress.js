// The import page while a large file is checked in the background: poll the progress
// endpoint every second and reload the page (which then shows the report) when it is done.
// Without this file the page still works: the visitor reloads it.
(function () {
  "use strict";

  var panel = document.querySelector("[data-import-progress]");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-import-progress");
  var bar = panel.querySelector("[data-progress-bar]");
  var text = panel.querySelector("[data-progress-text]");
  var template = text ? text.textContent.replace(/\d+/, "{n}") : "";

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.finished || job.error) { window.location.reload(); return; }
        if (bar) { bar.value = job.rows_read; }
        if (text) { text.textContent = template.replace("{n}", String(job.rows_read)); }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 1000);
})();
