/* "Has this been checked?" (templates/tips/tips.html). Optional: without it the search is a plain GET and the
   page comes back with the form filled in. With htmx the results swap in place; when nothing matched, this
   puts the search into "What was said?" below, unless the reader has typed something else there. */
"use strict";

(function () {
  var lastPrefill = "";
  document.addEventListener("htmx:afterSettle", function (event) {
    var results = document.getElementById("results");
    var target = event.detail && event.detail.target;
    if (!results || !target || target.id !== "results") return;
    var prefill = results.getAttribute("data-prefill") || "";
    var statement = document.getElementById("id_statement");
    if (!prefill || !statement) return;
    if (statement.value === "" || statement.value === lastPrefill) {
      statement.value = prefill;
      lastPrefill = prefill;
    }
  });
})();
