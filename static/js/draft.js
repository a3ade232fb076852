// Drafts for data-entry forms: <form data-draft="KEY"> keeps unsaved input in localStorage, offers it
// back after a reload, and submits with fetch so that a dropped connection keeps the input for a retry.
// The server answers a successful save of such a submit with 204 + X-Draft-Location (then the draft is
// cleared and the browser goes there); any other answer means nothing was saved, so the form is sent
// again the ordinary way to show the server's messages, and the draft stays.
//
// Personal data (UU 27/2022): drafts are stored under the signed-in user's key (<body data-draft-user>,
// a hash, not the user name), never hold NIK or No. KK (fields marked data-no-draft, and those names),
// expire after <body data-draft-days> days, and are removed at logout (static/js/pkk.js and the
// Clear-Site-Data header). Without a user key nothing is stored.
(function () {
  "use strict";
  var PREFIX = "sipkk:draft:";
  var NEVER_KEPT = ["nik", "no_kk", "no_kk_baru"];
  var body = document.body;
  var USER = (body && body.getAttribute("data-draft-user")) || "";
  var DAYS = parseFloat((body && body.getAttribute("data-draft-days")) || "7");
  var MAX_AGE_MS = (isNaN(DAYS) ? 7 : DAYS) * 24 * 3600 * 1000;
  var NETWORK_MESSAGE = "Gagal mengirim: periksa sambungan internet, lalu coba lagi. Isian Anda tetap tersimpan di perangkat ini.";

  function storageOk() {
    try {
      var k = PREFIX + "__test";
      window.localStorage.setItem(k, "1");
      window.localStorage.removeItem(k);
      return true;
    } catch (e) {
      return false;
    }
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" && el.type !== "button" && el.type !== "file" &&
        !el.hasAttribute("data-no-draft") && NEVER_KEPT.indexOf(el.name) === -1;
    });
  }

  function expired(draft) {
    var when = draft && draft.savedAt ? Date.parse(draft.savedAt) : NaN;
    return isNaN(when) || Date.now() - when > MAX_AGE_MS;
  }

  // Drop every expired draft of any user, and drafts written before they were keyed by user.
  function sweep() {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        if (!k || k.indexOf(PREFIX) !== 0) continue;
        var rest = k.slice(PREFIX.length);
        var keyed = rest.indexOf("u:") === 0;
        var draft = null;
        try { draft = JSON.parse(window.localStorage.getItem(k)); } catch (e) { draft = null; }
        if (!keyed || expired(draft)) window.localStorage.removeItem(k);
      }
    } catch (e) { /* storage unavailable */ }
  }

  function serialise(form) {
    var values = {};
    fieldsOf(form).forEach(function (el) {
      if (el.type === "checkbox") {
        if (el.value && el.value !== "on" && !/^(true|false)$/.test(el.value)) {
          values[el.name] = values[el.name] || [];
          if (el.checked) values[el.name].push(el.value);
        } else {
          values[el.name] = el.checked;
        }
      } else if (el.type === "radio") {
        if (el.checked) values[el.name] = el.value;
        else if (!(el.name in values)) values[el.name] = null;
      } else if (el.tagName === "SELECT" && el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    fieldsOf(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var v = values[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(v) ? v.indexOf(el.value) !== -1 : !!v;
      } else if (el.type === "radio") {
        el.checked = v !== null && el.value === v;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = v.indexOf(o.value) !== -1; });
      } else {
        el.value = v === null ? "" : v;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function noticeBox(form, id) {
    var box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.id = id;
      box.className = "alert d-none";
      form.parentNode.insertBefore(box, form);
    }
    return box;
  }

  function showNetworkError(form) {
    var box = noticeBox(form, "draft-network");
    box.className = "alert alert-danger";
    box.setAttribute("role", "alert");
    box.textContent = NETWORK_MESSAGE;
    box.scrollIntoView({ block: "center" });
  }

  function hideNetworkError(form) {
    var box = document.getElementById("draft-network");
    if (box) box.className = "alert alert-danger d-none";
  }

  function init(form) {
    var key = PREFIX + "u:" + USER + ":" + form.getAttribute("data-draft");
    var canStore = storageOk() && USER !== "";
    var pristine = serialise(form);
    var bound = form.getAttribute("data-draft-bound") === "1";

    function save() {
      if (!canStore) return;
      var values = serialise(form);
      if (same(values, pristine)) return;
      window.localStorage.setItem(key, JSON.stringify({ savedAt: new Date().toISOString(), values: values }));
    }

    function clear() {
      if (canStore) window.localStorage.removeItem(key);
    }

    // Offer an earlier draft (not on a page the server re-rendered with the user's input and errors).
    if (canStore && !bound) {
      var raw = window.localStorage.getItem(key);
      var draft = null;
      try { draft = raw ? JSON.parse(raw) : null; } catch (e) { draft = null; }
      if (draft && expired(draft)) { clear(); draft = null; }
      if (draft && draft.values && !same(draft.values, pristine)) {
        var box = noticeBox(form, "draft-notice");
        var when = new Date(draft.savedAt);
        box.className = "alert alert-warning";
        box.setAttribute("role", "status");
        box.innerHTML = "";
        var text = document.createElement("p");
        text.className = "mb-2";
        text.textContent = "Ada isian yang belum tersimpan (" + when.toLocaleString("id-ID") + "). Pulihkan isian itu?";
        var restoreBtn = document.createElement("button");
        restoreBtn.type = "button";
        restoreBtn.id = "btn-draft-pulihkan";
        restoreBtn.className = "btn btn-warning me-2";
        restoreBtn.textContent = "Pulihkan";
        var dropBtn = document.createElement("button");
        dropBtn.type = "button";
        dropBtn.id = "btn-draft-buang";
        dropBtn.className = "btn btn-outline-secondary";
        dropBtn.textContent = "Buang";
        restoreBtn.addEventListener("click", function () {
          restore(form, draft.values);
          box.className = "alert alert-warning d-none";
        });
        dropBtn.addEventListener("click", function () {
          clear();
          box.className = "alert alert-warning d-none";
        });
        box.appendChild(text);
        box.appendChild(restoreBtn);
        box.appendChild(dropBtn);
      }
    } else if (bound) {
      save();
    }

    form.addEventListener("input", save);
    form.addEventListener("change", save);

    var sending = false;
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-draft-native") === "1") return; // the second, ordinary submit
      event.preventDefault();
      if (sending) return;
      save();
      if (navigator.onLine === false) {
        showNetworkError(form);
        return;
      }
      var submitter = event.submitter;
      var body;
      try { body = new FormData(form, submitter); } catch (e) { body = new FormData(form); }
      sending = true;
      if (submitter) submitter.disabled = true;
      fetch(form.action || window.location.href, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Draft-Submit": "1" },
      }).then(function (response) {
        var location = response.headers.get("X-Draft-Location");
        if (response.status === 204 && location) {
          clear();
          window.location.assign(location);
          return;
        }
        // Not saved (errors to show, a conflict, a refusal): let the server render its answer.
        form.setAttribute("data-draft-native", "1");
        HTMLFormElement.prototype.submit.call(form);
      }).catch(function () {
        sending = false;
        if (submitter) submitter.disabled = false;
        showNetworkError(form);
      });
    });

    window.addEventListener("online", function () { hideNetworkError(form); });
    window.addEventListener("offline", function () {
      var box = noticeBox(form, "draft-network");
      box.className = "alert alert-warning";
      box.textContent = "Sambungan internet terputus. Isian tetap tersimpan di perangkat ini; kirim setelah tersambung lagi.";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (storageOk()) sweep();
    Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), init);
  });
})();
