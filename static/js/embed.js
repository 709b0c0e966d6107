/* Factcheck embeds, on a partner's page: fits each of our frames (iframe[data-factcheck-embed]) to the height
   of its content, which the framed page reports (static/js/embed-frame.js). A report counts only if it comes
   from our site's origin (where this script was loaded from) and from the frame it resizes. No dependencies;
   once per page is enough, but pasting it twice does no harm. Without it, frames keep their fixed height. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || window.factcheckEmbeds) return;
  var origin = new URL(script.src, location.href).origin;
  window.factcheckEmbeds = origin;

  function frames() {
    return document.querySelectorAll("iframe[data-factcheck-embed]");
  }

  function ask(frame) {
    // Only a frame still showing our page gets the question (it answers with its height).
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "factcheck:embed-measure" }, origin);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "factcheck:embed-height") return;
    var height = Math.ceil(Number(data.height));
    if (!(height > 0 && height < 100000)) return;
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      if (list[i].contentWindow === event.source) list[i].style.height = height + "px";
    }
  });

  function start() {
    var list = frames();
    for (var i = 0; i < list.length; i++) {
      list[i].addEventListener("load", function (event) { ask(event.target); });
      ask(list[i]);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
