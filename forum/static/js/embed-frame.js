// Inside the framed thread: tell the host page how tall the thread is, whenever that changes.
// The host page's script (/embed/embed.js) listens; without it nothing happens and the frame scrolls.
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a number leaves the frame, so any host may hear it.
    window.parent.postMessage({ type: "forum:embed-height", height: height }, "*");
  }
  if ("ResizeObserver" in window) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  document.addEventListener("toggle", report, true);
  report();
})();
