"""Every lampiran as it prints: read back with openpyxl (fonts, widths and heights enough for the text at its
size, computed with the Arial metrics; figures as numbers; print area, repeated rows, paper and a scale at
which figures print at 8 pt or more), then rendered by LibreOffice and read with poppler (no "###", every
header word whole, the paper chosen, one page wide)."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pkk.fontmetrics import longest_word_width, text_width, wrap
from reporting.excel import (
    COLNUM_PT,
    DATA_PT,
    HEADER_PT,
    MIN_PRINTED_PT,
    PAPER,
    line_height,
    report_xlsx,
    write_sheet,
)
from reporting.layouts import LAYOUTS
from reporting.selectors import format_angka, report_for_unit

from .paper import (
    EMPTY_BULAN,
    TAHUN,
    UNIT_OF,
    col_points,
    need_libreoffice,
    pdf_pages,
    pdf_text,
    pdf_words,
    periode_of,
    printed_scale,
    to_pdf,
)

pytestmark = pytest.mark.django_db
LAMPIRAN = sorted(UNIT_OF)


def written(tree, lampiran, tmp_path, periode=None):
    report = report_for_unit(LAYOUTS[lampiran], getattr(tree, UNIT_OF[lampiran]), periode or periode_of(lampiran))
    path = tmp_path / report.filename
    path.write_bytes(report_xlsx(report))
    from openpyxl import Workbook

    parts = write_sheet(Workbook().active, report)  # where the parts of the sheet start
    return report, load_workbook(path).active, parts, path


def span_points(ws, first_col, colspan):
    return sum(col_points(ws, get_column_letter(c)) for c in range(first_col, first_col + colspan))


def span_height(ws, first_row, rowspan):
    return sum(ws.row_dimensions[r].height for r in range(first_row, first_row + rowspan))


@pytest.mark.parametrize("lampiran", LAMPIRAN)
def test_sheet_is_readable_when_printed(big, lampiran, tmp_path):
    report, ws, parts, _path = written(big, lampiran, tmp_path)
    layout = report.layout
    width = layout.width

    # Every written cell names its font, and it is Arial.
    fonts = {
        ws.cell(r, c).font.name
        for r in range(1, parts.last_row + 1)
        for c in range(1, width + 1)
        if ws.cell(r, c).value is not None
    }
    assert fonts == {"Arial"}

    # Header cells: wide enough for their longest word and tall enough for their wrapped lines.
    for label, cell in report.header_rows and [x for row in report.header_rows for x in row]:
        r, c = parts.header_first + cell.row, cell.col + 1
        across = span_points(ws, c, cell.colspan)
        tall = span_height(ws, r, cell.rowspan)
        assert ws.cell(r, c).value == label
        assert ws.cell(r, c).font.size == HEADER_PT
        if ws.cell(r, c).alignment.text_rotation == 90:  # upright: the roles of width and height swap
            assert longest_word_width(label, HEADER_PT, bold=True) <= tall
            lines = len(wrap(label, tall - 4, HEADER_PT, bold=True))
            assert lines * line_height(HEADER_PT) <= across + 1, label
        else:
            assert longest_word_width(label, HEADER_PT, bold=True) <= across, label
            lines = len(wrap(label, across, HEADER_PT, bold=True))
            assert lines * line_height(HEADER_PT) <= tall, label
    for c in range(1, width + 1):
        assert text_width(str(c), COLNUM_PT) <= col_points(ws, get_column_letter(c))

    # Figures are numbers, and every figure (6-digit JUMLAH included) fits its column: no "###".
    rows = range(parts.data_first, parts.jumlah_row + 1)
    for c, leaf in enumerate(layout.leaves, start=1):
        if not leaf.is_numeric:
            continue
        for r in rows:
            value = ws.cell(r, c).value
            if value is None:
                continue
            assert isinstance(value, int)
            shown = format_angka(value) if r == parts.jumlah_row or leaf.kind == "num" else "\u2713"
            assert text_width(shown, DATA_PT, bold=r == parts.jumlah_row) <= col_points(ws, get_column_letter(c))
            assert ws.cell(r, c).font.size == DATA_PT
    if lampiran in ("4.17c", "4.19c"):
        jumlah = [
            ws.cell(parts.jumlah_row, c).value
            for c, leaf in enumerate(layout.leaves, start=1)
            if leaf.kind == "num" and not leaf.measures[0].startswith("jml_")
        ]
        assert jumlah and all(99_999 < v < 1_000_000 for v in jumlah)  # real kabupaten magnitudes

    # Print set-up: area, repeated header rows, landscape on the layout's paper, one page wide, figures >= 8 pt.
    assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(width)}${parts.last_row}"
    assert ws.print_title_rows == f"${parts.header_first}:${parts.numbers_row}"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == PAPER[layout.paper][0]
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    paper, scale = printed_scale(ws, width)
    assert paper == layout.paper
    assert DATA_PT * scale >= MIN_PRINTED_PT, f"figures print at {DATA_PT * scale:.1f} pt on {paper}"
    assert ws.oddFooter.center.text == "Halaman &P dari &N"

    # The signature block: place and Indonesian date, full titles.
    texts = [ws.cell(r, c).value for r in range(parts.jumlah_row + 1, parts.last_row + 1) for c in range(1, width + 1)]
    assert re.fullmatch(
        r"(Purworejo|Bener|Kaliboto), \d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|"
        r"September|Oktober|November|Desember) \d{4}",
        report.ttd.place_date,
    )
    assert report.ttd.place_date in texts
    assert report.ttd.left.title in texts and report.ttd.right.title in texts


def test_kabupaten_signature_titles_and_names(big, tmp_path):
    from pkk.models import PengurusTpPkk

    PengurusTpPkk.objects.create(unit=big.kab, ketua="Hj. Fatimah Agus Bastian", sekretaris="Sri Wahyuni, S.Pd.")
    report, ws, parts, _ = written(big, "4.17c", tmp_path)
    assert report.ttd.left.title == "Ketua TP PKK Kabupaten Purworejo"
    assert report.ttd.right.title == "Sekretaris TP PKK Kabupaten Purworejo"
    assert report.ttd.place_date.startswith("Purworejo, ")
    texts = {ws.cell(r, c).value for r in range(parts.jumlah_row, parts.last_row + 1) for c in range(1, 40)}
    assert {"Hj. Fatimah Agus Bastian", "Sri Wahyuni, S.Pd."} <= texts
    name_cell = next(
        ws.cell(r, c)
        for r in range(parts.jumlah_row, parts.last_row + 1)
        for c in range(1, 40)
        if ws.cell(r, c).value == "Hj. Fatimah Agus Bastian"
    )
    assert name_cell.font.bold and name_cell.font.name == "Arial"


def test_4_18a_words_ticks_catatan_and_nihil(big, tmp_path):
    report, ws, parts, _ = written(big, "4.18a", tmp_path)
    rows = {ws.cell(r, 2).value: r for r in range(parts.data_first, parts.jumlah_row)}
    sri = rows["Sri Rahayu Ningsih Puspitasari"]
    assert ws.cell(sri, 4).value == "Melahirkan" and ws.cell(rows["Dewi Kartika"], 4).value == "Hamil"
    assert ws.cell(sri, 12).value == "Bayi"
    assert ws.cell(sri, 7).value == 1 and ws.cell(sri, 7).number_format == '"\u2713";;'  # P ticked, stored as 1
    assert ws.cell(parts.jumlah_row, 7).number_format == "#,##0"
    sebab = ws.cell(sri, 16)
    assert sebab.value.startswith("Infeksi saluran") and sebab.alignment.wrap_text
    lines = len(wrap(sebab.value, col_points(ws, "P"), DATA_PT))
    assert lines >= 2 and ws.row_dimensions[sri].height >= lines * line_height(DATA_PT)
    catatan = [
        (ws.cell(r, 2).value, ws.cell(r, 3).value)
        for r in range(parts.jumlah_row + 1, parts.last_row + 1)
        if str(ws.cell(r, 2).value or "")[:1].isdigit()
    ]
    assert catatan == [
        ("1. Jumlah ibu hamil", ": 1 orang"),
        ("2. Jumlah ibu melahirkan", ": 1 orang"),
        ("3. Jumlah ibu nifas", ": 0 orang"),
        ("4. Jumlah ibu meninggal", ": 0 orang"),
        ("5. Jumlah bayi lahir", ": 1 orang"),
        ("6. Jumlah bayi meninggal", ": 1 orang"),
        ("7. Jumlah balita meninggal", ": 0 orang"),
    ]

    _report, ws, parts, _ = written(big, "4.18a", tmp_path, periode=EMPTY_BULAN)
    assert ws.cell(parts.data_first, 1).value == "NIHIL"
    assert f"A{parts.data_first}:Q{parts.data_first}" in {str(m) for m in ws.merged_cells.ranges}


def test_signature_stays_with_the_end_of_a_long_table(big, tmp_path):
    """Forty households: the table runs onto a second page and the signature block goes with its end."""
    from dasawisma.models import Keluarga, RumahTangga

    from .paper import _warga

    for i in range(40):
        rt = RumahTangga.objects.create(dasawisma=big.mawar, kode=f"L{i:02d}")
        kel = Keluarga.objects.create(rumah_tangga=rt, no_kk=f"33060101011{i:05d}")
        rt.kepala = _warga(
            rt, kel, f"Warga Panjang Namanya {i}", "L", __import__("datetime").date(1970, 1, 1), "kepala_keluarga"
        )
        rt.save()
    from reporting.excel import keep_with_table_end, page_of_rows

    _report, ws, parts, _ = written(big, "4.16a", tmp_path)
    heights = {r: ws.row_dimensions[r].height for r in range(1, parts.last_row + 1)}
    repeat = sum(heights[r] for r in range(parts.header_first, parts.numbers_row + 1))
    breaks = tuple(b.id + 1 for b in ws.row_breaks.brk)
    pages = page_of_rows(
        heights, repeat=repeat, last_row=parts.last_row, paper=parts.paper, scale=parts.scale, breaks=breaks
    )
    assert pages[parts.last_row] == pages[parts.jumlah_row] > 1
    assert pages[parts.jumlah_row - 1] == pages[parts.jumlah_row]  # never a page of only JUMLAH and signatures
    assert keep_with_table_end  # the same rule the writer used


@pytest.mark.libreoffice
def test_libreoffice_prints_every_lampiran_whole(big, tmp_path):
    need_libreoffice()
    sheets = {lampiran: written(big, lampiran, tmp_path) for lampiran in LAMPIRAN}
    pdfs = to_pdf([path for *_x, path in sheets.values()], tmp_path)
    for lampiran, (report, _ws, _parts, path) in sheets.items():
        pdf = pdfs[path]
        text = pdf_text(pdf)
        assert "###" not in text, f"{lampiran}: a figure does not fit its column"
        tokens = set(text.split())
        for label, _cell in [x for row in report.header_rows for x in row]:
            missing = [w for w in label.split() if w not in tokens]
            assert not missing, f"{lampiran}: header {label!r} is not printed whole (missing {missing})"
        pages, w, h = pdf_pages(pdf)
        _code, pw, ph = PAPER[report.layout.paper]
        assert (round(w), round(h)) == (round(ph), round(pw)), f"{lampiran}: {w} x {h} is not {report.layout.paper}"
        assert pages == 1, f"{lampiran}: {pages} pages (the sheet should fit one page)"
        assert "Halaman 1 dari 1" in text
        assert report.ttd.place_date in text
        # The 6-digit figures print at 8 pt or more: poppler boxes a word ascent + descent = 1.117 em tall.
        figures = [height for word, height, _w in pdf_words(pdf) if re.fullmatch(r"\d{1,3}([.,]\d{3})+", word)]
        if lampiran in ("4.16a", "4.18a"):  # a dasawisma's lists hold small figures only
            continue
        assert figures, lampiran
        assert min(figures) / 1.117 >= MIN_PRINTED_PT - 0.2, f"{lampiran}: figures at {min(figures) / 1.117:.1f} pt"


def test_report_page_prints_like_the_sheet(big):
    from django.urls import reverse

    from pkk.models import PengurusTpPkk

    from .conftest import login

    PengurusTpPkk.objects.create(unit=big.kab, ketua="Hj. Fatimah Agus Bastian")
    client = login(big.admin)
    html = client.get(
        reverse("reporting:rekap_tahunan", kwargs={"unit_id": big.kab.pk, "tahun": TAHUN})
    ).content.decode()
    assert 'data-paper="a3"' in html and "css/print.css" in html and "js/print.js" in html
    assert '<button type="button" class="btn btn-outline-secondary btn-sm" data-print>Cetak</button>' in html
    assert "onclick" not in html and "<style" not in html
    assert "Ketua TP PKK Kabupaten Purworejo" in html and "Hj. Fatimah Agus Bastian" in html
    assert "Sekretaris TP PKK Kabupaten Purworejo" in html and "Purworejo, " in html
    html = client.get(
        reverse("reporting:rekap_bulanan", kwargs={"unit_id": big.mawar.pk, "bulan": "2025-03"})
    ).content.decode()
    assert 'data-paper="f4"' in html and "CATATAN:" in html and "Jumlah bayi meninggal: 1 orang" in html
    html = client.get(
        reverse("reporting:rekap_bulanan", kwargs={"unit_id": big.mawar.pk, "bulan": "2024-03"})
    ).content.decode()
    assert 'class="nihil">NIHIL</td>' in html


@pytest.mark.parametrize("lampiran", ["4.17b", "4.19b"])
def test_kecamatan_sheets_carry_the_provinsi_line(big, lampiran, tmp_path):
    report, ws, parts, _ = written(big, lampiran, tmp_path)
    meta = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(4, parts.header_first)}
    assert meta["KECAMATAN"] == ": Bener" and meta["KABUPATEN"] == ": Purworejo" and meta["PROVINSI"] == ": Jawa Tengah"


def test_every_font_of_the_workbook_is_named(big, tmp_path):
    *_x, path = written(big, "4.17c", tmp_path)
    wb = load_workbook(path)
    assert {f.name for f in wb._fonts} == {"Arial"}  # the default (Normal style) font too


def test_paper_setting_overrides_the_layouts_paper(big, tmp_path, settings):
    from django.core.exceptions import ImproperlyConfigured

    from reporting.layouts import paper_for

    settings.PKK_PAPER = "4.19c=F4"
    assert paper_for(LAYOUTS["4.19c"]) == "F4" and paper_for(LAYOUTS["4.17c"]) == "A3"
    _report, ws, *_ = written(big, "4.19c", tmp_path)
    assert int(ws.page_setup.paperSize) == PAPER["F4"][0]
    settings.PKK_PAPER = "a3"
    assert {paper_for(lay) for lay in LAYOUTS.values()} == {"A3"}
    settings.PKK_PAPER = "4.17c=B5"
    with pytest.raises(ImproperlyConfigured, match="B5"):
        paper_for(LAYOUTS["4.17c"])
