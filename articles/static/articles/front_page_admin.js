// The admin's "Front page" page: select2 draws each story chooser as a box whose inner
// text field has no name of its own; give it the text of the chooser's <label>, so
// screen readers say which position it pins.
"use strict";
// After the admin's autocomplete.js has drawn the choosers (its ready handler runs first).
window.django.jQuery(function () {
  document.querySelectorAll("#front-page select.admin-autocomplete").forEach(function (select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = document.getElementById("select2-" + select.id + "-container");
    if (label && box) {
      box.setAttribute("aria-label", label.textContent.trim());
    }
  });
});
