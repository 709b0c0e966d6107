/* Quiz admin: a question's choice rows, shown as many as are in use, with "Add a choice" and "Remove".
 *
 * QuestionForm (claims/admin/forms.py) has a fixed set of rows, each a text field `choice_N`
 * and a "correct" checkbox `correct_N`, rendered by the admin as one `div.form-row` per row
 * (input names are prefixed, e.g. `questions-0-choice_3`, on the quiz page's inline).
 * Without this script all rows show and work; with it, each question shows its filled rows
 * plus one empty row (at least MIN_VISIBLE), an "Add a choice" button reveals the next row,
 * and a "Remove" button per row clears it (text and tick) and hides it. A cleared row is
 * posted empty, and the form leaves empty rows out, so what is saved is what is shown.
 *
 * Questions added with the inline's "Add another Question" link are set up when Django's
 * admin dispatches `formset:added` on the new row. The hidden template row (`.empty-form`)
 * is never touched, so its clones start clean.
 *
 * Its text is translated with the admin's JavaScript catalog (gettext, ngettext and interpolate
 * from the admin's jsi18n view, which change_form.html loads before the form's media), so
 * `makemessages -d djangojs` finds every string. Without the catalog it leaves the rows alone.
 */
"use strict";

(() => {
  const MIN_VISIBLE = 2; // MIN_CHOICES in claims/models/quizzes.py
  const TEXT_NAME = /(?:^|-)choice_(\d+)$/;
  let questionCount = 0; // for ids of our own, which Django's renumbering of inline forms leaves alone
  const CORRECT_NAME = /(?:^|-)correct_(\d+)$/;

  const { gettext, ngettext, interpolate } = window;
  const translated = [gettext, ngettext, interpolate].every((f) => typeof f === "function");
  // interpolate(format, values, true) fills named placeholders: "%(number)s".
  const format = (text, values) => interpolate(text, values, true);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  /* The choice rows under `root`, grouped by the fieldset (one question) they belong to. */
  function findQuestions(root) {
    const questions = new Map();
    for (const input of root.querySelectorAll("input[name]")) {
      const match = TEXT_NAME.exec(input.name);
      const row = match && input.closest(".form-row");
      const fieldset = row && row.closest("fieldset");
      if (!fieldset || fieldset.closest(".empty-form")) {
        continue;
      }
      const correct = [...row.querySelectorAll("input[type=checkbox][name]")].find((box) => {
        const found = CORRECT_NAME.exec(box.name);
        return found && found[1] === match[1];
      });
      if (!questions.has(fieldset)) {
        questions.set(fieldset, []);
      }
      questions.get(fieldset).push({ number: Number(match[1]), row, text: input, correct: correct || null });
    }
    for (const rows of questions.values()) {
      rows.sort((a, b) => a.number - b.number);
    }
    return questions;
  }

  function isUsed(choice) {
    return (
      choice.text.value.trim() !== "" ||
      (choice.correct !== null && choice.correct.checked) ||
      choice.row.querySelector(".errorlist") !== null
    );
  }

  function enhance(fieldset, rows) {
    if (fieldset.dataset.choiceRows || rows.length <= MIN_VISIBLE) {
      return;
    }
    fieldset.dataset.choiceRows = "on";
    fieldset.classList.add("choice-rows");

    const status = element("div", "visually-hidden");
    status.setAttribute("role", "status");
    const addButton = element("button", "button choice-rows__add", gettext("Add a choice"));
    addButton.type = "button";
    const limitNote = element(
      "span",
      "choice-rows__limit",
      format(
        ngettext("A question has at most %(count)s choice.", "A question has at most %(count)s choices.", rows.length),
        { count: rows.length },
      ),
    );
    questionCount += 1;
    limitNote.id = `choice-rows-limit-${questionCount}`;
    const actions = element("div", "form-row choice-rows__actions");
    actions.append(addButton, limitNote, status);
    rows[rows.length - 1].row.after(actions);

    const visibleRows = () => rows.filter((choice) => !choice.row.hidden);

    function refresh() {
      const visible = visibleRows();
      for (const choice of rows) {
        choice.removeButton.hidden = visible.length <= MIN_VISIBLE;
      }
      const full = visible.length === rows.length;
      addButton.disabled = full;
      limitNote.hidden = !full;
      if (full) {
        addButton.setAttribute("aria-describedby", limitNote.id);
      } else {
        addButton.removeAttribute("aria-describedby");
      }
    }

    function say(message) {
      status.textContent = message;
    }

    for (const choice of rows) {
      choice.row.dataset.choiceRow = String(choice.number);
      // Translators: the button reads "Remove", and screen readers hear "Remove choice 3".
      const button = element("button", "button choice-rows__remove", gettext("Remove"));
      button.type = "button";
      // Translators: said after "Remove" on a choice's button, for screen readers ("Remove choice 3").
      const which = format(gettext("choice %(number)s"), { number: choice.number });
      button.append(element("span", "visually-hidden", ` ${which}`));
      button.addEventListener("click", () => {
        if (visibleRows().length <= MIN_VISIBLE) {
          return;
        }
        choice.text.value = "";
        choice.text.dispatchEvent(new Event("input", { bubbles: true }));
        choice.text.dispatchEvent(new Event("change", { bubbles: true }));
        if (choice.correct !== null && choice.correct.checked) {
          choice.correct.checked = false;
          choice.correct.dispatchEvent(new Event("change", { bubbles: true }));
        }
        choice.row.hidden = true;
        refresh();
        addButton.focus();
        say(format(gettext("Choice %(number)s removed."), { number: choice.number }));
      });
      const box = element("div", "fieldBox choice-rows__remove-box");
      box.append(button);
      choice.row.append(box);
      choice.removeButton = button;
    }

    addButton.addEventListener("click", () => {
      const next = rows.find((choice) => choice.row.hidden);
      if (!next) {
        return;
      }
      next.row.hidden = false;
      refresh();
      next.text.focus();
      say(format(gettext("Choice %(number)s added."), { number: next.number }));
    });

    // Filled rows and one empty row after the last of them, never fewer than MIN_VISIBLE.
    let lastUsed = 0;
    rows.forEach((choice, index) => {
      if (isUsed(choice)) {
        lastUsed = index + 1;
      }
    });
    const shown = Math.min(rows.length, Math.max(MIN_VISIBLE, lastUsed + 1));
    rows.forEach((choice, index) => {
      choice.row.hidden = index >= shown;
    });
    refresh();
  }

  function enhanceWithin(root) {
    if (!translated) {
      return;
    }
    for (const [fieldset, rows] of findQuestions(root)) {
      enhance(fieldset, rows);
    }
  }

  document.addEventListener("formset:added", (event) => {
    if (event.target instanceof Element) {
      enhanceWithin(event.target);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceWithin(document));
  } else {
    enhanceWithin(document);
  }
})();
