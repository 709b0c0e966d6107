/* Character counters under the fields that have a length limit (the claim's statement and bottom line).
 *
 * The server marks each field (claims/admin/claims.py: set_up_limits) with data-max, the limit, and the
 * counter's text already translated: data-counter ("%(count)s of %(max)s characters") and data-counter-over
 * (the same, with how many too many). This script puts a counter under each field, updated as the editor
 * types; it is a polite live region, and says in words (not in colour only) when the text is too long.
 * Nothing is refused here: the editorial rule refuses a longer text when the form is saved, with or
 * without this script.
 */
"use strict";

(() => {
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (match, name) => String(values[name] ?? match));

  function setUp(field) {
    const max = Number(field.dataset.max);
    if (!max || field.dataset.counterReady) {
      return;
    }
    field.dataset.counterReady = "1";
    const counter = document.createElement("p");
    counter.className = "char-counter";
    counter.id = `${field.id}_counter`;
    counter.setAttribute("aria-live", "polite");
    const describedBy = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", describedBy ? `${describedBy} ${counter.id}` : counter.id);
    field.insertAdjacentElement("afterend", counter);

    const update = () => {
      const count = [...field.value.trim()].length;
      const over = count - max;
      counter.classList.toggle("char-counter--over", over > 0);
      counter.textContent = fill(over > 0 ? field.dataset.counterOver : field.dataset.counter, { count, max, over });
    };
    field.addEventListener("input", update);
    update();
  }

  function start() {
    document.querySelectorAll("textarea[data-max], input[data-max]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
