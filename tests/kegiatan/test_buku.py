"""Buku Kegiatan (lampiran 4.13): the page, the Excel sheet read back, and the sheet rendered to PDF by
LibreOffice (marker ``libreoffice``)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kegiatan.buku import KOLOM, buku_kegiatan, tanggal_indonesia
from kegiatan.excel import buku_workbook, buku_xlsx, lines_needed
from pkk.fontmetrics import column_points, excel_width_to_points, longest_word_width

from .conftest import make_kegiatan

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 3)
LONG = (
    "Penyuluhan tentang pencegahan stunting bagi ibu hamil dan ibu menyusui, dilanjutkan dengan demonstrasi "
    "memasak makanan pendamping ASI dari bahan pangan lokal, pembagian makanan tambahan, dan pendataan "
    "balita yang belum ditimbang bulan ini oleh kader posyandu di setiap RW."
)


@pytest.fixture
def buku(tree):
    tree.desa.first_name, tree.desa.last_name = "Sri", "Wahyuni"
    tree.desa.save()
    make_kegiatan(
        tree.kaliboto,
        actor=tree.desa,
        tanggal=dt.date(2026, 3, 14),
        judul="Posyandu balita",
        uraian=LONG,
        jabatan="Ketua Pokja IV",
        jumlah_peserta=123456,
    )
    make_kegiatan(
        tree.kaliboto,
        actor=tree.desa,
        tanggal=dt.date(2026, 1, 9),
        pokja="I",
        program_pokok=2,
        judul='=HYPERLINK("http://contoh.invalid","klik")',
        tempat="Balai Desa Kaliboto RT 01 RW 01",
    )
    make_kegiatan(tree.kedungpucang, actor=tree.desa_kp, tanggal=dt.date(2026, 2, 1), judul="Bukan Kaliboto")
    make_kegiatan(tree.kaliboto, actor=tree.desa, tanggal=dt.date(2025, 12, 31), judul="Tahun lalu")
    return buku_kegiatan(tree.kaliboto, 2026, today=TODAY)


def test_rows_are_the_units_own_kegiatan_of_the_year_by_date(buku):
    assert [(r.no, r.tanggal) for r in buku.rows] == [(1, dt.date(2026, 1, 9)), (2, dt.date(2026, 3, 14))]
    row = buku.rows[1]
    assert (row.nama, row.jabatan, row.tempat) == ("Sri Wahyuni", "Ketua Pokja IV", "Balai Desa")
    assert row.uraian == f"Posyandu balita\n{LONG}\n(Pokja IV, 7. Kesehatan; 123456 peserta)"
    assert buku.title == ("BUKU KEGIATAN", "TP PKK DESA KALIBOTO")
    assert buku.meta == (
        ("DESA/KELURAHAN", "Kaliboto"),
        ("KECAMATAN", "Bener"),
        ("KABUPATEN/KOTA", "Purworejo"),
        ("PROVINSI", "Jawa Tengah"),
        ("TAHUN", "2026"),
    )
    assert buku.tempat_tanggal == "Kaliboto, 3 Desember 2026"
    assert buku.signature_left == ("Mengetahui,", "Ketua TP PKK Desa Kaliboto")
    assert buku.signature_right == ("Sekretaris TP PKK Desa Kaliboto",)
    assert buku.file_name == "buku-kegiatan-desa-kaliboto-2026.xlsx"


def test_office_holders_names_under_the_signatures(tree, buku):
    from pkk.services import pengurus_set

    assert buku.nama_baris == ("(.......................................)",) * 2
    pengurus_set(unit=tree.kaliboto, ketua="Hj. Siti Rahayu", sekretaris="Ani Susanti")
    pengurus_set(unit=tree.bener, ketua="Ketua Kecamatan", sekretaris="Sekretaris Kecamatan")
    named = buku_kegiatan(tree.kaliboto, 2026, today=TODAY)
    assert named.nama_baris == ("Hj. Siti Rahayu", "Ani Susanti")
    wb = load_workbook(io.BytesIO(buku_xlsx(named)))
    cells = {c.value: c for row in wb.active.iter_rows() for c in row if c.value}
    assert cells["Hj. Siti Rahayu"].font.b and cells["Hj. Siti Rahayu"].font.u == "single"
    assert cells["Ani Susanti"].font.name == "Arial" and "Ketua Kecamatan" not in cells
    c = Client()
    c.force_login(tree.desa)
    html = c.get(reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2026})).content.decode()
    assert "Hj. Siti Rahayu" in html and "Ani Susanti" in html


def test_kecamatan_and_kabupaten_titles(tree):
    assert buku_kegiatan(tree.bener, 2026, today=TODAY).title[1] == "TP PKK KECAMATAN BENER"
    kab = buku_kegiatan(tree.kab, 2026, today=TODAY)
    assert kab.title[1] == "TP PKK KABUPATEN PURWOREJO" and kab.tempat_tanggal == "Purworejo, 3 Desember 2026"
    assert kab.rows == ()


def test_indonesian_dates():
    assert tanggal_indonesia(dt.date(2026, 1, 1)) == "1 Januari 2026"
    assert tanggal_indonesia(dt.date(2026, 8, 17)) == "17 Agustus 2026"


def test_page_shows_every_column_and_row(tree, buku):
    c = Client()
    c.force_login(tree.pembina)
    html = c.get(reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2026})).content.decode()
    for label in (
        "LAMPIRAN 4.13",
        "BUKU KEGIATAN",
        "TP PKK DESA KALIBOTO",
        "NO",
        "NAMA",
        "JABATAN",
        "KEGIATAN",
        "TANGGAL",
        "TEMPAT",
        "URAIAN",
        "TANDA TANGAN",
        "Sri Wahyuni",
        "Ketua Pokja IV",
        "14-03-2026",
        "Mengetahui,",
        "Sekretaris TP PKK Desa Kaliboto",
        "css/kegiatan.css",
        "js/kegiatan.js",
    ):
        assert label in html, label
    assert "Bukan Kaliboto" not in html and "Tahun lalu" not in html
    assert "<script>" not in html.replace("<script src", "") and "onclick" not in html and 'style="' not in html


def _sheet(buku):
    wb = load_workbook(io.BytesIO(buku_xlsx(buku)))
    return wb, wb.active


def test_excel_fonts_print_setup_and_values(buku):
    wb, ws = _sheet(buku)
    assert ws.title == "4.13 Desa Kaliboto 2026"
    assert [f.name for f in wb._fonts] and all(f.name == "Arial" for f in wb._fonts)
    for row in ws.iter_rows():
        for cell in row:
            assert cell.font.name == "Arial", cell.coordinate
    assert wb._named_styles["Normal"].font.name == "Arial"
    ps = ws.page_setup
    assert (ps.orientation, int(ps.paperSize), int(ps.fitToWidth), int(ps.fitToHeight)) == ("landscape", 9, 1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddFooter.center.text == "Halaman &P dari &N"
    # Header rows (the two label rows and the numbers row) repeat on every printed page.
    values = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    header_row = next(r for (r, col), v in values.items() if v == "NO" and col == 1)
    assert ws.print_title_rows == f"${header_row}:${header_row + 2}"
    assert [values.get((header_row, c)) for c in range(1, 8)] == [
        "NO",
        "NAMA",
        "JABATAN",
        "KEGIATAN",
        None,
        None,
        "TANDA TANGAN",
    ]
    assert [values.get((header_row + 1, c)) for c in (4, 5, 6)] == ["TANGGAL", "TEMPAT", "URAIAN"]
    assert [values[(header_row + 2, c)] for c in range(1, 8)] == [1, 2, 3, 4, 5, 6, 7]
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {
        f"A{header_row}:A{header_row + 1}",
        f"D{header_row}:F{header_row}",
        f"G{header_row}:G{header_row + 1}",
    } <= merged
    first = header_row + 3
    assert values[(first, 1)] == 1 and ws.cell(first, 4).value.date() == dt.date(2026, 1, 9)
    assert ws.cell(first, 4).number_format == "DD-MM-YYYY"
    # User text that looks like a formula stays text.
    assert ws.cell(first, 6).data_type == "s" and ws.cell(first, 6).value.startswith("=HYPERLINK")
    assert ws.print_area == f"'{ws.title}'!$A$1:$G${ws.max_row}"
    assert values[(1, 7)] == "LAMPIRAN 4.13"
    texts = set(values.values())
    assert {
        "Kaliboto, 3 Desember 2026",
        "Mengetahui,",
        "Ketua TP PKK Desa Kaliboto",
        "Sekretaris TP PKK Desa Kaliboto",
    } <= texts


def test_excel_rows_are_tall_enough_for_their_wrapped_text(buku):
    wb, ws = _sheet(buku)
    header_row = next(c.row for c in ws["A"] if c.value == "NO")
    row = header_row + 4  # the long one
    uraian = ws.cell(row, 6).value
    need = lines_needed(uraian, KOLOM[5].width)
    assert need >= 6  # the long text really wraps
    assert ws.row_dimensions[row].height >= need * 12.75
    for c in range(1, 8):
        assert ws.cell(row, c).alignment.wrap_text or c in (1, 4, 7)
    # Every data row is tall enough for the wrapped text of each of its cells (Arial metrics).
    for r in range(header_row + 3, header_row + 3 + len(buku.rows)):
        for c, col in enumerate(KOLOM, start=1):
            if col.kind == "text":
                assert ws.row_dimensions[r].height >= lines_needed(ws.cell(r, c).value, col.width) * 12.75, (r, c)
    # Columns as the layout says; fitted to the A4 landscape page the 10 pt text prints at 8 pt or more.
    widths = [ws.column_dimensions[chr(64 + i)].width for i in range(1, 8)]
    assert widths == [k.width for k in KOLOM]
    printable = 841.9 - 72 * (ws.page_margins.left + ws.page_margins.right)
    scale = min(1.0, printable / sum(column_points(w) for w in widths))
    assert 10 * scale >= 8, scale
    # Header words never break: each label's longest word fits its column (bold 10 pt).
    for col in KOLOM:
        assert longest_word_width(col.label, 10, bold=True) <= excel_width_to_points(col.width), col.label


def test_lines_needed_by_hand():
    # Width 10 -> (10 * 7 - 5) px = 48.75 pt of text. Arial 10 advances (2048 units per em): a b d e g h 1139,
    # c 1024, f 569, i j 455, space 569, W 1933.
    assert lines_needed("abc", 10) == 1
    # "abcde" 5580 units = 27.25 pt, " " 2.78 pt, "fghij" 3757 units = 18.35 pt: 48.37 pt fits.
    assert lines_needed("abcde fghij", 10) == 1
    # "abcde abcde": 57.27 pt does not.
    assert lines_needed("abcde abcde", 10) == 2
    assert lines_needed("a\nb\nc", 10) == 3
    # Ten W: 94.38 pt, one word wider than the column: Excel breaks it over two lines.
    assert lines_needed("W" * 10, 10) == 2


def test_an_empty_year_prints_nihil(tree):
    wb = buku_workbook(buku_kegiatan(tree.kaliboto, 2020, today=TODAY))
    ws = wb.active
    assert "NIHIL" in [c.value for row in ws.iter_rows() for c in row]


def test_download(tree, buku):
    c = Client()
    c.force_login(tree.desa)
    resp = c.get(reverse("kegiatan:buku_xlsx", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2026}))
    assert resp.status_code == 200
    assert resp["Content-Disposition"] == 'attachment; filename="buku-kegiatan-desa-kaliboto-2026.xlsx"'
    assert load_workbook(io.BytesIO(resp.content)).active.title == "4.13 Desa Kaliboto 2026"


# ------------------------------------------------------------------------------------------ rendered


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        if os.environ.get("CI") == "1":
            pytest.fail("LibreOffice (soffice) is required in CI: install libreoffice-calc")
        pytest.skip("LibreOffice (soffice) is not installed here")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        if os.environ.get("CI") == "1":
            pytest.fail("pdftotext/pdfinfo are required in CI: install poppler-utils")
        pytest.skip("poppler-utils (pdftotext) is not installed here")
    return exe


def _render(tmp_path, data: bytes) -> tuple[str, str]:
    exe = _soffice()
    src = tmp_path / "buku.xlsx"
    src.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "buku.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return text, info


@pytest.mark.libreoffice
def test_rendered_by_libreoffice(tree, buku, tmp_path):
    # Enough rows for a second page: the header must repeat and the footer count pages.
    for i in range(14):
        make_kegiatan(
            tree.kaliboto,
            actor=tree.desa,
            tanggal=dt.date(2026, 4, 1 + i),
            judul=f"Rapat rutin {i + 1}",
            uraian=LONG,
            jumlah_peserta=999999,
        )
    data = buku_xlsx(buku_kegiatan(tree.kaliboto, 2026, today=TODAY))
    text, info = _render(tmp_path, data)
    assert "###" not in text
    pages = text.split("\f")
    pages = [p for p in pages if p.strip()]
    n = len(pages)
    assert n >= 2, "the test data should span pages"
    assert f"Pages:           {n}" in info
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert abs(w - 841.89) < 2 and abs(h - 595.28) < 2, size  # A4 landscape
    for i, page in enumerate(pages, start=1):
        for label in ("NO", "NAMA", "JABATAN", "KEGIATAN", "TANGGAL", "TEMPAT", "URAIAN", "TANDA TANGAN"):
            assert label in page, (i, label)
        assert f"Halaman {i} dari {n}" in page
    assert "BUKU KEGIATAN" in pages[0] and "TP PKK DESA KALIBOTO" in pages[0]
    assert "999999 peserta" in text
    assert "Kaliboto, 3 Desember 2026" in pages[-1] and "Sekretaris TP PKK Desa Kaliboto" in pages[-1]
    # Wrapped text is whole: every word of the long description is printed.
    flat = " ".join(text.split())
    for word in ("stunting", "pendamping", "ditimbang", "posyandu"):
        assert word in flat
