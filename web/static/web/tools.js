/* Officer tools: a print button (CSP allows no inline handlers, so buttons say data-print). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
