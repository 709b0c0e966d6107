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

  // A number guess: show the slider and keep it and the number box in step. The box alone is the form's
  // field, so without this script the guess is typed.
  function setUpGuess(root) {
    var wrapper = root.querySelector("[data-guess-slider]");
    var box = root.querySelector("#guess");
    if (!wrapper || !box || wrapper.getAttribute("data-ready")) return;
    var slider = wrapper.querySelector("input[type=range]");
    var unit = slider.getAttribute("data-unit") || "";
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    function describe() {
      var text = format.format(Number(slider.value));
      slider.setAttribute("aria-valuetext", unit ? text + " " + unit : text);
    }
    slider.addEventListener("input", function () {
      box.value = slider.value;
      slider.removeAttribute("data-untouched");
      describe();
    });
    box.addEventListener("input", function () {
      if (box.value !== "" && !isNaN(Number(box.value))) {
        slider.value = box.value;
        describe();
      }
    });
    if (box.value !== "" && !isNaN(Number(box.value))) {
      slider.value = box.value; // a guess shown again with its error: the slider starts there (or at its end)
    }
    describe();
    wrapper.hidden = false;
    wrapper.setAttribute("data-ready", "1");
  }
  document.addEventListener("DOMContentLoaded", function () { setUpGuess(document); });
  document.addEventListener("htmx:load", function (event) { setUpGuess(event.target); });

  // The choice tapped looks chosen while its answer is sent.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".quiz-choice--button");
    if (button) button.classList.add("is-chosen");
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
