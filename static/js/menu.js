/* The main menu on a phone (templates/base.html): folded behind the «Menu» button.

   Without JavaScript the button stays hidden and the whole menu is shown. With it, the menu
   folds on small screens (CSS: .laget-header--foldable) and the button opens and closes it,
   saying so with aria-expanded; Escape closes it and puts focus back on the button.
   No inline script (CSP: script-src 'self'). */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector("[data-menu-button]");
    var menu = document.querySelector("[data-menu]");
    if (!button || !menu) return;
    var header = button.closest(".laget-header");

    function set(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("laget-header__nav--open", open);
    }

    header.classList.add("laget-header--foldable");
    button.hidden = false;
    set(false);
    button.addEventListener("click", function () {
      set(button.getAttribute("aria-expanded") !== "true");
    });
    header.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        set(false);
        button.focus();
      }
    });
  });
})();
