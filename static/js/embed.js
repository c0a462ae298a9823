// Inside the embed's frame: tell the page around it how tall the content is, so the partner's
// page (static/js/embed-frame.js) can size the frame and no scrollbar appears. Only a number
// is sent; the receiving script checks that the message comes from this site's frame.
(function () {
  "use strict";
  if (window.parent === window || !window.ResizeObserver) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "advocacy-embed-height", height: height }, "*");
  }
  new ResizeObserver(send).observe(document.documentElement);
  window.addEventListener("load", send);
  send();
})();
