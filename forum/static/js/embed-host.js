// On the organisation's page: size each forum frame (<iframe data-forum-embed src=".../embed/articles/...">)
// to the height its thread reports. Messages are accepted only from the frame's own origin and window.
(function () {
  "use strict";
  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-forum-embed]"));
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "forum:embed-height" || typeof data.height !== "number") return;
    frames().forEach(function (frame) {
      if (frame.contentWindow !== event.source) return;
      if (new URL(frame.src, document.baseURI).origin !== event.origin) return;
      var height = Math.max(120, Math.min(Math.round(data.height), 100000));
      frame.style.height = height + "px";
      frame.setAttribute("data-forum-height", String(height));
    });
  });
})();
