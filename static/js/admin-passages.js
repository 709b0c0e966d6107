/* "Pick a passage": fills a source's evidence quote with the words the editor selects in the article.
 *
 * Under each source, htmx loads the article's paragraphs into a panel (ClaimAdmin.passages_view, with the
 * article chosen on the form: #id_article). When the editor selects words inside one paragraph, the quote of
 * that source (the textarea named "…-quote" in the same inline row) is set to exactly those words, so the
 * quote is verbatim by construction. The panel's status line says so (role=status), with the message the
 * server translated (data-filled on the panel's list). Without JavaScript the link opens the same list as a
 * page, to copy from.
 */
"use strict";

(() => {
  function fillFrom(passage) {
    const selection = window.getSelection();
    const text = selection ? selection.toString().replace(/\s+/g, " ").trim() : "";
    if (!text || !passage.contains(selection.anchorNode) || !passage.contains(selection.focusNode)) {
      return;
    }
    const row = passage.closest(".inline-related");
    const quote = row && row.querySelector("textarea[name$='-quote']");
    if (!quote) {
      return;
    }
    quote.value = text;
    quote.dispatchEvent(new Event("input", { bubbles: true }));
    const status = passage.closest(".passages").querySelector(".passages__status");
    if (status) {
      status.textContent = (status.dataset.filled || "").replace("%(number)s", passage.dataset.paragraph);
    }
  }

  // A source row added with "Add another Source" is a copy of Django's template row: htmx sets its link up.
  document.addEventListener("formset:added", (event) => {
    if (window.htmx) {
      window.htmx.process(event.target);
    }
  });

  // The search box sits inside the claim's form: Enter searches (htmx's "search" trigger), never saves the claim.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest && event.target.closest(".inline-related .passages__search")) {
      event.preventDefault();
    }
  });

  document.addEventListener("mouseup", (event) => {
    const passage = event.target.closest && event.target.closest(".passage");
    if (passage) {
      fillFrom(passage);
    }
  });
  document.addEventListener("keyup", (event) => {
    const passage = event.target.closest && event.target.closest(".passage");
    if (passage && event.shiftKey) {
      fillFrom(passage);
    }
  });
})();
