/* Gives the admin's autocomplete boxes (select2, for autocomplete_fields) the name of their field.
 *
 * select2 names its box by the text of the current choice only (aria-labelledby points at it), so an empty
 * box ("no picture yet") has no name at all for a screen reader, and axe reports it. This adds the field's
 * own <label> to that name, and to the text box inside it: "Picture", or "Article Border crossings hit a record".
 * It runs from Django's jQuery ready queue, after admin/js/autocomplete.js has set the boxes up: the media may
 * load this file before jQuery itself, so it joins the queue once the page has loaded.
 */
"use strict";

(() => {
  function name() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach((select) => {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const box = select.parentElement.querySelector(".select2-selection[role=combobox]");
      if (!label || !box) {
        return;
      }
      label.id = label.id || `${select.id}_label`;
      const ids = (box.getAttribute("aria-labelledby") || "").split(" ").filter((id) => id && id !== label.id);
      box.setAttribute("aria-labelledby", [label.id, ...ids].join(" "));
      // The text inside (role=textbox) is named too: the field, then its choice.
      const shown = box.querySelector(".select2-selection__rendered[id]");
      if (shown) {
        shown.setAttribute("aria-labelledby", `${label.id} ${shown.id}`);
      }
    });
  }

  window.addEventListener("load", () => {
    if (window.django && window.django.jQuery) {
      window.django.jQuery(name);
    }
  });
})();
