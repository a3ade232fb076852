// Buku Kegiatan: the "Cetak" button opens the browser's print dialog (the print stylesheet lays it out).
document.querySelectorAll("[data-cetak]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
