// "Cetak" buttons: print the page (the print stylesheet, static/css/print.css, lays the sheet out on paper).
// Loaded with <script src>; no inline handlers (Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
