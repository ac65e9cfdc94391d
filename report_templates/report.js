// Progressive enhancement only: the report reads completely without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  var findings = Array.prototype.slice.call(document.querySelectorAll("details.finding"));
  var shown = form.querySelector(".shown");

  function apply() {
    var statuses = {};
    form.querySelectorAll("input[name=status]").forEach(function (box) { statuses[box.value] = box.checked; });
    var q = form.querySelector("input[name=q]").value.trim().toLowerCase();
    var n = 0;
    findings.forEach(function (el) {
      var st = el.getAttribute("data-status");
      var statusOk = !(st in statuses) || statuses[st];
      var textOk = !q || el.textContent.toLowerCase().indexOf(q) !== -1;
      el.hidden = !(statusOk && textOk);
      if (!el.hidden) n += 1;
    });
    shown.textContent = n + " of " + findings.length + " checks shown";
  }

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === "DETAILS") {
      el.hidden = false;
      el.open = true;
      // A suppressed check sits inside the closed "Suppressed" group: open the way to it.
      for (var up = el.parentElement; up; up = up.parentElement) {
        if (up.tagName === "DETAILS") up.open = true;
      }
      el.scrollIntoView();
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  document.getElementById("expand-all").addEventListener("click", function () { findings.forEach(function (el) { el.open = true; }); });
  document.getElementById("collapse-all").addEventListener("click", function () { findings.forEach(function (el) { el.open = false; }); });
  window.addEventListener("hashchange", openTarget);
  apply();
  openTarget();
})();
