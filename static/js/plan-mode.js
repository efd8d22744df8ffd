/* Plan mode (teams.plans.mode.plan_mode): the youth's plan on a shared screen, from the keyboard.

   → or N: next life area; ← or P: previous; 1–9: go to that area; Esc: leave a field, and
   then back to the meeting page. Keys typed into a field are left alone (except Esc). Every
   control is also a plain link, summary or button reachable by Tab, and Enter in a field
   saves its form (the browser's own submit); without JavaScript the page still works.
   Changes are announced in the aria-live region #plan-live. No framework; loaded with defer. */
(function () {
  "use strict";

  var body = document.body;
  var live = document.getElementById("plan-live");
  var main = document.getElementById("plan-main");

  var shared = window.LagetScreen;  // static/js/shared-screen.js
  var go = shared.go;
  var typing = shared.typing;

  function announce(text) {
    shared.announce(live, text);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "Escape") {
      if (typing(event.target)) {
        event.target.blur();
        if (main) main.focus();
      } else {
        go(body.getAttribute("data-exit-url"));
      }
      event.preventDefault();
      return;
    }
    if (typing(event.target)) return;
    if (key === "ArrowRight" || key === "n" || key === "N") {
      if (body.getAttribute("data-next-url")) {
        event.preventDefault();
        go(body.getAttribute("data-next-url"));
      }
      return;
    }
    if (key === "ArrowLeft" || key === "p" || key === "P") {
      if (body.getAttribute("data-previous-url")) {
        event.preventDefault();
        go(body.getAttribute("data-previous-url"));
      }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      var links = document.querySelectorAll(".plan-areas__link");
      var link = links[parseInt(key, 10) - 1];
      if (link) {
        event.preventDefault();
        go(link.getAttribute("href"));
      }
    }
  });

  // Announce the area now on screen, and put focus where the work is: the first field with an
  // error, or the main area (so Tab starts at the plan, and screen readers read it).
  if (live) announce(live.getAttribute("data-announce"));
  var error = document.querySelector('[aria-invalid="true"]');
  if (error) {
    error.focus();
  } else if (main && !window.location.hash) {
    main.focus({ preventScroll: true });
  } else if (main) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    } else {
      main.focus({ preventScroll: true });
    }
  }
})();
