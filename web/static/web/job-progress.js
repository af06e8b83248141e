/* The export job page's live progress bar: polls the job's progress JSON (same origin, CSP-safe) and
   reloads the page once the job has finished, so the result and the download appear. */
(function () {
  "use strict";
  var panel = document.querySelector("[data-progress-url]");
  if (!panel || !window.fetch) return;
  var url = panel.getAttribute("data-progress-url");
  var bar = document.getElementById("job-progress-bar");
  var fields = {};
  panel.querySelectorAll("[data-field]").forEach(function (node) { fields[node.getAttribute("data-field")] = node; });
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function show(name, text) { if (fields[name]) fields[name].textContent = text; }

  function update(job) {
    if (job.percent === null) bar.removeAttribute("value"); else bar.value = job.percent;
    bar.textContent = job.percent === null ? "" : job.percent + "%";
    show("phase_display", job.phase_display);
    show("rows_done", numbers.format(job.rows_done));
    show("rows_total", job.rows_total === null ? "—" : numbers.format(job.rows_total));
    show("eta", job.eta ? new Date(job.eta).toLocaleTimeString() : "—");
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        update(job);
        if (job.finished) window.location.reload();
        else window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
