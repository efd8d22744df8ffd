/* What the shared-screen modes (intake mode, plan mode) have in common: announcing a change in
   an aria-live region, following a link, and telling whether a key was typed into a field (so
   the mode's own keys leave it alone). Loaded with defer before the mode's own script. */
(function () {
  "use strict";

  window.LagetScreen = {
    announce: function (live, text) {
      if (!live || !text) return;
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 50);
    },

    go: function (url) {
      if (url) window.location.assign(url);
    },

    typing: function (target) {
      if (!target || !target.tagName) return false;
      var tag = target.tagName.toLowerCase();
      if (tag === "textarea" || tag === "select") return true;
      if (tag === "input") {
        var type = (target.getAttribute("type") || "text").toLowerCase();
        return type !== "radio" && type !== "checkbox" && type !== "submit" && type !== "button";
      }
      return target.isContentEditable === true;
    }
  };
})();
