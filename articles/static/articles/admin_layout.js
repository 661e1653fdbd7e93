// Names for the admin's controls that have no <label> of their own, so screen readers
// (and axe) can say what each is: a tabular inline's cells take their column's heading and
// row, the rich-text body and select2's boxes the text of their field's <label>.
"use strict";
(function () {
  function labelText(id) {
    var label = id && document.querySelector('label[for="' + id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function nameTabularCells() {
    document.querySelectorAll(".inline-group .tabular table").forEach(function (table) {
      var headings = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        Array.from(row.children).forEach(function (cell, column) {
          var heading = headings[column] || "";
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (control) {
            if (control.labels && control.labels.length) return;
            if (control.getAttribute("aria-label")) return;
            var what = control.name && /-DELETE$/.test(control.name) ? "Delete" : heading;
            control.setAttribute("aria-label", what + ", row " + (index + 1));
          });
        });
      });
    });
  }

  function nameRichText() {
    document.querySelectorAll("[contenteditable=true][role=textbox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) return;
      var field = box.closest(".form-row, .flex-container");
      var label = field && field.querySelector("label");
      if (label) box.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
    });
  }

  function nameSelect2() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var text = labelText(select.id);
      var rendered = document.getElementById("select2-" + select.id + "-container");
      if (text && rendered) {
        rendered.setAttribute("aria-label", text);
        // The combobox is named by the box, which is empty while nothing is chosen.
        var combobox = rendered.closest("[role=combobox]");
        if (combobox) combobox.setAttribute("aria-label", text);
      }
    });
  }

  function nameAll() {
    nameTabularCells();
    nameRichText();
    nameSelect2();
  }

  // After the admin's own scripts have drawn their widgets: select2 draws its boxes in a
  // jQuery ready handler (ours queues after it), the body's editor by the load event.
  if (window.django && window.django.jQuery) window.django.jQuery(nameAll);
  window.addEventListener("load", nameAll);
  document.addEventListener("formset:added", function () { setTimeout(nameAll, 0); });
  // The body's editor and select2 may draw themselves later still: name them the moment
  // they appear (a check of each added element's class, cheap while someone types).
  new MutationObserver(function (mutations) {
    var drawn = mutations.some(function (mutation) {
      return Array.from(mutation.addedNodes).some(function (node) {
        return node.nodeType === 1 && /\b(ProseMirror|tiptap|select2)/.test(node.className);
      });
    });
    if (drawn) {
      nameRichText();
      nameSelect2();
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
