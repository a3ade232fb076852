"""The subtree export job streams its workbook (write-only, one sheet in memory at a time): the file holds
exactly what the in-memory writer produced before, cell by cell, with the same merges, sizes, styles and
print set-up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from dasawisma.models import RumahTangga, Warga
from reporting.books import BUKU_II, BUKU_III
from reporting.excel import INDEX_TITLE, new_workbook, sheet_title, write_index, write_sheet
from reporting.exports import sheets_of, subtree_workbook_write
from reporting.selectors import SubtreeData, periode_label

from .conftest import BULAN, TAHUN

pytestmark = pytest.mark.django_db


def in_memory(data: SubtreeData) -> bytes:
    """The writer the job used before (every sheet of a normal openpyxl workbook in memory)."""
    wb = new_workbook()
    index = wb.active
    index.title = INDEX_TITLE
    used: set[str] = {INDEX_TITLE.lower()}
    entries = []
    for layout, unit in sheets_of(data):
        report = data.report(layout, unit)
        ws = wb.create_sheet(title=sheet_title(layout.lampiran, report.unit_path_label, used))
        write_sheet(ws, report)
        entries.append((ws.title, layout.lampiran, " / ".join(u.label for u in report.chain)))
    label, value = periode_label(data.buku, data.periode)
    write_index(index, entries, heading=f"Wilayah: {data.root.label}", periode=f"{label.title()}: {value}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def streamed(data: SubtreeData) -> bytes:
    buf = io.BytesIO()
    subtree_workbook_write(data, buf)
    return buf.getvalue()


def _style(cell) -> tuple:
    return (
        cell.font.name, cell.font.b, cell.font.i, cell.font.sz, cell.fill.fgColor.rgb, cell.alignment.textRotation,
        getattr(cell.border.left, "style", None), getattr(cell.border.bottom, "style", None),
        cell.alignment.horizontal, cell.alignment.wrap_text, cell.number_format,
    )  # fmt: skip


def assert_same_workbooks(a_bytes: bytes, b_bytes: bytes) -> int:
    a, b = load_workbook(io.BytesIO(a_bytes)), load_workbook(io.BytesIO(b_bytes))
    assert a.sheetnames == b.sheetnames
    cells = 0
    for name in a.sheetnames:
        x, y = a[name], b[name]
        assert (x.max_row, x.max_column) == (y.max_row, y.max_column), name
        for row_x, row_y in zip(x.iter_rows(), y.iter_rows(), strict=True):
            for cx, cy in zip(row_x, row_y, strict=True):
                assert (cx.value, cx.data_type) == (cy.value, cy.data_type), (name, cx.coordinate)
                assert _style(cx) == _style(cy), (name, cx.coordinate)
                cells += cx.value is not None
        assert sorted(map(str, x.merged_cells.ranges)) == sorted(map(str, y.merged_cells.ranges)), name
        assert {k: d.width for k, d in x.column_dimensions.items()} == {
            k: d.width for k, d in y.column_dimensions.items()
        }, name
        assert {k: d.height for k, d in x.row_dimensions.items() if d.height} == {
            k: d.height for k, d in y.row_dimensions.items() if d.height
        }, name
        assert (x.print_title_rows, x.freeze_panes) == (y.print_title_rows, y.freeze_panes), name
        assert (x.page_setup.orientation, x.page_setup.paperSize, x.page_setup.fitToWidth) == (
            y.page_setup.orientation, y.page_setup.paperSize, y.page_setup.fitToWidth)  # fmt: skip
        assert x.sheet_properties.pageSetUpPr.fitToPage == y.sheet_properties.pageSetUpPr.fitToPage is True
        assert (x.page_margins.left, x.print_options.horizontalCentered) == (
            y.page_margins.left, y.print_options.horizontalCentered)  # fmt: skip
        assert (x.print_area, x.oddFooter.center.text, x.page_setup.scale) == (
            y.print_area, y.oddFooter.center.text, y.page_setup.scale)  # fmt: skip
        assert [b.id for b in x.row_breaks.brk] == [b.id for b in y.row_breaks.brk], name
        links = [(c.coordinate, c.hyperlink.location) for row in x.iter_rows() for c in row if c.hyperlink]
        assert links == [(c.coordinate, c.hyperlink.location) for row in y.iter_rows() for c in row if c.hyperlink]
    return cells


def _households(seeded):
    """Named households in Mawar, one with a formula-looking name (it must stay text in both writers)."""
    from tests.reporting_compute.data import rumah_tangga, warga

    rt = rumah_tangga(seeded.mawar, "01")
    warga(rt, "3306000000000001", '=HYPERLINK("http://evil.example","klik")', "P", dt.date(1990, 1, 1))
    rt.kepala = Warga.objects.get(rumah_tangga=rt)
    rt.save(update_fields=["kepala"])
    rt2 = rumah_tangga(seeded.mawar, "02")
    warga(rt2, "3306000000000002", "Siti Aminah", "P", dt.date(1985, 5, 5))
    rt2.kepala = Warga.objects.get(rumah_tangga=rt2)
    rt2.save(update_fields=["kepala"])
    assert RumahTangga.objects.count() == 2


@pytest.mark.parametrize(("buku", "periode"), [(BUKU_II, TAHUN), (BUKU_III, BULAN)])
def test_streamed_equals_in_memory_down_to_every_dasawisma(seeded, buku, periode):
    _households(seeded)
    data = SubtreeData(seeded.kab, buku, periode, down_to="dasawisma")
    assert len(sheets_of(data)) > 15
    cells = assert_same_workbooks(in_memory(data), streamed(data))
    assert cells > 1000  # the comparison saw the sheets' contents, not empty books


def test_a_formula_looking_name_stays_text_in_the_streamed_file(seeded):
    _households(seeded)
    data = SubtreeData(seeded.mawar, BUKU_II, TAHUN, down_to="dasawisma")
    wb = load_workbook(io.BytesIO(streamed(data)))
    assert wb.sheetnames[0] == INDEX_TITLE
    values = [(c.value, c.data_type) for row in wb.worksheets[1].iter_rows() for c in row if c.value]
    hit = [v for v in values if isinstance(v[0], str) and v[0].startswith("=HYPERLINK")]
    assert hit and all(t == "s" for _, t in hit), hit
