/* Quiz admin: a question shows the fields of its kind only (choices, or a number guess's range and true value).
 *
 * QuestionForm (claims/admin/forms.py) renders both groups of fields in every question, each a fieldset of its
 * own; without this script both show, with their headings saying which kind each is for. With it, the group of
 * the other kind is hidden when the kind select changes, unless it holds an error the editor must see (a number
 * guess with choices left in it, say). Hidden fields are still posted, and the form judges them by the kind.
 */
"use strict";

(() => {
  function groups(question) {
    const fieldsetOf = (selector) => {
      const input = question.querySelector(selector);
      return input ? input.closest("fieldset") : null;
    };
    return {
      kind: question.querySelector("select[name$='-kind']"),
      choice: fieldsetOf("input[name$='-choice_1']"),
      number: fieldsetOf("input[name$='-number_min']"),
    };
  }

  function setUp(question) {
    const { kind, choice, number } = groups(question);
    if (!kind || !choice || !number || kind.dataset.kindFields) {
      return;
    }
    kind.dataset.kindFields = "on";
    const show = () => {
      const isNumber = kind.value === "number";
      choice.hidden = isNumber && !choice.querySelector(".errorlist");
      number.hidden = !isNumber && !number.querySelector(".errorlist");
    };
    kind.addEventListener("change", show);
    show();
  }

  function setUpWithin(root) {
    root.querySelectorAll(".question-card:not(.empty-form)").forEach(setUp);
  }

  document.addEventListener("formset:added", (event) => {
    if (event.target instanceof Element) {
      setUp(event.target);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => setUpWithin(document));
  } else {
    setUpWithin(document);
  }
})();
