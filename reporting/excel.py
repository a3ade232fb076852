"""Excel sheets in the official layout (openpyxl), drawn from a ``selectors.Report``.

Sheet shape (rows top to bottom): LAMPIRAN x, title lines, meta lines, the grouped header rows (merged
cells), the column-number row, data rows, the JUMLAH row, the signature block. Thin borders on the table,
landscape, fitted to one page wide, header rows repeated on every printed page, numbers as numbers.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedNameDict
from openpyxl.worksheet.worksheet import Worksheet

from pkk.xlsx import put

from .selectors import Report

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=False)
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=12)


def _named_styles() -> list[NamedStyle]:
    """Registered once per workbook: assigning a named style is far cheaper than per-cell style objects
    (a kabupaten export writes thousands of sheets)."""
    right = Alignment(horizontal="right", vertical="center")
    return [
        NamedStyle("rekap_header", font=BOLD, fill=HEADER_FILL, border=BORDER, alignment=CENTER),
        NamedStyle("rekap_colnum", font=Font(italic=True, size=9), border=BORDER, alignment=CENTER),
        NamedStyle("rekap_num", border=BORDER, alignment=right, number_format="#,##0"),
        NamedStyle("rekap_num_bold", font=BOLD, border=BORDER, alignment=right, number_format="#,##0"),
        NamedStyle("rekap_text", border=BORDER, alignment=LEFT),
        NamedStyle("rekap_text_bold", font=BOLD, border=BORDER, alignment=LEFT),
        NamedStyle("rekap_title", font=TITLE_FONT, alignment=CENTER),
        NamedStyle("rekap_bold", font=BOLD),
    ]


def _ensure_styles(ws: Worksheet) -> None:
    wb = ws.parent
    have = set(wb.named_styles)
    for style in _named_styles():
        if style.name not in have:
            wb.add_named_style(style)


WIDTH = {"no": 5, "name": 26, "num": 7, "mark": 5, "text": 16, "ket": 14}


@dataclass(frozen=True)
class SheetLayout:
    """Row numbers (1-based) where each part of a written sheet starts; the tests read these."""

    header_first: int
    header_last: int
    numbers_row: int
    data_first: int
    jumlah_row: int


def write_sheet(ws: Worksheet, report: Report) -> SheetLayout:
    layout = report.layout
    width = layout.width
    last_col = get_column_letter(width)
    _ensure_styles(ws)

    # Lampiran number, top right; title lines merged across the table.
    ws.cell(row=1, column=width, value=f"LAMPIRAN {layout.lampiran}").alignment = Alignment(horizontal="right")
    widths = [_width(leaf) for leaf in layout.leaves]
    row = 2
    for line in layout.title:
        ws.cell(row=row, column=1, value=line).style = "rekap_title"
        ws.merge_cells(f"A{row}:{last_col}{row}")
        # Excel does not grow merged rows to fit wrapped text: size them here (bold 12 pt ~ 1.3 units/char).
        ws.row_dimensions[row].height = 17 * _lines(line, sum(widths) / 1.3)
        row += 1
    row += 1

    # Meta lines: label under the name column, ": value" next to it.
    for label, value in report.meta:
        ws.cell(row=row, column=2, value=label).style = "rekap_bold"
        ws.cell(row=row, column=3, value=f": {value}")
        row += 1
    row += 1

    # Grouped header rows.
    header_first = row
    for header_row in report.header_rows:
        for label, cell in header_row:
            r, c = header_first + cell.row, cell.col + 1
            ws.cell(row=r, column=c, value=label)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1
                )
    header_last = header_first + layout.header_depth - 1
    for r in range(header_first, header_last + 1):
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).style = "rekap_header"
    for r, height in enumerate(_header_heights(report, widths), start=header_first):
        ws.row_dimensions[r].height = height

    # Column numbers 1, 2, 3 ...
    numbers_row = header_last + 1
    for c in range(1, width + 1):
        ws.cell(row=numbers_row, column=c, value=c).style = "rekap_colnum"

    # Data rows and the JUMLAH row.
    data_first = numbers_row + 1
    r = data_first
    for data_row in report.rows:
        _write_cells(ws, r, data_row.cells)
        r += 1
    jumlah_row = r
    _write_cells(ws, jumlah_row, report.jumlah, bold=True)

    # Signature block.
    r = jumlah_row + 2
    left_col, right_col = 2, max(width - 5, 4)
    for i, line in enumerate(report.signature_left):
        ws.cell(row=r + i, column=left_col, value=line)
    for i, line in enumerate(("............................, ..................",) + report.signature_right):
        ws.cell(row=r + i, column=right_col, value=line)
    name_row = r + max(len(report.signature_left), len(report.signature_right) + 1) + 3
    ws.cell(row=name_row, column=left_col, value="(...................................)")
    ws.cell(row=name_row, column=right_col, value="(...................................)")

    # Column widths.
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w

    # Page set-up: landscape, one page wide, headers repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_first}:{numbers_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.freeze_panes = ws.cell(row=data_first, column=3)
    return SheetLayout(header_first, header_last, numbers_row, data_first, jumlah_row)


def _width(leaf) -> float:
    """Column width: the kind's default, widened so the longest word of the header fits on one line."""
    base = WIDTH.get(leaf.kind, 8)
    if leaf.kind in ("num", "mark"):
        longest = max((len(word) for word in leaf.label.split()), default=0)
        return float(min(max(base, longest + 1), 13))
    return float(base)


