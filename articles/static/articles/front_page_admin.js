// The admin's "Front page" page.
//
// Moving stories: drag a row by its handle, or use its ↑ and ↓ buttons; either moves the
// row and renumbers the "Order" inputs from the rows' new order, so the form posts the
// same numbers an editor could have typed (the number inputs keep working as before).
//
// Naming: select2 draws each story chooser as a box whose inner text field has no name of
// its own; give it the text of the chooser's <label>, so screen readers say which
// position it pins.
"use strict";
(function () {
  var table = document.getElementById("front-page");
  if (!table) return;
  var body = table.tBodies[0];
  var announce = document.getElementById("front-page-announce");

  function rows() {
    return Array.from(body.rows);
  }

  function headline(row) {
    var link = row.querySelector(".front-page-showing a");
    return link ? link.textContent.trim() : "An empty position";
  }

  // A story moves with its row; the place's name and its slot kind (lead, top story,
  // sponsored) stay where they are, as the server keeps each kind with its position.
  function renumber() {
    var all = rows();
    var kinds = {};
    var column = 0;
    all.forEach(function (row) {
      var cell = row.querySelector("td.front-page-kind");
      if (!cell) return;
      column = Array.prototype.indexOf.call(row.children, cell);
      kinds[cell.dataset.position] = cell;
      row.removeChild(cell);
    });
    all.forEach(function (row, index) {
      var order = row.querySelector("input.front-page-order");
      if (order) order.value = String(index + 1);
      var place = row.querySelector(".front-page-place");
      if (place) place.textContent = index === 0 ? "Lead" : String(index + 1);
      var kind = kinds[String(index)];
      if (kind) row.insertBefore(kind, row.children[column] || null);
      row.classList.toggle("is-moved", Number(row.dataset.position) !== index);
    });
  }

  function moved(row) {
    renumber();
    if (announce) {
      var place = rows().indexOf(row);
      announce.textContent =
        headline(row) + " moved to " + (place === 0 ? "the lead" : "position " + (place + 1)) +
        ". Save the front page to keep it.";
    }
  }

  // -- buttons: one step up or down, focus staying on the button pressed ----------------
  body.addEventListener("click", function (event) {
    var button = event.target.closest(".front-page-up, .front-page-down");
    if (!button) return;
    var row = button.closest("tr");
    if (button.classList.contains("front-page-up") && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
    } else if (button.classList.contains("front-page-down") && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    button.focus();
    moved(row);
  });

  // -- dragging: a row becomes draggable only while its handle is held, so text in its
  // fields can still be selected with the mouse -----------------------------------------
  var dragged = null;

  body.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest(".front-page-handle");
    if (handle) handle.closest("tr").draggable = true;
  });

  body.addEventListener("dragstart", function (event) {
    var row = event.target.closest && event.target.closest("tr");
    if (!row || !row.draggable) return;
    dragged = row;
    row.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", headline(row));
  });

  body.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = event.target.closest("tr");
    if (!over || over.parentNode !== body) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (over === dragged) return;
    var box = over.getBoundingClientRect();
    var before = event.clientY < box.top + box.height / 2;
    body.insertBefore(dragged, before ? over : over.nextElementSibling);
  });

  body.addEventListener("drop", function (event) {
    if (dragged) event.preventDefault();
  });

  body.addEventListener("dragend", function () {
    if (!dragged) return;
    var row = dragged;
    dragged = null;
    row.draggable = false;
    row.classList.remove("is-dragging");
    moved(row);
  });

  document.addEventListener("pointerup", function () {
    rows().forEach(function (row) {
      if (row !== dragged) row.draggable = false;
    });
  });

  // After the admin's autocomplete.js has drawn the choosers (its ready handler runs first).
  window.django.jQuery(function () {
    table.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var box = document.getElementById("select2-" + select.id + "-container");
      if (label && box) {
        box.setAttribute("aria-label", label.textContent.trim());
      }
    });
  });
})();
