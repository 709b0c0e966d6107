/* Inside an embed (templates/embeds/base.html): tell the page that frames it how tall the content is, so that
   our static/js/embed.js there can fit the frame to it. Reported on load, after each htmx swap, whenever the
   content changes size (the frame narrowed, a step swapped in), and when that script asks (it may load after
   the first report). Only a height is sent, to whichever page frames us: nothing it may not know. Without
   the host page's script nothing listens, and the frame keeps the height of the snippet and scrolls. */
"use strict";

(function () {
  if (window.parent === window) return;
  var last = -1;

  function report(always) {
    // The root's own height: the content's, not the frame's (nothing in an embed depends on the viewport height).
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last && !always) return;
    last = height;
    window.parent.postMessage({ type: "factcheck:embed-height", height: height }, "*");
  }

  document.addEventListener("DOMContentLoaded", function () { report(false); });
  window.addEventListener("load", function () { report(false); });
  window.addEventListener("resize", function () { report(false); });
  document.addEventListener("htmx:afterSettle", function () { report(false); });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { report(false); }).observe(document.documentElement);
  }
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "factcheck:embed-measure") report(true);
  });
})();
