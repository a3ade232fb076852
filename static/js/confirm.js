// Ask before an action that removes or freezes something (nonaktifkan, kunci, kembalikan ...).
// A <form data-confirm="..."> (or its submit <button data-confirm="...">) asks with window.confirm();
// "Batal" stops the submit. Without JavaScript the form's <noscript> checkbox (required) asks instead,
// see templates/pkk/_konfirmasi.html. No inline handlers: the page's CSP allows scripts from 'self' only.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var button = event.submitter;
      var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (!message) return;
      if (!window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
