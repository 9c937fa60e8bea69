// Homeroom admin console: the little script the pages need (no framework, served from the jar).
(function () {
  "use strict";
  // "tick all on this page"
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (all && all.id === "tick-all") {
      document.querySelectorAll("input[type=checkbox][name='" + all.dataset.ticks + "']").forEach(function (box) { box.checked = all.checked; });
    }
  });

  // live progress: poll the district's latest run once a second
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text === undefined || text === null ? "" : String(text);
    row.appendChild(td);
  }

  function poll(box) {
    fetch(box.dataset.poll, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (run) {
        var status = document.getElementById("progress-status");
        var body = document.getElementById("progress-kinds");
        if (!run.runId) {
          setTimeout(function () { poll(box); }, 1000);
          return;
        }
        status.textContent = "";
        var link = document.createElement("a");
        link.href = box.dataset.runs + encodeURIComponent(run.runId);
        link.textContent = run.runId;
        status.append("Run ", link, " (" + run.mode + "): " + (run.status ? "finished " + run.status : "running…"));
        status.dataset.state = run.status ? "finished" : "running";
        status.dataset.run = run.runId;
        body.textContent = "";
        Object.keys(run.kinds).forEach(function (kind) {
          var k = run.kinds[kind];
          var row = document.createElement("tr");
          [kind, k.fetched, k.problems, k.decided, k.created, k.updated, k.skipped, k.deactivated].forEach(function (v) { cell(row, v); });
          body.appendChild(row);
        });
        // a finished run may be followed by the next one (Sync now redirects here before the run starts)
        setTimeout(function () { poll(box); }, run.status ? 2000 : 1000);
      })
      .catch(function () { setTimeout(function () { poll(box); }, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("progress");
    if (box) {
      poll(box);
    }
  });
})();
