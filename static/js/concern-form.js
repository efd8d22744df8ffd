/* The concern-report form (referrals/concern_views.py, /meldinger/ny/).

   - The notice "do NOT tell the guardians" shows only for a report about violence or sexual
     abuse, and then every guardian's "told" answer is set to "no" and "yes" cannot be chosen
     (the server forces "no" as well: this only says it at once).
   - The active-case field shows only for a new report in an active case.
   - After a refused send, focus moves to the error summary.
   Without JavaScript everything is shown, and the server does the same. No inline script (CSP). */
(function () {
  "use strict";

  function kind(form) {
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }

  function update(form) {
    var value = kind(form);
    var violence = value === "violence";
    var notice = form.querySelector("[data-violence-notice]");
    if (notice) notice.hidden = !violence;
    var active = form.querySelector("[data-active-case]");
    if (active) active.hidden = value !== "active_case";
    var radios = form.querySelectorAll('input[type="radio"][name^="guardians-"][name$="-informed"]');
    Array.prototype.forEach.call(radios, function (radio) {
      if (radio.value === "yes") {
        radio.disabled = violence;
        if (violence) radio.checked = false;
      } else if (radio.value === "no" && violence) {
        radio.checked = true;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-concern-form]");
    if (!form) return;
    update(form);
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name === "kind") update(form);
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  });
})();
