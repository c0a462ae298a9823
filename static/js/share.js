// Logs which share link was used and makes "Copy link" work. Sharing works fully without it.
(function () {
  "use strict";
  var form = document.querySelector("[data-share-log]");
  var status = document.querySelector("[data-share-status]");

  function log(channel) {
    if (!form) return;
    var data = new FormData(form);
    data.append("channel", channel);
    if (navigator.sendBeacon && navigator.sendBeacon(form.action, data)) return;
    if (window.fetch) fetch(form.action, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
  }

  document.querySelectorAll("[data-share-channel]").forEach(function (link) {
    link.addEventListener("click", function () { log(link.getAttribute("data-share-channel")); });
  });

  var copy = document.querySelector("[data-share-copy]");
  var field = document.querySelector("[data-share-url]");
  if (copy && field) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      function done() {
        if (status) status.textContent = "Link copied.";
        log("copy");
      }
      function fallback() {
        field.select();
        try { document.execCommand("copy"); } catch (e) { /* the field stays selected to copy by hand */ }
        done();
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }
})();
