// On a partner's page, beside the campaign's <iframe data-advocacy-embed>: sets the frame's
// height to its content's. A message is obeyed only when it comes from that very frame
// (event.source) and from the origin the frame was loaded from (event.origin), and only a
// sane number is accepted, so no other script on the page or in another frame can resize it.
(function () {
  "use strict";
  var MIN = 200, MAX = 5000;
  function originOf(url) {
    try { return new URL(url, document.baseURI).origin; } catch (e) { return null; }
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "advocacy-embed-height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-advocacy-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      if (originOf(frame.src) !== event.origin) return;
      var height = Math.max(MIN, Math.min(MAX, Math.round(data.height)));
      frame.style.height = height + "px";
      frame.setAttribute("data-advocacy-height", String(height));
      return;
    }
  });
})();
