"""Excel sheets in the official layout (openpyxl), drawn from a ``selectors.Report``, ready to print.

Sheet shape (rows top to bottom): LAMPIRAN x, title lines, meta lines, the grouped header rows (merged
cells), the column-number row, data rows (4.18a: "NIHIL" when the month has none), the JUMLAH row, the
4.18a CATATAN, the signature block.

Print: every cell in Arial (Liberation Sans in LibreOffice: the same metrics, ``pkk.fontmetrics``), so the
widths computed here hold in both. Column widths come from the text they hold (the figures of the sheet,
the widest word of the header: words never break); numeric columns whose header words are wider than their
figures get the header turned upright (90 degrees), as the printed forms do, so the sheet stays narrow.
Header rows are as tall as their wrapped text. The paper is the layout's (``paper_for``: A4, F4 or A3),
landscape, fitted to one page wide; ``sheet_print_scale`` is the resulting scale, and the figures
(``DATA_PT`` x scale) print at 8 pt or more. Header rows repeat on every page, the footer says
"Halaman 1 dari 3", and the signature block is kept on the page of the table's end (a manual page break
moves the last rows with it when it would fall on the next page).
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedNameDict
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from pkk.fontmetrics import (
    FONT_NAME,
    column_points,
    longest_word_width,
    points_to_excel_width,
    text_width,
    wrap,
)
from pkk.xlsx import new_workbook as xlsx_new_workbook
from pkk.xlsx import put

from .books import BUKU_III
from .layouts import Col, paper_for
from .selectors import Report, format_angka

# Font sizes (points) before scaling to the paper.
DATA_PT = 9.0
HEADER_PT = 7.0
TITLE_PT = 11.0
META_PT = 9.0
COLNUM_PT = 7.0
SIGN_PT = 9.0
FOOTER_PT = 8


def line_height(size: float) -> float:
    """Height of one line of text (Arial's ascent + descent and leading, as Excel/LibreOffice lay it out)."""
    return round(size * 1.25, 2)


CELL_PAD = 3.0  # points kept free above/below wrapped text in a row
TEXT_SLACK = 1.0  # points added to every computed width (hinting, bold rounding)

# Paper: Excel paperSize code and portrait size in points. F4 = folio 8.5 x 13 in (215.9 x 330.2 mm).
PAPER = {"A4": (9, 595.3, 841.9), "F4": (14, 612.0, 936.0), "A3": (8, 841.9, 1190.6)}
MARGIN_LR_IN = 0.25
MARGIN_TOP_IN = 0.4
MARGIN_BOTTOM_IN = 0.6
FOOTER_IN = 0.25
MIN_PRINTED_PT = 8.0

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E2EFDA")


def font(size: float, *, bold: bool = False, italic: bool = False, underline: str | None = None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline=underline)


def _named_styles() -> list[NamedStyle]:
    """Registered once per workbook: assigning a named style is far cheaper than per-cell style objects
    (a kabupaten export writes thousands of sheets). Every style names its font."""
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    upright = Alignment(horizontal="center", vertical="center", wrap_text=True, text_rotation=90)
    right = Alignment(horizontal="right", vertical="center")
    left_wrap = Alignment(horizontal="left", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center")
    return [
        NamedStyle("rekap_plain", font=font(META_PT), alignment=left),
        NamedStyle("rekap_header", font=font(HEADER_PT, bold=True), fill=HEADER_FILL, border=BORDER, alignment=center),
        NamedStyle(
            "rekap_header_v", font=font(HEADER_PT, bold=True), fill=HEADER_FILL, border=BORDER, alignment=upright
        ),
        NamedStyle("rekap_colnum", font=font(COLNUM_PT, italic=True), border=BORDER, alignment=center),
        NamedStyle("rekap_num", font=font(DATA_PT), border=BORDER, alignment=right, number_format="#,##0"),
        NamedStyle(
            "rekap_num_bold", font=font(DATA_PT, bold=True), border=BORDER, alignment=right, number_format="#,##0"
        ),
        NamedStyle(
            "rekap_tick",
            font=font(DATA_PT),
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center"),
            number_format='"\u2713";;',
        ),
        NamedStyle("rekap_text", font=font(DATA_PT), border=BORDER, alignment=left_wrap),
        NamedStyle("rekap_text_bold", font=font(DATA_PT, bold=True), border=BORDER, alignment=left_wrap),
        NamedStyle("rekap_nihil", font=font(DATA_PT, bold=True), border=BORDER, alignment=center),
        NamedStyle("rekap_title", font=font(TITLE_PT, bold=True), alignment=center),
        NamedStyle("rekap_lampiran", font=font(META_PT, bold=True), alignment=Alignment(horizontal="right")),
        NamedStyle("rekap_meta_label", font=font(META_PT, bold=True), alignment=left),
        NamedStyle("rekap_meta", font=font(META_PT), alignment=left),
        NamedStyle("rekap_sign", font=font(SIGN_PT), alignment=Alignment(horizontal="center", vertical="bottom")),
        NamedStyle(
            "rekap_sign_name",
            font=font(SIGN_PT, bold=True, underline="single"),
            alignment=Alignment(horizontal="center", vertical="bottom"),
        ),
        NamedStyle(
            "rekap_link", font=Font(name=FONT_NAME, size=META_PT, color="0563C1", underline="single"), alignment=left
        ),
    ]


def new_workbook() -> Workbook:
    """A workbook with Arial 10 as its default font (``pkk.xlsx.new_workbook``)."""
    return xlsx_new_workbook()


def ensure_styles(wb: Workbook) -> None:
    have = set(wb.named_styles)
    for style in _named_styles():
        if style.name not in have:
            wb.add_named_style(style)


@dataclass(frozen=True)
class SheetLayout:
    """Row numbers (1-based) where each part of a written sheet starts; the tests read these."""

    header_first: int
    header_last: int
    numbers_row: int
    data_first: int
    jumlah_row: int
    last_row: int = 0
    paper: str = "A4"
    scale: float = 1.0  # fit-to-width scale the sheet prints at
    upright: tuple[int, ...] = ()  # 1-based columns whose leaf header is turned 90 degrees


# ------------------------------------------------------------------------------------------ measures


def display_text(cell_value, *, kind: str) -> str:
    """What a cell shows (the width computation's input): figures with thousand separators."""
    if cell_value is None or cell_value == "":
        return ""
    if kind == "mark":
        return "\u2713"
    if isinstance(cell_value, int):
        return format_angka(cell_value)
    return str(cell_value)


NAME_MAX_PT = 150.0
TEXT_MAX_PT = 100.0
KET_PT = 55.0
NUM_MIN_PT = 16.0


def column_text_widths(report: Report) -> tuple[list[float], list[bool]]:
    """The text-area width (points) of every column and whether its leaf header stands upright."""
    leaves = report.layout.leaves
    widths: list[float] = []
    upright: list[bool] = []
    for i, leaf in enumerate(leaves):
        label = _leaf_label(report, i, leaf)
        data = [text_width(display_text(row.cells[i].value, kind=leaf.kind), DATA_PT) for row in report.rows]
        data.append(
            text_width(
                display_text(report.jumlah[i].value, kind="num" if leaf.is_numeric else leaf.kind), DATA_PT, bold=True
            )
        )
        widest = max(data, default=0.0)
        head = longest_word_width(label, HEADER_PT, bold=True)
        colnum = text_width(str(i + 1), COLNUM_PT, bold=True)
        if leaf.kind == "name":
            meta = max((text_width(lbl, META_PT, bold=True) for lbl, _ in report.meta), default=0.0)
            w = max(min(widest, NAME_MAX_PT), head, meta, 45.0)
            up = False
        elif leaf.kind == "text":
            w = max(min(widest, TEXT_MAX_PT), head, 30.0)
            up = False
        elif leaf.kind == "ket":
            w = max(KET_PT, head)
            up = False
        elif leaf.kind == "no":
            w = max(widest, head, colnum)
            up = False
        else:  # num, mark
            w = max(widest, NUM_MIN_PT, colnum)
            up = head > w
            if not up:
                w = max(w, head)
            else:
                w = max(w, 2 * line_height(HEADER_PT))  # room for two upright lines
        widths.append(w + TEXT_SLACK)
        upright.append(up)
    # Every header word that lies flat must fit across its columns (a group header over one narrow column
    # too): widen the last column when it does not.
    depth = report.layout.header_depth
    for header_row in report.header_rows:
        for label, cell in header_row:
            if cell.colspan == 1 and upright[cell.col] and cell.row + cell.rowspan == depth:
                continue
            need = longest_word_width(label, HEADER_PT, bold=True) + TEXT_SLACK
            have = sum(widths[cell.col : cell.col + cell.colspan])
            if need > have:
                widths[cell.col + cell.colspan - 1] += need - have
    return widths, upright


def _leaf_label(report: Report, index: int, leaf: Col) -> str:
    if leaf.kind == "name":
        return report.name_label
    return leaf.label


def upright_length(label: str, across: float) -> float:
    """Height an upright (90 degrees) label needs in a column ``across`` points wide: it wraps into as many
    lines as fit across the column, each line as long as the longest."""
    lines_fit = max(int(across // line_height(HEADER_PT)), 1)
    longest = longest_word_width(label, HEADER_PT, bold=True)
    full = text_width(label, HEADER_PT, bold=True)
    length = longest
    while len(wrap(label, length, HEADER_PT, bold=True)) > lines_fit and length < full:
        length += 2.0
    return length


def header_heights(report: Report, widths: list[float], upright: list[bool]) -> list[float]:
    """Heights (points) of the header rows so every wrapped label shows whole."""
    depth = report.layout.header_depth
    lh = line_height(HEADER_PT)
    heights = [lh + CELL_PAD] * depth
    cells = [cell for header_row in report.header_rows for cell in header_row]
    for span in range(1, depth + 1):  # single-row cells first, then taller ones top up their last row
        for label, cell in cells:
            if cell.rowspan != span:
                continue
            across = sum(widths[cell.col : cell.col + cell.colspan]) - TEXT_SLACK
            if cell.colspan == 1 and upright[cell.col] and cell.row + cell.rowspan == depth:
                need = upright_length(label, across) + 2 * CELL_PAD
            else:
                need = len(wrap(label, across, HEADER_PT, bold=True)) * lh + CELL_PAD
            have = sum(heights[cell.row : cell.row + span])
            if need > have:
                heights[cell.row + span - 1] += need - have
    return [round(h, 1) for h in heights]


def row_height(report: Report, cells, widths: list[float], *, bold: bool = False) -> float:
    """Height of a data row: as many lines as its longest wrapped text needs."""
    lines = 1
    for i, cell in enumerate(cells):
        if isinstance(cell.value, str) and cell.value:
            lines = max(lines, len(wrap(cell.value, widths[i] - TEXT_SLACK, DATA_PT, bold=bold)))
    return round(lines * line_height(DATA_PT) + CELL_PAD, 1)


def paper_points(paper: str) -> tuple[float, float]:
    """Landscape (width, height) of ``paper`` in points."""
    _code, w, h = PAPER[paper]
    return h, w


def printable(paper: str) -> tuple[float, float]:
    width, height = paper_points(paper)
    return width - 2 * MARGIN_LR_IN * 72, height - (MARGIN_TOP_IN + MARGIN_BOTTOM_IN) * 72


def fit_scale(total_width_pt: float, paper: str) -> float:
    """The scale fit-to-one-page-wide prints at (never above 1)."""
    usable, _ = printable(paper)
    return min(1.0, usable / total_width_pt)


# --------------------------------------------------------------------------------------------- sheet


def write_sheet(ws: Worksheet, report: Report) -> SheetLayout:
    layout = report.layout
    width = layout.width
    last_col = get_column_letter(width)
    ensure_styles(ws.parent)

    text_widths, upright = column_text_widths(report)
    excel_widths = [points_to_excel_width(w) for w in text_widths]
    total_pt = sum(column_points(w) for w in excel_widths)
    paper = paper_for(layout)
    scale = fit_scale(total_pt, paper)
    heights: dict[int, float] = {}

    # Lampiran number, top right; title lines merged across the table.
    put(ws, 1, width, f"LAMPIRAN {layout.lampiran}").style = "rekap_lampiran"
    heights[1] = line_height(META_PT) + CELL_PAD
    row = 2
    for line in layout.title:
        put(ws, row, 1, line).style = "rekap_title"
        ws.merge_cells(f"A{row}:{last_col}{row}")
        # Excel does not grow merged rows to fit wrapped text: size them here.
        lines = len(wrap(line, total_pt * 0.9, TITLE_PT, bold=True))
        heights[row] = lines * line_height(TITLE_PT) + CELL_PAD
        row += 1
    heights[row] = 6.0
    row += 1

    # Meta lines: label under the name column, ": value" next to it.
    for label, value in report.meta:
        put(ws, row, 2, label).style = "rekap_meta_label"
        put(ws, row, 3, f": {value}").style = "rekap_meta"
        heights[row] = line_height(META_PT) + 2
        row += 1
    heights[row] = 6.0
    row += 1

    # Grouped header rows.
    header_first = row
    for header_row in report.header_rows:
        for label, cell in header_row:
            r, c = header_first + cell.row, cell.col + 1
            put(ws, r, c, label)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1
                )
    header_last = header_first + layout.header_depth - 1
    leaf_top = {
        cell.col: cell.row
        for cell in layout.header_cells
        if cell.colspan == 1 and cell.row + cell.rowspan == layout.header_depth
    }
    for r in range(header_first, header_last + 1):
        for c in range(1, width + 1):
            is_leaf_cell = upright[c - 1] and leaf_top.get(c - 1) == r - header_first
            ws.cell(row=r, column=c).style = "rekap_header_v" if is_leaf_cell else "rekap_header"
    for r, height in enumerate(header_heights(report, text_widths, upright), start=header_first):
        heights[r] = height

    # Column numbers 1, 2, 3 ...
    numbers_row = header_last + 1
    for c in range(1, width + 1):
        ws.cell(row=numbers_row, column=c, value=c).style = "rekap_colnum"
    heights[numbers_row] = line_height(COLNUM_PT) + 2

    # Data rows ("NIHIL" for a month without events on 4.18a) and the JUMLAH row.
    data_first = numbers_row + 1
    r = data_first
    if not report.rows and layout.is_list and layout.buku == BUKU_III:
        put(ws, r, 1, "NIHIL")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        for c in range(1, width + 1):
            ws.cell(row=r, column=c).style = "rekap_nihil"
        heights[r] = line_height(DATA_PT) + CELL_PAD
        r += 1
    for data_row in report.rows:
        _write_cells(ws, r, data_row.cells)
        heights[r] = row_height(report, data_row.cells, text_widths)
        r += 1
    jumlah_row = r
    _write_cells(ws, jumlah_row, report.jumlah, bold=True)
    heights[jumlah_row] = row_height(report, report.jumlah, text_widths, bold=True)
    r = jumlah_row + 1

    # 4.18a: the CATATAN with its seven counts.
    if report.catatan:
        heights[r] = 6.0
        r += 1
        put(ws, r, 2, "CATATAN:").style = "rekap_meta_label"
        heights[r] = line_height(META_PT) + 2
        r += 1
        for n, (label, count) in enumerate(report.catatan, start=1):
            put(ws, r, 2, f"{n}. {label}").style = "rekap_meta"
            put(ws, r, 3, f": {format_angka(count)} orang").style = "rekap_meta"
            heights[r] = line_height(META_PT) + 2
            r += 1

    # Signature block.
    sign_first = r
    r = _write_signature(ws, report, r, text_widths, heights)
    last_row = r - 1

    # Column widths and row heights.
    for c, w in enumerate(excel_widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    for rr, h in heights.items():
        ws.row_dimensions[rr].height = round(h, 1)

    # Page set-up.
    code, _w, _h = PAPER[paper]
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = code
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.scale = max(10, int(scale * 100))
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_first}:{numbers_row}"
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_margins.left = ws.page_margins.right = MARGIN_LR_IN
    ws.page_margins.top = MARGIN_TOP_IN
    ws.page_margins.bottom = MARGIN_BOTTOM_IN
    ws.page_margins.footer = FOOTER_IN
    ws.page_margins.header = 0.2
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.size = FOOTER_PT
    ws.freeze_panes = f"C{data_first}"

    # Keep the signature block on the page where the table ends.
    brk = keep_with_table_end(
        heights,
        header_first=header_first,
        numbers_row=numbers_row,
        data_first=data_first,
        jumlah_row=jumlah_row,
        sign_first=sign_first,
        last_row=last_row,
        paper=paper,
        scale=scale,
    )
    if brk:
        ws.row_breaks.append(Break(id=brk - 1))
    return SheetLayout(
        header_first,
        header_last,
        numbers_row,
        data_first,
        jumlah_row,
        last_row,
        paper,
        scale,
        tuple(i + 1 for i, up in enumerate(upright) if up),
    )


def page_of_rows(
    heights: dict[int, float], *, repeat: float, last_row: int, paper: str, scale: float, breaks: tuple[int, ...] = ()
) -> dict[int, int]:
    """Which printed page (1-based) each row falls on, paginating as Excel/LibreOffice do: a row that does not
    fit on the page starts the next one, whose top repeats the header rows (``repeat`` points)."""
    _w, usable = printable(paper)
    usable /= scale
    page, used, out = 1, 0.0, {}
    for r in range(1, last_row + 1):
        h = heights.get(r, 12.75)
        if used + h > usable or r in breaks:
            page, used = page + 1, repeat
        used += h
        out[r] = page
    return out


def keep_with_table_end(
    heights: dict[int, float],
    *,
    header_first: int,
    numbers_row: int,
    data_first: int,
    jumlah_row: int,
    sign_first: int,
    last_row: int,
    paper: str,
    scale: float,
) -> int:
    """The row a manual page break goes before (0 for none) so the signature block is printed on the page of
    the JUMLAH row, with the last data rows taken along so that page is never only a signature."""
    repeat = sum(heights.get(r, 12.75) for r in range(header_first, numbers_row + 1))
    pages = page_of_rows(heights, repeat=repeat, last_row=last_row, paper=paper, scale=scale)
    if pages[last_row] == pages[jumlah_row]:
        return 0
    brk = max(jumlah_row - 3, data_first + 1)
    if brk >= jumlah_row or brk <= data_first:
        return 0
    return brk


def _write_signature(ws: Worksheet, report: Report, r: int, widths: list[float], heights: dict[int, float]) -> int:
    """Place and date over the right signer; headings, full titles, room to sign, names. Returns the next
    free row."""
    ttd = report.ttd
    width = len(widths)
    # Each side spans columns from its edge until it is ~220 pt wide (centred text in a merged range).
    left_first = 2 if width > 3 else 1
    left_last, acc = left_first, 0.0
    while left_last < width and acc + widths[left_last - 1] < 220:
        acc += widths[left_last - 1]
        left_last += 1
    right_last, right_first, acc = width, width, 0.0
    while right_first > left_last + 1 and acc + widths[right_first - 1] < 220:
        acc += widths[right_first - 1]
        right_first -= 1
    right_first = max(right_first, left_last + 1)
    if right_first > right_last:  # a very narrow sheet: both blocks share the columns
        right_first = right_last

    def middle(first: int, last: int) -> int:
        """The column under the middle of the block: centred text spreads over its empty neighbours both
        ways (no merged range: merging costs a third of the sheet's writing time in a large export)."""
        half, acc = sum(widths[first - 1 : last]) / 2, 0.0
        for c in range(first, last + 1):
            acc += widths[c - 1]
            if acc >= half:
                return c
        return last

    def line(row: int, first: int, last: int, text: str, style: str = "rekap_sign") -> None:
        put(ws, row, middle(first, last), text).style = style

    lh = line_height(SIGN_PT) + 2
    heights[r] = 8.0
    r += 1
    if ttd is None:
        return r
    line(r, right_first, right_last, ttd.place_date)
    heights[r] = lh
    r += 1
    line(r, left_first, left_last, ttd.left.heading)
    line(r, right_first, right_last, ttd.right.heading)
    heights[r] = lh
    r += 1
    line(r, left_first, left_last, ttd.left.title)
    line(r, right_first, right_last, ttd.right.title)
    heights[r] = lh
    r += 1
    heights[r] = 42.0  # room to sign
    r += 1
    line(r, left_first, left_last, ttd.left.name_line, "rekap_sign_name" if ttd.left.name else "rekap_sign")
    line(r, right_first, right_last, ttd.right.name_line, "rekap_sign_name" if ttd.right.name else "rekap_sign")
    heights[r] = lh
    return r + 1


def _write_cells(ws: Worksheet, r: int, cells, *, bold: bool = False) -> None:
    num_style, text_style = ("rekap_num_bold", "rekap_text_bold") if bold else ("rekap_num", "rekap_text")
    for c, cell in enumerate(cells, start=1):
        target = put(ws, r, c, cell.value if cell.value != "" else None)
        if cell.col.kind == "mark" and not bold:
            target.style = "rekap_tick"
        elif cell.numeric or cell.col.kind == "no":
            target.style = num_style
        else:
            target.style = text_style


# ------------------------------------------------------------------------------------------ workbooks

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


def sheet_title(lampiran: str, unit_label: str, used: set[str]) -> str:
    """Excel sheet names say which unit ("4.16c Kaliboto RW 01"; ``Report.unit_path_label``): at most 31
    characters, unique in the workbook, no []:*?/\\."""
    base = _BAD_TITLE.sub("-", f"{lampiran} {unit_label}")[:31].strip()
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


INDEX_TITLE = "Daftar Isi"


def write_index(ws: Worksheet, entries: list[tuple[str, str, str]], *, heading: str, periode: str) -> None:
    """The first sheet of a subtree workbook: every sheet with its lampiran, unit path and a link to it.
    ``entries`` = (sheet title, lampiran, unit path)."""
    ensure_styles(ws.parent)
    put(ws, 1, 1, "DAFTAR ISI").style = "rekap_title"
    ws.merge_cells("A1:D1")
    put(ws, 2, 1, heading).style = "rekap_meta"
    put(ws, 3, 1, periode).style = "rekap_meta"
    for c, label in enumerate(("NO", "LAMPIRAN", "WILAYAH", "LEMBAR"), start=1):
        put(ws, 5, c, label).style = "rekap_header"
    widths = [len("NO"), len("LAMPIRAN"), len("WILAYAH"), len("LEMBAR")]
    for i, (title, lampiran, path) in enumerate(entries, start=1):
        r = 5 + i
        ws.cell(row=r, column=1, value=i).style = "rekap_num"
        put(ws, r, 2, lampiran).style = "rekap_text"
        put(ws, r, 3, path).style = "rekap_text"
        link = put(ws, r, 4, title)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(title)}!A1", display=title)
        link.style = "rekap_link"
        widths = [
            max(widths[0], len(str(i))),
            max(widths[1], len(lampiran)),
            max(widths[2], len(path)),
            max(widths[3], len(title)),
        ]
    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(w + 3, 90)
    ws.print_title_rows = "5:5"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = PAPER["A4"][0]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.font = f"{FONT_NAME},Regular"
    ws.oddFooter.center.size = FOOTER_PT
    ws.freeze_panes = "A6"


def report_workbook(report: Report) -> Workbook:
    wb = new_workbook()
    ws = wb.active
    ws.title = sheet_title(report.layout.lampiran, report.unit_path_label, set())
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
    down to every dasawisma (thousands of sheets) never sits in memory at once. Arial 10 is its default
    font, as in ``new_workbook``."""
    return xlsx_new_workbook(write_only=True)


def write_sheet_streamed(wb: Workbook, title: str, report: Report) -> SheetLayout:
    return copy_streamed(wb, title, lambda scratch: write_sheet(scratch, report))


def write_index_streamed(wb: Workbook, entries: list[tuple[str, str, str]], *, heading: str, periode: str) -> None:
    """The index sheet (``write_index``) into the write-only workbook ``wb``."""
    copy_streamed(wb, INDEX_TITLE, lambda scratch: write_index(scratch, entries, heading=heading, periode=periode))


def copy_streamed(wb: Workbook, title: str, draw):
    """The same sheet as ``write_sheet``, into the write-only workbook ``wb``.

    ``write_sheet`` draws it on a scratch sheet of the same workbook (so the style indices are the
    workbook's own); its cells, merges, sizes and print set-up are then streamed to a write-only sheet
    that is closed at once (its file handle too). Only one sheet's cells are in memory at a time.
    """
    scratch = Worksheet(wb, title="_scratch")  # not registered in the workbook: never saved
    layout = draw(scratch)
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
    out.page_setup.scale = scratch.page_setup.scale
    out.sheet_properties = copy.copy(scratch.sheet_properties)
    out.page_margins = copy.copy(scratch.page_margins)
    out.print_options = copy.copy(scratch.print_options)
    out.HeaderFooter = copy.copy(scratch.HeaderFooter)
    out.row_breaks = copy.copy(scratch.row_breaks)
    if scratch.print_title_rows:
        out.print_title_rows = scratch.print_title_rows.replace("$", "")
    if scratch.print_area:
        out.print_area = (
            scratch.print_area[0].split("!")[-1].replace("$", "")
            if isinstance(scratch.print_area, list)
            else scratch.print_area.split("!")[-1].replace("$", "")
        )
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
            if src.hyperlink is not None:  # the index sheet's links (the ref is the source cell's)
                dst._hyperlink = copy.copy(src.hyperlink)
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
