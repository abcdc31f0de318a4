// Behaviour of the platform's pages. The Content-Security-Policy allows no inline script and
// no inline style attribute: pages load their scripts from /static and mark elements with
// data-* attributes that these scripts read.
(function () {
  "use strict";

  // <div class="progress-bar" data-progress="40"> gets its width (0–100 %).
  function showProgress(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      var value = Math.max(0, Math.min(100, parseInt(bar.getAttribute("data-progress"), 10) || 0));
      bar.style.width = value + "%";
    });
  }

  // <button data-print> prints the page (the printable request summary, letter, receipt).
  function bindPrint(root) {
    root.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    showProgress(document);
    bindPrint(document);
  });
})();
