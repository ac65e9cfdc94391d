// Progressive enhancement only: the report reads completely without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  var findings = Array.prototype.slice.call(document.querySelectorAll("details.finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.section, section.unseen, details.suppressed-checks"));
  var rubrics = Array.prototype.slice.call(document.querySelectorAll("section.rubric"));
  var shown = form.querySelector(".shown");
  // Each check's text, lowercased once: searching re-reads nothing while the reader types.
  var texts = findings.map(function (el) { return el.textContent.toLowerCase(); });

  function checked(name) {
    var on = {};
    form.querySelectorAll("input[name=" + name + "]").forEach(function (box) { on[box.value] = box.checked; });
    return on;
  }

  function apply() {
    var statuses = checked("status");
    var severities = checked("severity");
    var rubric = form.querySelector("select[name=rubric]").value;
    var q = form.querySelector("input[name=q]").value.trim().toLowerCase();
    var n = 0;
    findings.forEach(function (el, i) {
      var st = el.getAttribute("data-status");
      var sev = el.getAttribute("data-severity");
      var ok = (!(st in statuses) || statuses[st]) && (!(sev in severities) || severities[sev]) &&
        (!rubric || el.getAttribute("data-rubric") === rubric) &&
        (!q || texts[i].indexOf(q) !== -1);
      el.hidden = !ok;
      if (ok) n += 1;
    });
    // A heading over nothing reads as "this section is fine": hide the groups a filter emptied.
    groups.forEach(function (g) { g.hidden = !g.querySelector("details.finding:not([hidden])"); });
    rubrics.forEach(function (r) { r.hidden = !!rubric && r.id !== "rubric-" + rubric; });
    shown.textContent = n + " of " + findings.length + " checks shown";
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      // A link to a check shows it even when the filters had hidden it, with its way there.
      for (var up = el; up; up = up.parentElement) {
        up.hidden = false;
        if (up.tagName === "DETAILS") up.open = true;
      }
      el.scrollIntoView();
      var summary = el.querySelector("summary");
      if (summary) summary.focus({ preventScroll: true });
    }
  }

  form.addEventListener("input", apply);  // fired by checkboxes, the select and the search box alike
  form.addEventListener("reset", function (e) {
    // Reset by hand rather than after the browser's reset: the count is right the moment it is read.
    e.preventDefault();
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) { box.checked = true; });
    form.querySelector("select[name=rubric]").value = "";
    form.querySelector("input[name=q]").value = "";
    apply();
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("expand-all").addEventListener("click", function () { findings.forEach(function (el) { el.open = true; }); });
  document.getElementById("collapse-all").addEventListener("click", function () { findings.forEach(function (el) { el.open = false; }); });
  window.addEventListener("hashchange", openTarget);
  apply();
  openTarget();
})();
