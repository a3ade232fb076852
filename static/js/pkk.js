// Shared behaviour. Drafts and offline handling live in static/js/draft.js (data-entry forms).
// Content-Security-Policy: no inline handlers. A button with data-pkk-print prints the page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-pkk-print]") : null;
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
// Logout removes every form draft this site kept in the browser (a shared office or warnet PC).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute || !event.target.hasAttribute("data-pkk-logout")) return;
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf("sipkk:draft:") === 0) window.localStorage.removeItem(k);
      }
    } catch (e) { /* storage unavailable: nothing was kept */ }
  }, true);
})();
