// Keeps the signature counter current without a reload. The page works fully without it.
(function () {
  "use strict";
  var counters = document.querySelectorAll("[data-counter]");
  if (!counters.length || !window.fetch) return;
  // Numbers as the page's language writes them (the html element's lang: en, km, vi, es, zh-hant).
  var format = new Intl.NumberFormat(document.documentElement.lang || "en-US");
  var INTERVAL_MS = 5000;

  function update(counter, data) {
    var count = counter.querySelector("[data-counter-count]");
    var goal = counter.querySelector("[data-counter-goal]");
    var bar = counter.querySelector("[data-counter-bar]");
    if (count) count.textContent = format.format(data.signatures);
    if (goal) goal.textContent = format.format(data.goal);
    if (bar) {
      bar.max = data.goal;
      bar.value = data.signatures;
      bar.textContent = data.percent + "%";
    }
  }

  function poll(counter) {
    fetch(counter.getAttribute("data-totals-url"), { credentials: "omit" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) update(counter, data); })
      .catch(function () {})
      .then(function () {
        setTimeout(function () { poll(counter); }, document.hidden ? INTERVAL_MS * 4 : INTERVAL_MS);
      });
  }

  counters.forEach(function (counter) { setTimeout(function () { poll(counter); }, 1000); });

  // Move focus to the error summary so screen readers announce what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
