// Focal point picker for the image admin: click the subject of the picture and the
// focal point inputs (plain number fields, which work without this script) follow.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll(".focal-picker")) {
    const image = picker.querySelector("img");
    const marker = picker.querySelector(".focal-marker");
    const inputX = document.getElementById(picker.dataset.focalX);
    const inputY = document.getElementById(picker.dataset.focalY);
    if (!image || !marker || !inputX || !inputY) continue;

    const fraction = (value) => Math.min(1, Math.max(0, Number.parseFloat(value) || 0));
    const show = () => {
      marker.style.left = `${fraction(inputX.value) * 100}%`;
      marker.style.top = `${fraction(inputY.value) * 100}%`;
    };

    image.addEventListener("click", (event) => {
      inputX.value = fraction(event.offsetX / image.clientWidth).toFixed(3);
      inputY.value = fraction(event.offsetY / image.clientHeight).toFixed(3);
      show();
    });
    inputX.addEventListener("input", show);
    inputY.addEventListener("input", show);
    picker.classList.add("focal-picker--ready");
    show();
  }
});
