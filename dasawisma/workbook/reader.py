"""Reading the standard workbook: the package, the sheets, the header and the plain cell values.

Hostile files are refused before and while parsing, so one upload cannot exhaust a worker (issue 12):
the package is inspected first (a real .xlsx zip, total uncompressed size under
``PKK_WORKBOOK_MAX_UNCOMPRESSED_MB``: a shared-strings zip bomb is refused without inflating anything;
Python's zipfile never inflates a member past its declared size), each sheet stops at
``PKK_WORKBOOK_MAX_ROWS`` rows, cells longer than ``PKK_WORKBOOK_MAX_CELL_CHARS`` and formulas are refused
with sheet/row/column, and checking stops after ``PKK_WORKBOOK_MAX_ERRORS`` errors (the rest is counted,
not listed). What the values mean is checked in :mod:`.checks`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from pkk.xlsx import looks_like_formula

from . import columns as c
from .columns import CellError, ImportIssue
from .plan import IssueList, Plan

INVALID = object()  # what RowReader.get returns for a cell it recorded an issue for
# Cell values a plain workbook holds; anything else (an array formula, a data table) is refused.
PLAIN_TYPES = (str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta)
# Columns read per row: the widest sheet has 30 keys; a junk row 16,384 cells wide is cut here.
MAX_COLUMNS = 64


def normalize_desa_code(value: str) -> str:
    digits = value.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return value


def message_of(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class RowReader:
    """Reads the cells of one row by key, recording each bad cell as an issue."""

    __slots__ = ("sheet", "row", "values", "colmap", "issues", "bad")

    def __init__(self, sheet: str, row: int, values: tuple, colmap: dict[str, int], issues: list[ImportIssue]):
        self.sheet, self.row, self.values, self.colmap, self.issues = sheet, row, values, colmap, issues
        self.bad = False

    def raw(self, key: str) -> Any:
        index = self.colmap.get(key)
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def get(self, key: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(self.raw(key), *args, **kwargs)
        except CellError as exc:
            self.error(key, str(exc))
        except ValidationError as exc:
            self.error(key, message_of(exc))
        return INVALID

    def error(self, key: str, reason: str) -> None:
        self.bad = True
        self.issues.append(ImportIssue(self.sheet, self.row, key, reason))


def value_or_none(v: Any) -> Any:
    return None if v is INVALID else v


def check_package(source: Any) -> str:
    """Why ``source`` is refused before any parsing ("" when it may be opened): not an .xlsx zip, or a
    package that would inflate past ``PKK_WORKBOOK_MAX_UNCOMPRESSED_MB`` (declared sizes are enforced by
    zipfile, so a member that lies about its size fails its CRC check instead of inflating further)."""
    limit = settings.PKK_WORKBOOK_MAX_UNCOMPRESSED_MB * 1024 * 1024
    position = source.tell() if hasattr(source, "tell") else None
    try:
        with zipfile.ZipFile(source) as package:
            members = package.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return (
            "Berkas bukan workbook Excel (.xlsx): isinya bukan paket .xlsx (mungkin berkas lain yang diganti "
            "namanya, atau .xls lama). Simpan ulang dari Excel/LibreOffice sebagai .xlsx."
        )
    finally:
        if position is not None:
            source.seek(position)
    if "xl/workbook.xml" not in names:
        return "Berkas bukan workbook Excel (.xlsx): bagian xl/workbook.xml tidak ada."
    if len(members) > 10_000:
        return "Berkas berisi terlalu banyak bagian untuk sebuah workbook."
    total = sum(m.file_size for m in members)
    if total > limit:
        mb = settings.PKK_WORKBOOK_MAX_UNCOMPRESSED_MB
        return (
            f"Isi berkas terlalu besar: {angka(round(total / 1024 / 1024))} MB setelah dibuka (batas {mb} MB). "
            "Bagi berkas per desa atau per dusun."
        )
    return ""


def open_workbook(source: Any, issues: IssueList) -> Any:
    """The workbook at ``source`` opened read-only, or None with the reason added to ``issues``."""
    refused = check_package(source)
    if refused:
        issues.append(ImportIssue("", 0, "", refused))
        return None
    try:
        # data_only=False: a formula cell reads as its formula ("=...") and is refused, never its cached value.
        return load_workbook(source, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not an .xlsx
        issues.append(ImportIssue("", 0, "", "Berkas tidak dapat dibaca sebagai workbook Excel (.xlsx)."))
        return None


def sheet_rows(wb: Any, sheet: str, plan: Plan) -> tuple[dict[str, int], Iterator[tuple[int, tuple]]] | None:
    """Header check; returns (key -> column index, iterator of (row number, values)) or None.

    The iterator yields only rows whose cells are plain values of sane length (others become issues),
    stops at ``PKK_WORKBOOK_MAX_ROWS`` and, once the error limit is reached, only counts the rows left.
    """
    issues = plan.issues
    if sheet not in wb.sheetnames:
        issues.append(ImportIssue(sheet, 0, "", f"Lembar “{sheet}” tidak ada di berkas."))
        return None
    ws = wb[sheet]
    ws.reset_dimensions()  # some writers store a wrong sheet size; read every row that is there
    rows = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None) or ()
    max_chars = settings.PKK_WORKBOOK_MAX_CELL_CHARS
    allowed = set(c.REQUIRED_KEYS[sheet]) | set(c.OPTIONAL_KEYS[sheet])
    colmap: dict[str, int] = {}
    ok = True
    for index, cell in enumerate(header):
        if isinstance(cell, str) and (len(cell) > max_chars or looks_like_formula(cell)):
            issues.append(ImportIssue(sheet, 1, c.column_letter(index), "Baris judul hanya berisi nama kolom."))
            ok = False
            continue
        key = c.text(cell).lower()
        if not key:
            continue
        if key not in allowed:
            issues.append(ImportIssue(sheet, 1, c.column_letter(index), f"Kolom “{key}” tidak dikenal."))
            ok = False
        elif key in colmap:
            issues.append(ImportIssue(sheet, 1, key, f"Kolom “{key}” muncul lebih dari sekali."))
            ok = False
        else:
            colmap[key] = index
    for key in c.REQUIRED_KEYS[sheet]:
        if key not in colmap:
            issues.append(ImportIssue(sheet, 1, key, f"Kolom wajib “{key}” tidak ada di baris judul."))
            ok = False
    if not ok:
        plan.unchecked_rows += sum(1 for values in rows if non_empty(values)) if issues.full else 0
        return None
    names = {index: key for key, index in colmap.items()}
    max_rows = settings.PKK_WORKBOOK_MAX_ROWS

    def numbered() -> Iterator[tuple[int, tuple]]:
        for number, values in enumerate(rows, start=2):
            # By row number, empty rows included: 1,000,000 empty rows cost no more than max_rows of them.
            if number - 1 > max_rows:
                issues.append(
                    ImportIssue(
                        sheet, number, "",
                        f"Lembar “{sheet}” lebih dari {angka(max_rows)} baris (batas per berkas, baris kosong ikut "
                        "dihitung); baris berikutnya tidak dibaca. Bagi berkas per desa atau per dusun, dan hapus "
                        "baris kosong di bawah data.",
                    )
                )  # fmt: skip
                return
            if not non_empty(values):
                continue
            if issues.full:
                plan.unchecked_rows += 1
                continue
            hostile = False
            for index, value in enumerate(values):
                reason = _hostile(value, max_chars)
                if reason:
                    issues.append(ImportIssue(sheet, number, names.get(index) or c.column_letter(index), reason))
                    hostile = True
            if hostile:
                # Skipped unread; its codes still count as written, so other rows get no second error.
                plan.skipped.append(
                    (
                        sheet,
                        number,
                        {
                            k: c.text(values[i])
                            for k, i in colmap.items()
                            if i < len(values) and not _hostile(values[i], max_chars)
                        },
                    )
                )
            else:
                yield number, values

    return colmap, numbered()


def angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def non_empty(values: tuple) -> bool:
    return bool(values) and any(v is not None and (not isinstance(v, str) or v.strip()) for v in values)


def _hostile(value: Any, max_chars: int) -> str:
    """Why a cell is refused before it is read at all ("" when it is a plain value)."""
    if value is None:
        return ""
    if not isinstance(value, PLAIN_TYPES):
        return "Sel berisi rumus atau objek Excel; rumus tidak diterima. Ketik nilainya saja."
    if isinstance(value, str):
        if looks_like_formula(value):
            shown = value if len(value) <= 40 else value[:40] + "…"
            return f"Sel berisi rumus ({shown}); rumus tidak diterima. Ketik nilainya saja (tanpa “=” di depan)."
        if len(value) > max_chars:
            return f"Isi sel terlalu panjang ({angka(len(value))} karakter, paling banyak {max_chars})."
    return ""


def skipped_rows(plan: Plan, sheet: str) -> list[tuple[str, int, dict[str, str]]]:
    return [row for row in plan.skipped if row[0] == sheet]
