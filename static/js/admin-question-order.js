/* Quiz admin: the order of the questions, changed on the page (Move up / Move down, or dragging by the handle).
 *
 * templates/admin/claims/quiz/question_inline.html renders each question as `.question-card` with a hidden
 * position field (`…-position`) and two submit buttons, "Move up" and "Move down". Without this script those
 * buttons post the form and the server saves the quiz with the question moved (claims/admin/question_order.py).
 * With it, they move the question on the page, the positions are renumbered 1, 2, 3… in page order, and a live
 * region says where the question went; the order is saved with the quiz's Save button. Each question also gets
 * a drag handle (for the mouse; the buttons are the keyboard's way).
 *
 * Pressing Enter in a text field submits a form with its first submit button, which on this page is question 1's
 * "Move up": such a click (the button does not have the focus) is passed on as "Save and continue editing".
 *
 * Strings come from the admin's JavaScript catalog (jsi18n), as in admin-choices.js; without it, the buttons keep
 * working the scriptless way.
 */
"use strict";

(() => {
  const { gettext, interpolate } = window;
  if (![gettext, interpolate].every((f) => typeof f === "function")) {
    return;
  }
  const format = (text, values) => interpolate(text, values, true);

  // The questions that are in the order: saved ones and ones added on the page, each with its Move buttons. Not
  // the template row, nor the blank row the page offers below them (a position would make it look filled in).
  const cardsOf = (group) =>
    [...group.querySelectorAll(".question-card:not(.empty-form)")].filter((card) =>
      card.querySelector(".question-card__order"),
    );

  function renumber(group) {
    cardsOf(group).forEach((card, index) => {
      const number = String(index + 1);
      const position = card.querySelector("input[name$='-position']");
      if (position) {
        position.value = number;
      }
      for (const ordinal of card.querySelectorAll(".question-card__ordinal")) {
        ordinal.textContent = number;
      }
      const label = card.querySelector(".inline_label");
      if (label) {
        label.textContent = `#${number}`;
      }
    });
  }

  function setUp(group) {
    if (group.dataset.questionOrder) {
      return;
    }
    group.dataset.questionOrder = "on";
    const status = document.createElement("div");
    status.className = "visually-hidden question-list__status";
    status.setAttribute("role", "status");
    group.append(status);
    const say = (message) => {
      status.textContent = message;
    };

    function announce(card) {
      const cards = cardsOf(group);
      say(
        format(gettext("Question moved to place %(place)s of %(count)s. Save the quiz to keep the new order."), {
          place: cards.indexOf(card) + 1,
          count: cards.length,
        }),
      );
    }

    function move(card, direction) {
      const cards = cardsOf(group);
      const at = cards.indexOf(card);
      const other = cards[direction === "up" ? at - 1 : at + 1];
      if (!other) {
        say(direction === "up" ? gettext("This question is already first.") : gettext("This question is already last."));
        return false;
      }
      if (direction === "up") {
        other.before(card);
      } else {
        other.after(card);
      }
      renumber(group);
      announce(card);
      return true;
    }

    group.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest(".question-card__move") : null;
      const card = button && button.closest(".question-card");
      if (!card || card.classList.contains("empty-form")) {
        return;
      }
      event.preventDefault();
      if (document.activeElement !== button && event.detail === 0) {
        // Enter in a text field: the browser "clicked" the form's first submit button. Save instead.
        const form = button.form;
        const save = form && (form.querySelector("[name=_continue]") || form.querySelector("[name=_save]"));
        if (save) {
          form.requestSubmit(save);
        }
        return;
      }
      move(card, button.value);
      button.focus(); // the card moved, and Chrome drops the focus of a moved element
    });

    // Dragging, by a handle added to each question.
    let dragged = null;

    function addHandle(card) {
      if (card.querySelector(".question-card__handle")) {
        return;
      }
      const order = card.querySelector(".question-card__order");
      if (!order) {
        return;
      }
      const handle = document.createElement("span");
      handle.className = "question-card__handle";
      handle.draggable = true;
      handle.title = gettext("Drag to change the order");
      handle.setAttribute("aria-hidden", "true"); // the Move buttons are the way for the keyboard
      handle.textContent = "⠿";
      order.prepend(handle);
      handle.addEventListener("dragstart", (event) => {
        dragged = card;
        card.classList.add("question-card--dragged");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", "");
        event.dataTransfer.setDragImage(card, 20, 20);
      });
      handle.addEventListener("dragend", () => {
        card.classList.remove("question-card--dragged");
        dragged = null;
      });
    }

    group.addEventListener("dragover", (event) => {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      const target = event.target instanceof Element ? event.target.closest(".question-card") : null;
      if (!target || target === dragged || target.classList.contains("empty-form")) {
        return;
      }
      const box = target.getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) {
        target.before(dragged);
      } else {
        target.after(dragged);
      }
    });

    group.addEventListener("drop", (event) => {
      if (!dragged) {
        return;
      }
      event.preventDefault();
      renumber(group);
      announce(dragged);
    });

    cardsOf(group).forEach(addHandle);
    group.addEventListener("formset:added", (event) => {
      if (event.target instanceof Element && event.target.classList.contains("question-card")) {
        addHandle(event.target);
        renumber(group);
      }
    });
    document.addEventListener("formset:removed", () => renumber(group));
  }

  function start() {
    document.querySelectorAll(".question-list").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
