"""The Excel sheet: same numbers as the page, official layout (merged headers, numbering, JUMLAH,
signature), print set-up, and the command line writing the same file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from pkk.models import PersonalDataExportLog
from reporting.excel import TITLE_PT, line_height, report_workbook, write_sheet
from reporting.layouts import LAYOUTS
from reporting.selectors import report_for_unit

from .conftest import BULAN, TAHUN, angka, login, parse_table

pytestmark = pytest.mark.django_db

CASES = [
    ("kab", "4.17c", TAHUN),
    ("bener", "4.17b", TAHUN),
    ("kaliboto", "4.17a", TAHUN),
    ("kedungpucang", "4.17a", TAHUN),
    ("krajan", "4.16d", TAHUN),
    ("rw1", "4.16c", TAHUN),
    ("rt1", "4.16b", TAHUN),
    ("kab", "4.19c", BULAN),
    ("bener", "4.19b", BULAN),
    ("kaliboto", "4.19a", BULAN),
    ("krajan", "4.18d", BULAN),
    ("rw1", "4.18c", BULAN),
    ("rt1", "4.18b", BULAN),
]


def page_and_xlsx(client, unit, periode):
    if isinstance(periode, int):
        kwargs = {"unit_id": unit.pk, "tahun": periode}
        page, xlsx = "reporting:rekap_tahunan", "reporting:rekap_tahunan_xlsx"
    else:
        kwargs = {"unit_id": unit.pk, "bulan": f"{periode:%Y-%m}"}
        page, xlsx = "reporting:rekap_bulanan", "reporting:rekap_bulanan_xlsx"
    html = client.get(reverse(page, kwargs=kwargs))
    response = client.get(reverse(xlsx, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return html, load_workbook(io.BytesIO(response.content))


def sheet_parts(ws, width):
    """Find the column-number row, then read data rows down to the JUMLAH row."""
    numbers_row = next(
        r
        for r in range(1, ws.max_row + 1)
        if [ws.cell(r, c).value for c in range(1, width + 1)] == list(range(1, width + 1))
    )
    rows, r = [], numbers_row + 1
    while ws.cell(r, 2).value != "JUMLAH":
        rows.append([ws.cell(r, c).value for c in range(1, width + 1)])
        r += 1
    jumlah = [ws.cell(r, c).value for c in range(1, width + 1)]
    return numbers_row, rows, jumlah, r


@pytest.mark.parametrize("key,lampiran,periode", CASES)
def test_excel_and_page_show_the_same_numbers(seeded, key, lampiran, periode):
    unit = getattr(seeded, key)
    html, wb = page_and_xlsx(login(seeded.admin), unit, periode)
    layout = LAYOUTS[lampiran]
    assert html.context["layout"] is layout
    table = parse_table(html.content.decode())
    ws = wb.active
    _numbers_row, rows, jumlah, _ = sheet_parts(ws, layout.width)
    assert len(rows) == len(table.rows["tbody"]) == unit.children.filter(is_active=True).count()
    for page_row, xlsx_row in zip(table.rows["tbody"] + table.rows["tfoot"], rows + [jumlah], strict=True):
        for leaf, text, value in zip(layout.leaves, page_row, xlsx_row, strict=True):
            if leaf.is_numeric:
                assert isinstance(value, int), "numbers are stored as numbers"
                assert angka(text) == value
            elif leaf.kind == "name":
                assert text == value
    # JUMLAH = sum of the rows, column by column.
    for i, leaf in enumerate(layout.leaves):
        if leaf.is_numeric:
            assert jumlah[i] == sum(row[i] for row in rows)


def test_title_meta_headers_and_merged_ranges(seeded):
    report = report_for_unit(LAYOUTS["4.16c"], seeded.rw1, TAHUN)
    wb = report_workbook(report)
    ws = wb.active
    parts = write_sheet(wb.create_sheet("again"), report)  # the same writer reports where parts start
    ws = wb["again"]
    assert ws.cell(1, 32).value == "LAMPIRAN 4.16c"
    assert ws.cell(2, 1).value == "CATATAN DATA DAN KEGIATAN WARGA" and ws.cell(3, 1).value == "KELOMPOK PKK RW"
    merged = {str(rng) for rng in ws.merged_cells.ranges}
    h = parts.header_first
    assert "A2:AF2" in merged and "A3:AF3" in merged  # title lines across the 32 columns
    expected = {
        f"A{h}:A{h + 2}",  # NO spans the three header rows
        f"B{h}:B{h + 2}",  # NOMOR RT
        f"F{h}:P{h}",  # JUMLAH ANGGOTA KELUARGA 6-16
        f"F{h + 1}:G{h + 1}",  # TOTAL over L/P
        f"O{h + 1}:P{h + 1}",  # 3 BUTA over L/P
        f"Q{h}:T{h}",  # KRITERIA RUMAH 17-20
        f"U{h}:X{h}",  # SUMBER AIR KELUARGA 21-24
        f"Y{h}:Y{h + 2}",  # JUMLAH SARANA MCK 25
        f"Z{h}:AA{h}",  # MAKANAN POKOK
        f"AB{h}:AE{h}",  # WARGA MENGIKUTI KEGIATAN
        f"AF{h}:AF{h + 2}",  # KET
        f"J{h + 1}:J{h + 2}",  # PUS spans the two lower rows
    }
    assert expected <= merged
    assert ws.cell(h, 6).value == "JUMLAH ANGGOTA KELUARGA"
    assert ws.cell(h + 2, 6).value == "L" and ws.cell(h + 2, 7).value == "P"
    meta = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(4, h)}
    assert meta["RW"] == ": 01" and meta["DUSUN/LINGKUNGAN"] == ": Krajan" and meta["DESA"] == ": Kaliboto"
    assert meta["KECAMATAN"] == ": Bener" and meta["KABUPATEN"] == ": Purworejo" and meta["TAHUN"] == ": 2025"
    assert parts.numbers_row == h + 3
    assert [ws.cell(parts.numbers_row, c).value for c in range(1, 33)] == list(range(1, 33))
    assert ws.cell(parts.jumlah_row, 2).value == "JUMLAH"
    texts = [ws.cell(r, c).value for r in range(parts.jumlah_row + 1, ws.max_row + 1) for c in range(1, 33)]
    assert "Mengetahui," in texts and "Ketua Kelompok PKK RW 01" in texts and "Yang membuat," in texts
    assert "Ketua Kelompok PKK Dusun Krajan" in texts
    assert ws.cell(parts.data_first, 5).number_format == "#,##0"
    assert ws.cell(h, 6).font.bold and ws.cell(h, 6).alignment.wrap_text
    # Wrapped labels fit: "MEMILIKI TEMPAT PEMBUANGAN SAMPAH" needs several lines in the last header row.
    assert ws.row_dimensions[h + 1].height + ws.row_dimensions[h + 2].height >= 4 * 12.5
    # PEMANFAATAN TANAH PEKARANGAN is wider than its figures: the label stands upright (the forms do too).
    assert ws.cell(h + 1, 29).alignment.text_rotation == 90 and 29 in parts.upright
    border = ws.cell(parts.data_first, 5).border
    assert border.left.style == border.right.style == border.top.style == border.bottom.style == "thin"


def test_long_titles_get_tall_rows(seeded):
    ws = report_workbook(report_for_unit(LAYOUTS["4.18b"], seeded.rt1, BULAN)).active
    assert ws.cell(2, 1).value.startswith("REKAPITULASI DATA/BUKU CATATAN IBU HAMIL")
    one_line = line_height(TITLE_PT)
    assert ws.row_dimensions[2].height >= 2 * one_line  # ~150 characters over 15 columns wrap
    assert one_line <= ws.row_dimensions[3].height < 2 * one_line


def test_print_settings(seeded):
    response = login(seeded.admin).get(
        reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": seeded.kab.pk, "tahun": TAHUN})
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    numbers_row, *_ = sheet_parts(ws, 36)
    assert ws.print_title_rows == f"${numbers_row - 3}:${numbers_row}"  # the 3 header rows + column numbers
    assert ws.freeze_panes == f"C{numbers_row + 1}"


def test_sheet_title_and_filename(seeded):
    response = login(seeded.admin).get(
        reverse("reporting:rekap_bulanan_xlsx", kwargs={"unit_id": seeded.bener.pk, "bulan": "2025-03"})
    )
    assert 'filename="lampiran-4.19b-bener-2025-03.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["4.19b Kecamatan Bener"]


def test_command_writes_the_same_file_as_the_page(seeded, tmp_path):
    out = tmp_path / "rekap.xlsx"
    call_command("export_rekap", "--lampiran", "4.17c", "--unit", "33.06", "--tahun", "2025", "--out", str(out))
    page = login(seeded.admin).get(
        reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": seeded.kab.pk, "tahun": TAHUN})
    )
    a = load_workbook(out).active
    b = load_workbook(io.BytesIO(page.content)).active
    assert a.title == b.title
    assert [[c.value for c in row] for row in a.iter_rows()] == [[c.value for c in row] for row in b.iter_rows()]
    assert {str(r) for r in a.merged_cells.ranges} == {str(r) for r in b.merged_cells.ranges}
    assert a.print_title_rows == b.print_title_rows

    out2 = tmp_path / "bulan.xlsx"
    call_command(
        "export_rekap", "--lampiran", "4.18b", "--unit", f"id:{seeded.rt1.pk}", "--bulan", "2025-03", "--out", str(out2)
    )
    ws = load_workbook(out2).active
    assert ws.title.startswith("4.18b")
    assert not PersonalDataExportLog.objects.exists()  # rekap sheets hold no names


@pytest.mark.parametrize(
    "args,message",
    [
        (["--lampiran", "4.17c", "--unit", "33.06.16", "--tahun", "2025"], "tingkat"),
        (["--lampiran", "4.19c", "--unit", "33.06", "--tahun", "2025"], "--bulan"),
        (["--lampiran", "4.17c", "--unit", "33.06", "--bulan", "2025-03"], "--tahun"),
        (["--lampiran", "4.99z", "--unit", "33.06", "--tahun", "2025"], "tidak dikenal"),
        (["--lampiran", "4.17c", "--unit", "99.99", "--tahun", "2025"], "tidak ditemukan"),
        (["--lampiran", "4.19c", "--unit", "33.06", "--bulan", "2025/03"], "YYYY-MM"),
    ],
)
def test_command_refuses_bad_arguments(seeded, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_rekap", *args, "--out", str(tmp_path / "x.xlsx"))


def test_signature_block_follows_the_tree(seeded):
    with_dusun = report_for_unit(LAYOUTS["4.18c"], seeded.rw1, BULAN)
    without_dusun = report_for_unit(LAYOUTS["4.18c"], seeded.kp_rw1, BULAN)
    assert with_dusun.signature_left == ("Mengetahui,", "Ketua Kelompok PKK Dusun/Lingkungan")
    assert without_dusun.signature_left == ("Mengetahui,", "Ketua TP PKK Desa/Kelurahan")
    assert without_dusun.signature_right == ("Yang membuat,", "Ketua Kelompok PKK RW")
    assert ("DUSUN/LINGKUNGAN", "Krajan") in with_dusun.meta
    assert all(label != "DUSUN/LINGKUNGAN" for label, _ in without_dusun.meta)


def test_sheet_and_file_names_say_which_unit(seeded):
    response = login(seeded.admin).get(
        reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": seeded.rw1.pk, "tahun": TAHUN})
    )
    assert 'filename="lampiran-4.16c-kaliboto-rw01-2025.xlsx"' in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["4.16c Kaliboto RW 01"]
    rt = report_for_unit(LAYOUTS["4.18b"], seeded.rt1, BULAN)
    assert rt.filename == "lampiran-4.18b-kaliboto-rw01-rt01-2025-03.xlsx"
    assert report_workbook(rt).sheetnames == ["4.18b Kaliboto RW 01 RT 01"]
    assert report_for_unit(LAYOUTS["4.17c"], seeded.kab, TAHUN).filename == "lampiran-4.17c-purworejo-2025.xlsx"
