/* The calendar page (teams/calendar_views.py): a button that copies the new secret calendar
   address. Without JavaScript (or without clipboard access) the button stays hidden and the
   address is selected and copied by hand. Texts come from data-msg-* attributes (translated). */
(function () {
  "use strict";

  function init() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector("[data-copy-status]");
      if (!input || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(input.value).then(
          function () {
            if (status) status.textContent = button.getAttribute("data-msg-copied");
          },
          function () {
            input.focus();
            input.select();
            if (status) status.textContent = button.getAttribute("data-msg-failed");
          }
        );
      });
    });
    var address = document.getElementById("feed-address");
    if (address) {
      address.addEventListener("focus", function () {
        address.select();
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
