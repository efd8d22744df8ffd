/* Contact logging (cases/views/contacts.py): nothing typed is ever lost.

   - Every change is written at once to this device (localStorage, "laget-draft-<key>"), and
     about two seconds later to the server (the draft endpoint), with a visible status.
   - A new contact starts empty. Unsaved drafts (on the server, or only on this device) are listed
     above the form with when, which youths and their first words; one is continued only when
     the person chooses it, never merged into the form by itself.
   - When the server cannot be reached or the session has timed out, the text stays on the device
     and the status says so; saving is retried, and after signing in again the draft is in the
     list; continuing it fills in what the device has that the server never got.
   - A saved contact clears its draft (the next page carries data-clear-draft="<key>"); a draft is
     discarded only on purpose, after a confirmation. Drafts older than the setting expire.
   Also: quick duration buttons, the evening/weekend hint, focus on the error summary.
   No framework; loaded with defer. Interface texts come from data-msg-* attributes (translated). */
(function () {
  "use strict";

  var PREFIX = "laget-draft-";
  // Older versions remembered "the last draft on this page" here, to fill a new form with it.
  // Such entries are only cleaned away now.
  var LATEST = PREFIX + "latest:";
  var SKIP = { csrfmiddlewaretoken: true, draft_key: true, action: true };
  var DEBOUNCE_MS = 2000;
  var RETRY_MS = 30000;
  var SUBMIT_WAIT_MS = 3000;

  function openStorage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "test", "1");
      s.removeItem(PREFIX + "test");
      return s;
    } catch (e) {
      return null; // private mode or storage switched off: the server copy still works
    }
  }
  var store = openStorage();

  function readLocal(key) {
    if (!store || !key) return null;
    try {
      var record = JSON.parse(store.getItem(PREFIX + key));
      return record && typeof record === "object" && record.values ? record : null;
    } catch (e) {
      return null;
    }
  }

  function writeLocal(key, record) {
    if (!store) return false;
    try {
      store.setItem(PREFIX + key, JSON.stringify(record));
      return true;
    } catch (e) {
      return false; // storage full: the server copy is the only one
    }
  }

  function storedKeys() {
    var keys = [];
    if (!store) return keys;
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(PREFIX) === 0) keys.push(name);
    }
    return keys;
  }

  function forget(key) {
    if (!store || !key) return;
    store.removeItem(PREFIX + key);
    storedKeys().forEach(function (name) {
      if (name.indexOf(LATEST) === 0 && store.getItem(name) === key) store.removeItem(name);
    });
  }

  function expire(ttlDays) {
    if (!store || !ttlDays) return;
    var cutoff = Date.now() - ttlDays * 24 * 60 * 60 * 1000;
    storedKeys().forEach(function (name) {
      if (name.indexOf(LATEST) === 0) return;
      var record = readLocal(name.slice(PREFIX.length));
      if (!record || !(record.savedAt >= cutoff)) forget(name.slice(PREFIX.length));
    });
  }

  function clockTime(ms) {
    var lang = document.documentElement.lang || "nb";
    return new Date(ms).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  }

  function dayAndTime(ms) {
    var lang = document.documentElement.lang || "nb";
    return new Date(ms).toLocaleDateString(lang, { day: "numeric", month: "long" }) + " " + clockTime(ms);
  }

  function fill(text, time) {
    return String(text || "").replace("{time}", time);
  }

  // --- the form's values --------------------------------------------------------------

  function collect(form) {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || el.disabled) return;
      if (["submit", "button", "reset", "file"].indexOf(el.type) !== -1) return;
      if (el.type === "checkbox") {
        if (!values[el.name]) values[el.name] = [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === "radio") {
        if (!(el.name in values)) values[el.name] = "";
        if (el.checked) values[el.name] = el.value;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || !(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (el.type === "radio") {
        el.checked = value === el.value;
      } else if (["submit", "button", "reset", "file"].indexOf(el.type) === -1) {
        el.value = value == null ? "" : String(value);
      }
    });
    form.dispatchEvent(new CustomEvent("laget:filled"));
  }

  function youthNames(form) {
    var names = [];
    form.querySelectorAll('input[name="youths"]:checked').forEach(function (box) {
      var label = form.querySelector('label[for="' + box.id + '"]');
      if (label) names.push(label.textContent.trim());
    });
    return names.join(", ");
  }

  // --- drafts -------------------------------------------------------------------------

  function DraftForm(form) {
    this.form = form;
    this.msg = form.dataset;
    this.user = form.dataset.user;
    this.page = window.location.pathname;
    this.keyInput = form.querySelector('input[name="draft_key"]');
    this.key = this.keyInput.value;
    this.status = document.getElementById("draft-status");
    this.timer = null;
    this.inFlight = null;
    this.dirty = false;
    this.stopped = false;
    this.resubmitting = false;
  }

  DraftForm.prototype.setStatus = function (state, text, withSignIn) {
    if (!this.status) return;
    this.status.dataset.draftStatus = state;
    this.status.textContent = text;
    if (withSignIn && this.msg.loginUrl) {
      var link = document.createElement("a");
      link.className = "pkt-link";
      link.href = this.msg.loginUrl;
      link.textContent = this.msg.msgSignIn;
      this.status.appendChild(document.createTextNode(" "));
      this.status.appendChild(link);
    }
  };

  DraftForm.prototype.refreshList = function () {
    var section = document.querySelector("[data-drafts]");
    if (!section) return;
    section.hidden = !section.querySelector("[data-draft-item]");
  };

  DraftForm.prototype.keepLocal = function () {
    var record = readLocal(this.key) || {};
    record.user = this.user;
    record.page = this.page;
    record.savedAt = Date.now();
    record.values = collect(this.form);
    record.label = youthNames(this.form);
    writeLocal(this.key, record);
  };

  DraftForm.prototype.changed = function () {
    if (this.stopped) return;
    this.dirty = true;
    this.keepLocal();
    if (this.status && this.status.dataset.draftStatus !== "saving") this.setStatus("saving", this.msg.msgSaving);
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(this.save.bind(this), DEBOUNCE_MS);
  };

  DraftForm.prototype.csrf = function () {
    var input = this.form.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  };

  DraftForm.prototype.save = function (keepalive) {
    var self = this;
    if (self.stopped || !self.dirty) return Promise.resolve();
    if (self.inFlight) {
      return self.inFlight.then(function () {
        return self.save(keepalive);
      });
    }
    var body = new FormData(self.form);
    body.set("key", self.key);
    var key = self.key;
    self.dirty = false;
    self.inFlight = window
      .fetch(self.msg.draftUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": self.csrf(), Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual", // a timed-out session answers with a redirect to the sign-in page
        keepalive: Boolean(keepalive),
      })
      .then(function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
          self.dirty = true;
          self.setStatus("signed-out", self.msg.msgSignedOut, true);
          return;
        }
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json().then(function (data) {
          var record = readLocal(key);
          if (record) {
            record.serverSavedAt = Date.now();
            writeLocal(key, record);
          }
          if (!self.dirty) self.setStatus("saved", data.status);
        });
      })
      .catch(function () {
        self.dirty = true;
        self.setStatus("offline", self.msg.msgOffline);
      })
      .then(function () {
        self.inFlight = null;
      });
    return self.inFlight;
  };

  DraftForm.prototype.restore = function () {
    // Only this form's own draft (a continued draft, or a form shown again after an error) is
    // filled in from the device, when the device has changes the server never got. A new form
    // stays empty: other drafts are only listed (listDeviceDrafts).
    var state = this.msg.draftState;
    if (state === "fresh" || state === "bound") return;
    var record = readLocal(this.key);
    if (!record || record.user !== this.user || record.serverSavedAt >= record.savedAt) return;
    apply(this.form, record.values);
    this.setStatus("restored", fill(this.msg.msgRestoredAt, clockTime(record.savedAt)));
    this.dirty = true;
    this.timer = window.setTimeout(this.save.bind(this), DEBOUNCE_MS);
  };

  DraftForm.prototype.describe = function (record) {
    // Who and what a draft on this device is about, as far as this page can name them: only the
    // youths in this form (those the person may log for now) are named or quoted.
    var form = this.form;
    var values = record.values || {};
    var names = [];
    var hidden = 0;
    var preview = "";
    var ids = (Array.isArray(values.youths) ? values.youths : []).slice();
    Object.keys(values).forEach(function (name) {
      var id = name.indexOf("text_") === 0 ? name.slice(5) : "";
      if (id && String(values[name]).trim() && ids.indexOf(id) === -1) ids.push(id);
    });
    ids.forEach(function (id) {
      var box = form.querySelector('input[name="youths"][value="' + CSS.escape(id) + '"]');
      var label = box ? form.querySelector('label[for="' + CSS.escape(box.id) + '"]') : null;
      if (!label) {
        hidden += 1;
        return;
      }
      names.push(label.textContent.trim());
      if (!preview && String(values["text_" + id] || "").trim()) preview = values["text_" + id];
    });
    preview = preview || values.place || values.task || "";
    preview = String(preview).split(/\s+/).join(" ").trim();
    if (preview.length > 60) preview = preview.slice(0, 59) + "…";
    var who = names.join(", ");
    if (hidden) who = (who ? who + ", " : "") + String(this.msg.msgHiddenYouths).replace("{count}", hidden);
    return { who: who || this.msg.msgNoYouth, preview: preview };
  };

  DraftForm.prototype.continueDeviceDraft = function (key, record) {
    // Put the device's copy on the server first, then open it like any other draft.
    var self = this;
    var body = new FormData();
    body.set("key", key);
    Object.keys(record.values || {}).forEach(function (name) {
      var value = record.values[name];
      if (Array.isArray(value)) value.forEach(function (v) { body.append(name, v); });
      else body.set(name, value == null ? "" : String(value));
    });
    window
      .fetch(self.msg.draftUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": self.csrf(), Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        window.location.assign(self.msg.continueUrl.replace("{key}", encodeURIComponent(key)));
      })
      .catch(function () {
        self.setStatus("offline", self.msg.msgContinueFailed);
      });
  };

  DraftForm.prototype.listDeviceDrafts = function () {
    // Drafts with changes that never reached the server are listed with the others. A draft the
    // server had in full and no longer lists was saved, discarded or expired elsewhere: forget it.
    var self = this;
    var list = document.querySelector("[data-draft-list]");
    if (!list || !store) return;
    storedKeys().forEach(function (name) {
      if (name.indexOf(LATEST) === 0) {
        store.removeItem(name);
        return;
      }
      var key = name.slice(PREFIX.length);
      var record = readLocal(key);
      if (!record || record.user !== self.user || key === self.key) return;
      if (document.querySelector('[data-draft-item="' + key + '"]')) return;
      if (record.serverSavedAt >= record.savedAt) {
        forget(key);
        return;
      }
      var described = self.describe(record);
      var item = document.createElement("li");
      item.className = "laget-contact__draft";
      item.dataset.draftItem = key;
      var text = document.createElement("span");
      text.className = "laget-contact__draft-text";
      var who = document.createElement("strong");
      who.textContent = described.who;
      var when = document.createElement("span");
      when.className = "laget-muted";
      when.textContent = fill(self.msg.msgChangedAt, dayAndTime(record.savedAt)) + " (" + self.msg.msgDeviceDrafts + ")";
      text.appendChild(who);
      text.appendChild(document.createElement("br"));
      text.appendChild(when);
      if (described.preview) {
        var preview = document.createElement("span");
        preview.className = "laget-contact__draft-preview";
        preview.textContent = "«" + described.preview + "»";
        text.appendChild(document.createElement("br"));
        text.appendChild(preview);
      }
      var actions = document.createElement("span");
      actions.className = "laget-contact__draft-actions";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pkt-btn pkt-btn--tertiary pkt-btn--small";
      button.textContent = self.msg.msgContinue;
      button.addEventListener("click", function () {
        self.continueDeviceDraft(key, record);
      });
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "pkt-btn pkt-btn--tertiary pkt-btn--small";
      discard.textContent = self.msg.msgDiscard;
      discard.addEventListener("click", function () {
        if (!window.confirm(self.msg.msgConfirmDiscard)) return;
        forget(key);
        item.remove();
        self.refreshList();
      });
      actions.appendChild(button);
      actions.appendChild(discard);
      item.appendChild(text);
      item.appendChild(actions);
      list.appendChild(item);
    });
    self.refreshList();
  };

  DraftForm.prototype.discard = function () {
    var self = this;
    if (!window.confirm(self.msg.msgConfirmDiscard)) return;
    self.stopped = true;
    window.clearTimeout(self.timer);
    window
      .fetch(self.msg.discardUrl.replace("{key}", self.key), {
        method: "POST",
        headers: { "X-CSRFToken": self.csrf(), Accept: "application/json" },
        credentials: "same-origin",
        redirect: "manual",
      })
      .then(function (response) {
        // 404: the draft never reached the server; there is nothing more to discard there.
        if (!(response.ok || response.status === 404)) throw new Error("HTTP " + response.status);
        forget(self.key);
        window.location.assign(self.msg.newUrl || self.page);
      })
      .catch(function () {
        self.stopped = false;
        self.setStatus("offline", self.msg.msgDiscardFailed);
      });
  };

  DraftForm.prototype.submitted = function (event) {
    var self = this;
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-draft-discard")) {
      event.preventDefault();
      self.discard();
      return;
    }
    if (self.resubmitting) return;
    self.keepLocal();
    if (navigator.onLine === false) {
      event.preventDefault();
      self.setStatus("offline", self.msg.msgOfflineSubmit);
      return;
    }
    self.stopped = true; // no draft save may land after the contact is saved
    window.clearTimeout(self.timer);
    if (self.inFlight) {
      event.preventDefault();
      var go = function () {
        self.resubmitting = true;
        if (self.form.requestSubmit) self.form.requestSubmit(submitter || undefined);
        else self.form.submit();
      };
      Promise.race([
        self.inFlight,
        new Promise(function (resolve) {
          window.setTimeout(resolve, SUBMIT_WAIT_MS);
        }),
      ]).then(go, go);
    }
  };

  DraftForm.prototype.start = function () {
    var self = this;
    var onChange = self.changed.bind(self);
    self.form.addEventListener("input", onChange);
    self.form.addEventListener("change", onChange);
    self.form.addEventListener("submit", self.submitted.bind(self));
    self.restore();
    self.listDeviceDrafts();
    window.setInterval(function () {
      if (self.dirty && !self.inFlight && !self.stopped) self.save();
    }, RETRY_MS);
    window.addEventListener("online", function () {
      if (self.dirty && !self.stopped) self.save();
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && self.dirty && !self.stopped) self.save(true);
    });
    window.addEventListener("pageshow", function (event) {
      // Back from a failed submit: the page comes from the cache and must save again.
      if (event.persisted) {
        self.stopped = false;
        self.resubmitting = false;
      }
    });
  };

  // --- small enhancements of every contact form ----------------------------------------

  function eveningOrWeekend(dateValue, timeValue) {
    var day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateValue || "");
    var time = /^(\d{2}):(\d{2})/.exec(timeValue || "");
    if (!day || !time) return false;
    var weekday = new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])).getUTCDay(); // 0 Sunday, 6 Saturday
    var hour = +time[1];
    return weekday === 0 || weekday === 6 || hour >= 17 || hour < 8;
  }

  function enhance(form) {
    var date = form.querySelector('input[name="occurred_date"]');
    var time = form.querySelector('input[name="occurred_time"]');
    var hint = form.querySelector("[data-evening-hint] > *");
    function updateHint() {
      if (date && time && hint) hint.hidden = !eveningOrWeekend(date.value, time.value);
    }
    var quick = form.querySelector("[data-duration-quick]");
    var duration = form.querySelector('input[name="duration_minutes"]');
    function updatePressed() {
      if (!quick || !duration) return;
      quick.querySelectorAll("button[data-minutes]").forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.dataset.minutes === duration.value));
      });
    }
    if (quick && duration) {
      quick.hidden = false;
      quick.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-minutes]");
        if (!button) return;
        duration.value = button.dataset.minutes;
        duration.dispatchEvent(new Event("input", { bubbles: true }));
      });
    }
    form.addEventListener("input", function () {
      updateHint();
      updatePressed();
    });
    form.addEventListener("change", updateHint);
    form.addEventListener("laget:filled", function () {
      updateHint();
      updatePressed();
    });
    updateHint();
    updatePressed();
  }

  function init() {
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      forget(el.dataset.clearDraft);
    });
    var draftForm = document.querySelector("[data-draft-form]");
    expire(draftForm ? Number(draftForm.dataset.ttlDays) : 7);
    document.querySelectorAll(".laget-contact-form").forEach(enhance);
    if (draftForm && draftForm.querySelector('input[name="draft_key"]')) new DraftForm(draftForm).start();
    document.querySelectorAll("[data-draft-discard-form]").forEach(function (discardForm) {
      discardForm.addEventListener("submit", function (event) {
        if (!window.confirm(draftForm ? draftForm.dataset.msgConfirmDiscard : "")) {
          event.preventDefault();
          return;
        }
        var item = discardForm.closest("[data-draft-item]");
        if (item) forget(item.dataset.draftItem);
      });
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
