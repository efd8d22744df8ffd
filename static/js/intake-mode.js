/* Intake mode (referrals.intake_views.intake_mode): the whole meeting from the keyboard.

   → or J: next candidate; ← or K: previous; 1–5: choose the decision; F: focus the follower;
   Enter: confirm (the form's own submit); Esc: leave intake mode. Keys typed into a text field
   or a list are left alone (except Esc, which first leaves the field). Every control is also a
   plain link, radio button or button reachable by Tab; without JavaScript the page still works.
   Changes are announced in the aria-live region #intake-live. No framework; loaded with defer. */
(function () {
  "use strict";

  var body = document.body;
  var live = document.getElementById("intake-live");
  var form = document.getElementById("decision-form");

  var shared = window.LagetScreen;  // static/js/shared-screen.js
  var go = shared.go;
  var typing = shared.typing;

  function announce(text) {
    shared.announce(live, text);
  }

  function chooseOutcome(number) {
    if (!form) return false;
    var radio = form.querySelector('input[data-intake-key="' + number + '"]');
    if (!radio) return false;
    radio.checked = true;
    radio.focus();
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    var label = form.querySelector('label[for="' + radio.id + '"]');
    announce((label ? label.textContent.replace(/^\s*\d+\s*/, "") : radio.value).trim());
    return true;
  }

  function focusFollower() {
    var select = form ? form.querySelector('select[name="follower"]') : null;
    if (!select) return false;
    select.focus();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "Escape") {
      if (typing(event.target)) {
        event.target.blur();
        var main = document.getElementById("intake-main");
        if (main) main.focus();
      } else {
        go(body.getAttribute("data-exit-url"));
      }
      event.preventDefault();
      return;
    }
    if (typing(event.target)) return;
    if (key === "ArrowRight" || key === "j" || key === "J") {
      if (body.getAttribute("data-next-url")) {
        event.preventDefault();
        go(body.getAttribute("data-next-url"));
      }
      return;
    }
    if (key === "ArrowLeft" || key === "k" || key === "K") {
      if (body.getAttribute("data-previous-url")) {
        event.preventDefault();
        go(body.getAttribute("data-previous-url"));
      }
      return;
    }
    if (/^[1-5]$/.test(key)) {
      if (chooseOutcome(key)) event.preventDefault();
      return;
    }
    if (key === "f" || key === "F") {
      if (focusFollower()) event.preventDefault();
      return;
    }
    if (key === "Enter" && form && event.target && event.target.tagName &&
        event.target.tagName.toLowerCase() !== "button" && event.target.tagName.toLowerCase() !== "a" &&
        event.target.tagName.toLowerCase() !== "summary") {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.submit();
    }
  });

  // The follower list: Enter in it confirms the decision (a select swallows Enter otherwise).
  if (form) {
    var select = form.querySelector('select[name="follower"]');
    if (select) {
      select.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          if (typeof form.requestSubmit === "function") form.requestSubmit();
          else form.submit();
        }
      });
    }
  }

  // Announce the candidate now on screen, and put focus where the work is: the first error,
  // or the main area (so Tab starts at the candidate, and screen readers read it).
  if (live) announce(live.getAttribute("data-announce"));
  var error = document.querySelector('[aria-invalid="true"], .pkt-input-check__input-checkbox--error');
  if (error) {
    error.focus();
  } else {
    var main = document.getElementById("intake-main");
    if (main) main.focus({ preventScroll: true });
  }
})();
