"""Buku Kegiatan (lampiran 4.13) as an Excel sheet in print quality.

Arial (metrics of Liberation Sans, present in Excel and LibreOffice installs) named on every cell and as
the workbook's default font; A4 landscape fitted to one page wide; the header rows repeated on every
printed page; "Halaman n dari m" in the footer; text wrapped at word boundaries in rows tall enough for
it; the signature block with the place and the Indonesian date. User text goes in through ``pkk.xlsx``.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from pkk.fontmetrics import excel_width_to_points, text_width, wrap
from pkk.xlsx import put

from .buku import LAMPIRAN, BukuKegiatan

FONT_NAME = "Arial"
BODY_PT = 10
LINE_PT = 12.75  # one line of Arial 10
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FILL = PatternFill("solid", fgColor="E2EFDA")


def _font(**kw) -> Font:
    return Font(name=FONT_NAME, size=kw.pop("size", BODY_PT), **kw)


@dataclass(frozen=True)
class SheetRows:
    """Where each part of the written sheet is (1-based rows); the tests read these."""

    header_first: int
    numbers_row: int
    data_first: int
    data_last: int
    signature_first: int
    last_row: int


def lines_needed(text: str, width: float) -> int:
    """Lines a wrapped cell of Arial 10 needs for ``text`` in a column ``width`` characters wide, from the
    font's advance widths (``pkk.fontmetrics``): words wrap at spaces, a word wider than the column takes
    as many lines as it is wide (Excel breaks it), every paragraph starts a new line."""
    room = excel_width_to_points(width)
    total = 0
    for paragraph in str(text).split("\n"):
        for line in wrap(paragraph, room, BODY_PT):
            total += max(1, math.ceil(text_width(line, BODY_PT) / room))
    return total


def new_workbook() -> Workbook:
    """A workbook whose default font (the Normal style, empty cells, column unit) is Arial 10."""
    wb = Workbook()
    default = Font(name=FONT_NAME, size=BODY_PT, family=2)
    wb._fonts = IndexedList([default])
    wb._named_styles["Normal"].font = default
    return wb


def write_buku(ws: Worksheet, buku: BukuKegiatan) -> SheetRows:
    kolom = buku.kolom
    width = len(kolom)
    last = get_column_letter(width)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_center = Alignment(horizontal="center", vertical="top", wrap_text=True)

    for c, col in enumerate(kolom, start=1):
        ws.column_dimensions[get_column_letter(c)].width = col.width

    cell = ws.cell(row=1, column=width, value=f"LAMPIRAN {LAMPIRAN}")
    cell.font, cell.alignment = _font(size=9), Alignment(horizontal="right")
    row = 2
    for line in buku.title:
        cell = put(ws, row, 1, line)
        cell.font, cell.alignment = _font(bold=True, size=12), center
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 18
        row += 1
    row += 1
    for label, value in buku.meta:
        cell = ws.cell(row=row, column=2, value=label)
        cell.font = _font(bold=True)
        cell = put(ws, row, 3, f": {value}")
        cell.font = _font()
        row += 1
    row += 1

    # Two header rows: KEGIATAN over TANGGAL/TEMPAT/URAIAN, the other labels over both rows.
    header_first = row
    groups: dict[str, list[int]] = {}
    for c, col in enumerate(kolom, start=1):
        if col.group:
            groups.setdefault(col.group, []).append(c)
            ws.cell(row=row + 1, column=c, value=col.label)
        else:
            ws.cell(row=row, column=c, value=col.label)
            ws.merge_cells(start_row=row, start_column=c, end_row=row + 1, end_column=c)
    for label, cols in groups.items():
        ws.cell(row=row, column=cols[0], value=label)
        ws.merge_cells(start_row=row, start_column=cols[0], end_row=row, end_column=cols[-1])
    for r in (row, row + 1):
        ws.row_dimensions[r].height = 18
        for c in range(1, width + 1):
            cell = ws.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border, cell.fill = _font(bold=True), center, BORDER, FILL
    numbers_row = row + 2
    for c in range(1, width + 1):
        cell = ws.cell(row=numbers_row, column=c, value=c)
        cell.font, cell.alignment, cell.border = _font(italic=True, size=9), center, BORDER

    data_first = r = numbers_row + 1
    for data in buku.rows:
        lines = 1
        for c, col in enumerate(kolom, start=1):
            value = data.value(col.key)
            cell = put(ws, r, c, value if value != "" else None)
            cell.font, cell.border = _font(), BORDER
            if col.kind == "date":
                cell.number_format = "DD-MM-YYYY"
                cell.alignment = top_center
            elif col.kind == "no":
                cell.alignment = top_center
            else:
                cell.alignment = top_left
            if col.kind == "text":
                lines = max(lines, lines_needed(value, col.width))
        # Room for the wrapped text, and at least two lines for a signature.
        ws.row_dimensions[r].height = max(lines, 2) * LINE_PT + 4
        r += 1
    if not buku.rows:
        cell = ws.cell(row=r, column=1, value="NIHIL")
        cell.font, cell.alignment = _font(bold=True), center
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).border = BORDER
        ws.row_dimensions[r].height = 2 * LINE_PT + 4
        r += 1
    data_last = r - 1

    # Signature block: left "Mengetahui, Ketua ...", right "<place>, <date>" and the secretary.
    signature_first = r + 1
    left, right = 2, width - 1
    lines_left = list(buku.signature_left)
    lines_right = [buku.tempat_tanggal, *buku.signature_right]
    for i, text in enumerate(lines_left):
        cell = put(ws, signature_first + i, left, text)
        cell.font, cell.alignment = _font(), Alignment(horizontal="center")
        ws.merge_cells(
            start_row=signature_first + i, start_column=left, end_row=signature_first + i, end_column=left + 1
        )
    offset = len(lines_left) - len(lines_right)
    for i, text in enumerate(lines_right):
        cell = put(ws, signature_first + offset + i, right, text)
        cell.font, cell.alignment = _font(), Alignment(horizontal="center")
        ws.merge_cells(
            start_row=signature_first + offset + i,
            start_column=right,
            end_row=signature_first + offset + i,
            end_column=right + 1,
        )
    name_row = signature_first + max(len(lines_left), len(lines_right)) + 3
    for c, name, recorded in zip((left, right), buku.nama_baris, (buku.nama_kiri, buku.nama_kanan), strict=True):
        cell = put(ws, name_row, c, name)
        cell.font = _font(bold=bool(recorded), underline="single" if recorded else None)
        cell.alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=name_row, start_column=c, end_row=name_row, end_column=c + 1)

    # Page set-up: A4 landscape, one page wide, header rows on every page, page numbers.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_first}:{numbers_row}"
    ws.print_area = f"A1:{last}{name_row}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    ws.page_margins.bottom = 0.7
    ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.size = 9
    ws.freeze_panes = ws.cell(row=data_first, column=1)
    return SheetRows(header_first, numbers_row, data_first, data_last, signature_first, name_row)


def buku_workbook(buku: BukuKegiatan) -> Workbook:
    wb = new_workbook()
    ws = wb.active
    # The sheet names the unit and the year (Excel: at most 31 characters, none of []:*?/\).
    ws.title = re.sub(r"[\[\]:*?/\\]", "-", f"{LAMPIRAN} {buku.unit.label} {buku.tahun}")[:31]
    write_buku(ws, buku)
    return wb


def buku_xlsx(buku: BukuKegiatan) -> bytes:
    buf = io.BytesIO()
    buku_workbook(buku).save(buf)
    return buf.getvalue()


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