def _lines(text: str, chars_per_line: float) -> int:
    """Wrapped lines of ``text`` in a cell holding about ``chars_per_line`` characters (word wrap)."""
    per_line = max(int(chars_per_line), 1)
    lines, current = 1, 0
    for word in text.split():
        need = len(word) if current == 0 else current + 1 + len(word)
        if need <= per_line or current == 0:
            current = need
        else:
            lines, current = lines + 1, len(word)
        while current > per_line:  # a word longer than the cell breaks anywhere
            lines, current = lines + 1, current - per_line
    return lines


def _header_heights(report: Report, widths: list[float]) -> list[float]:
    """Heights (points) of the header rows so every wrapped label shows whole."""
    line_pt = 12.5
    depth = report.layout.header_depth
    heights = [15.0] * depth
    cells = [cell for header_row in report.header_rows for cell in header_row]
    for span in range(1, depth + 1):  # single-row cells first, then taller ones top up their last row
        for label, cell in cells:
            if cell.rowspan != span:
                continue
            chars = sum(widths[cell.col : cell.col + cell.colspan]) * 1.1 - 1
            need = _lines(label, chars) * line_pt + 4
            have = sum(heights[cell.row : cell.row + span])
            if need > have:
                heights[cell.row + span - 1] += need - have
    return heights


def _write_cells(ws: Worksheet, r: int, cells, *, bold: bool = False) -> None:
    num_style, text_style = ("rekap_num_bold", "rekap_text_bold") if bold else ("rekap_num", "rekap_text")
    for c, cell in enumerate(cells, start=1):
        target = put(ws, r, c, cell.value if cell.value != "" else None)  # names stay text, never formulas
        target.style = num_style if cell.numeric or cell.col.kind == "no" else text_style


_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(report: Report, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, unique in the workbook, no []:*?/\\."""
    base = _BAD_TITLE.sub("-", f"{report.layout.lampiran} {report.unit.label}")[:31]
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def report_workbook(report: Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(report, set())
    write_sheet(ws, report)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def report_xlsx(report: Report) -> bytes:
    """The single-sheet download (page link and ``manage.py export_rekap`` write the same file)."""
    return workbook_bytes(report_workbook(report))


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------------------------- streamed workbooks


def streaming_workbook() -> Workbook:
    """A write-only workbook: each sheet goes to a temporary file as it is written, so a whole kabupaten
    down to every dasawisma (thousands of sheets) never sits in memory at once."""
    return Workbook(write_only=True)


def write_sheet_streamed(wb: Workbook, title: str, report: Report) -> SheetLayout:
    """The same sheet as ``write_sheet``, into the write-only workbook ``wb``.

    ``write_sheet`` draws it on a scratch sheet of the same workbook (so the style indices are the
    workbook's own); its cells, merges, sizes and print set-up are then streamed to a write-only sheet
    that is closed at once (its file handle too). Only one sheet's cells are in memory at a time.
    """
    scratch = Worksheet(wb, title="_scratch")  # not registered in the workbook: never saved
    layout = write_sheet(scratch, report)
    out = wb.create_sheet(title)
    for key, dim in scratch.column_dimensions.items():
        out.column_dimensions[key].width = dim.width
    for key, dim in scratch.row_dimensions.items():
        if dim.height is not None:
            out.row_dimensions[key].height = dim.height
    for cell_range in scratch.merged_cells.ranges:
        out.merged_cells.add(cell_range.coord)
    out.page_setup.orientation = scratch.page_setup.orientation
    out.page_setup.paperSize = scratch.page_setup.paperSize
    out.page_setup.fitToWidth = scratch.page_setup.fitToWidth
    out.page_setup.fitToHeight = scratch.page_setup.fitToHeight
    out.sheet_properties = copy.copy(scratch.sheet_properties)
    out.page_margins = copy.copy(scratch.page_margins)
    out.print_options = copy.copy(scratch.print_options)
    out.print_title_rows = f"{layout.header_first}:{layout.numbers_row}"
    out.freeze_panes = scratch.freeze_panes
    cells = scratch._cells
    for r in range(1, scratch.max_row + 1):
        row: list = []
        for c in range(1, scratch.max_column + 1):
            src = cells.get((r, c))
            if src is None or (src.value is None and not src.has_style):
                row.append(None)
                continue
            dst = WriteOnlyCell(out)
            dst._value = src._value
            dst.data_type = src.data_type  # a text cell stays text (pkk.xlsx), a number a number
            dst._style = copy.copy(src._style)
            row.append(dst)
        out.append(row)
    out.close()
    # Written to its temporary file: drop what the save does not read again (merges, sizes, page set-up: ~35 KB
    # a sheet, 0.9 GB over a kabupaten's 25,000 sheets). The title, print titles and defined names stay.
    for attr in _WRITTEN_ATTRS:
        setattr(out, attr, None)
    if not out.defined_names:
        out.defined_names = _NO_NAMES
    return layout


_NO_NAMES = DefinedNameDict()  # shared by every written sheet without names of its own; never changed


_WRITTEN_ATTRS = (
    "merged_cells", "column_dimensions", "row_dimensions", "page_setup", "print_options", "page_margins", "views",
    "protection", "sheet_properties", "sheet_format", "scenarios", "conditional_formatting", "data_validations",
    "row_breaks", "col_breaks", "_hyperlinks", "HeaderFooter",
)  # fmt: skip
