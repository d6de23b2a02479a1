// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  // After htmx swaps in a section, put the keyboard focus where the person will type next,
  // so adding one entry after another never needs the mouse.
  function placeFocus(root) {
    var target = root.querySelector("[data-focus]");
    if (!target) {
      var scope = root.matches && root.matches("[data-focus-within]") ? root : root.querySelector("[data-focus-within]");
      if (scope) {
        target = scope.querySelector("[aria-invalid=true], textarea, input:not([type=hidden]), select");
      }
    }
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    placeFocus(event.detail.elt || document);
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary[data-focus]");
    if (summary) {
      summary.focus();
    }
  });
})();
