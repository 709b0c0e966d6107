/* The quiz: focus and screen-reader announcements after htmx swaps a step.
   Optional like everything in static/js: without it (or without htmx) every
   step is an ordinary page. The swapped step (#quiz-step) carries the text to
   announce in data-announce and the element to focus in data-focus. */
"use strict";

(function () {
  function announce(text) {
    if (window.factcheck && window.factcheck.announce) {
      window.factcheck.announce(text);
      return;
    }
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function focusStep(step) {
    var selector = step.getAttribute("data-focus");
    var target = (selector && document.querySelector(selector)) || step.querySelector("h1, h2");
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    // htmx fires afterSettle on each newly swapped-in element: for an outerHTML
    // swap of the step, that is the new #quiz-step (event.detail.target is the old one).
    var step = event.target;
    if (!step || step.id !== "quiz-step" || !step.isConnected) return;
    focusStep(step);
    announce(step.getAttribute("data-announce"));
  });

  // While a step is loading, keep the reader from submitting twice (the server would ignore it anyway).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.id === "answer-form") {
      elt.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.id === "answer-form" && elt.isConnected) {
      elt.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
    }
  });
})();
