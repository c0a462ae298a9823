// The live state of a "Call me" session: polls its small JSON endpoint every two seconds until
// the session is over, and updates the status line (announced politely to screen readers).
(function () {
  "use strict";
  var root = document.querySelector("[data-call-me-state]");
  if (!root || !window.fetch) return;
  var label = root.querySelector("[data-call-me-label]");
  var next = root.querySelector("[data-call-me-next]");
  var url = root.getAttribute("data-call-me-state");
  var polls = 0;
  function poll() {
    polls += 1;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) return;
        if (label.textContent !== status.label) label.textContent = status.label;
        next.textContent = status.next;
        if (!status.over && polls < 900) window.setTimeout(poll, 2000);
      })
      .catch(function () { if (polls < 900) window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
