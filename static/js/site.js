/* Progressive enhancements for every page. Everything here is optional:
   the links and forms it enhances work without it. Its text comes from the
   page, translated (templates/claims/includes/share_row.html): a message
   the page does not give is simply not shown. */
"use strict";

(function () {
  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    // Clear first so that the same message twice is announced twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function setupShareRow(row) {
    if (row.hasAttribute("data-share-ready")) return;
    row.setAttribute("data-share-ready", "");
    var url = row.getAttribute("data-share-url");
    var title = row.getAttribute("data-share-title") || document.title;
    var status = row.querySelector("[data-share-status]");
    var copy = row.querySelector("[data-copy-link]");
    var native = row.querySelector("[data-native-share]");

    function say(text) {
      if (status && text) status.textContent = text;
    }

    if (copy && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(url).then(
          function () { say(row.getAttribute("data-copied-text")); },
          function () { say(row.getAttribute("data-copy-failed-text")); }
        );
      });
    }
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: title, url: url }).catch(function () { /* the reader closed the share sheet */ });
      });
    }
  }

  // "Embed" boxes (templates/embeds/includes/embed_code.html): the same copy, of the code in the box's text area.
  function setupCopyBox(box) {
    var source = box.querySelector("[data-copy-source]");
    var button = box.querySelector("[data-copy-button]");
    var status = box.querySelector("[data-copy-status]");
    if (!source || !button || !navigator.clipboard || !window.isSecureContext) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.value).then(
        function () { if (status) status.textContent = box.getAttribute("data-copied-text") || ""; },
        function () {
          source.select();
          if (status) status.textContent = box.getAttribute("data-copy-failed-text") || "";
        }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".share-row").forEach(setupShareRow);
    document.querySelectorAll("[data-copy-box]").forEach(setupCopyBox);
  });

  // After an htmx swap of the index's results, say how many were found (the results carry the text).
  // The swap is outerHTML, so the event's target is the replaced element: read the count from the new one.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.target;
    var results = document.getElementById("results");
    if (target && target.id === "results" && results) announce(results.getAttribute("data-announce"));
    // "Load more" replaced itself with the next page: keyboard focus would fall back to the top of the
    // page, so put it on the first new fact-check instead.
    if (target && target.classList.contains("pager") && results &&
        (!document.activeElement || document.activeElement === document.body)) {
      var lists = results.querySelectorAll("ol.claim-list");
      var first = lists.length ? lists[lists.length - 1].querySelector(".claim-item__statement") : null;
      if (first) first.focus();
    }
    document.querySelectorAll(".share-row").forEach(setupShareRow);
  });

  // The language switcher sits outside what htmx swaps: after a swap moves the address (the next quiz
  // question, a filtered index), point it at the page now shown. The server turns that address into the
  // same page in the other language (/language/<code>/?next=…).
  function followAddress() {
    var here = window.location.pathname + window.location.search;
    document.querySelectorAll(".language-switcher a[data-switch-language]").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("next", here);
      link.href = url.pathname + url.search;
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", followAddress);
  document.addEventListener("htmx:replacedInHistory", followAddress);

  window.factcheck = { announce: announce, setupShareRow: setupShareRow };
})();
