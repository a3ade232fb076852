"""Read and check the standard workbook, cell by cell, before anything is written.

``parse_workbook`` returns a :class:`Plan`: unsaved model instances for every row plus the issues found.
Every cell is checked; every problem becomes one :class:`ImportIssue` (sheet, row, column, reason). Checks
that need the database (the desa and the importer's scope, NIKs already registered, a file imported
twice) run in a constant number of queries over the whole file, never one per row.

Hostile files are refused before and while parsing, so one upload cannot exhaust a worker (issue 12):
the package is inspected first (a real .xlsx zip, total uncompressed size under
``PKK_WORKBOOK_MAX_UNCOMPRESSED_MB``: a shared-strings zip bomb is refused without inflating anything;
Python's zipfile never inflates a member past its declared size), each sheet stops at
``PKK_WORKBOOK_MAX_ROWS`` rows, cells longer than ``PKK_WORKBOOK_MAX_CELL_CHARS`` and formulas are refused
with sheet/row/column, and checking stops after ``PKK_WORKBOOK_MAX_ERRORS`` errors (the rest is counted,
not listed).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from openpyxl import load_workbook

from pkk.models import PATH_END, PATH_SEGMENT, Level, Role, Unit
from pkk.scope import can, is_global, scope_units, unit_in_scope
from pkk.xlsx import looks_like_formula

from ..models import (
    Agama,
    BerkebutuhanKhusus,
    HasilKehamilan,
    JenisKelamin,
    Kehamilan,
    KelompokBelajar,
    KriteriaRumah,
    MakananPokok,
    Pendidikan,
    RumahTangga,
    StatusDalamKeluarga,
    StatusPerkawinan,
    Warga,
)
from ..validators import (
    nik_warnings,
    validate_after_birth,
    validate_nik,
    validate_no_kk,
    validate_not_too_old,
    validate_tiga_buta,
    validate_usia_subur,
)
from . import columns as c
from .columns import CellError, ImportIssue

# Roles that may import into a desa (DOMAIN.md section 2: TP PKK desa and up).
# Who writes dasawisma data through the workbook: the TP PKK desa (DOMAIN.md section 2: pembina and admin
# read, they do not write dasawisma data). Kader enter data in the forms.
IMPORT_ROLES = (Role.TP_PKK_DESA,)
CHUNK = 900  # values per IN (...) query: below SQLite's historical 999-parameter limit
SUB_DESA_LEVELS = (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA)
NUMBERED_LEVELS = (Level.RW, Level.RT)
_INVALID = object()
_NONE_WORDS = {"", "tidak", "-", "tidak ada", "tidak ikut"}


@dataclass(slots=True)
class RumahTanggaRow:
    row: int
    kode: str
    desa_code: str
    names: tuple[str, str, str, str]  # dusun ("" = none), rw, rt, dasawisma, as written
    obj: RumahTangga
    sumber_air: list[str] = field(default_factory=list)
    desa: Unit | None = None
    dasawisma_key: tuple | None = None  # key into Plan.units
    kepala: WargaRow | None = None
    n_warga: int = 0
    n_kehamilan: int = 0


@dataclass(slots=True)
class WargaRow:
    row: int
    kode: str
    kode_rumah_tangga: str
    kepala: bool
    kode_ibu: str
    obj: Warga
    rumah_tangga: RumahTanggaRow | None = None
    ibu: WargaRow | None = None


@dataclass(slots=True)
class KehamilanRow:
    row: int
    kode_ibu: str
    obj: Kehamilan
    ibu: WargaRow | None = None


@dataclass(slots=True)
class PlannedUnit:
    """A unit below a desa named by the file: found (``unit_id``) or to be created."""

    level: str
    name: str
    parent_key: tuple | None  # None: directly under the desa
    desa_id: int
    unit_id: int | None = None


class IssueList(list):
    """The first ``limit`` issues; later ones are only counted (``more``): a junk file must not build a page
    of a million errors."""

    def __init__(self, limit: int | None = None):
        super().__init__()
        self.limit = max(1, limit if limit is not None else settings.PKK_WORKBOOK_MAX_ERRORS)
        self.more = 0

    def append(self, issue: ImportIssue) -> None:
        if len(self) < self.limit:
            super().append(issue)
        else:
            self.more += 1

    @property
    def full(self) -> bool:
        return len(self) >= self.limit


# Cell values a plain workbook holds; anything else (an array formula, a data table) is refused.
PLAIN_TYPES = (str, int, float, bool, dt.date, dt.datetime, dt.time, dt.timedelta)
# Columns read per row: the widest sheet has 30 keys; a junk row 16,384 cells wide is cut here.
MAX_COLUMNS = 64


@dataclass
class Plan:
    issues: IssueList = field(default_factory=IssueList)
    unchecked_rows: int = 0  # rows not checked because checking stopped at the error limit
    skipped: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # rows with a refused cell
    rumah_tangga: list[RumahTanggaRow] = field(default_factory=list)
    warga: list[WargaRow] = field(default_factory=list)
    kehamilan: list[KehamilanRow] = field(default_factory=list)
    desas: dict[int, Unit] = field(default_factory=dict)
    units: dict[tuple, PlannedUnit] = field(default_factory=dict)  # insertion order is top-down
    nik_warnings: int = 0
    rt_codes: dict[str, int] = field(default_factory=dict)  # every kode_rumah_tangga written -> row
    warga_codes: dict[str, int] = field(default_factory=dict)  # every kode_warga written -> row
    rt_read: bool = False  # the rumah_tangga sheet and its header were readable
    warga_read: bool = False  # the warga sheet and its header were readable
    unsure_kepala: set[str] = field(default_factory=set)  # households with a rejected row that may be the kepala

    @property
    def ok(self) -> bool:
        return not self.issues


def name_key(level: str, name: str) -> str:
    """How unit names are matched: case and spacing ignored; RW/RT numbers by value ("1" == "01")."""
    name = re.sub(r"\s+", " ", name).strip().casefold()
    if level in NUMBERED_LEVELS and name.isdigit():
        return str(int(name))
    return name


def unit_name(level: str, name: str) -> str:
    """The name a new unit gets: RW and RT numbers zero-padded to two digits like the rest of the tree."""
    name = re.sub(r"\s+", " ", name).strip()
    if level in NUMBERED_LEVELS and name.isdigit():
        return f"{int(name):02d}"
    return name


def normalise_desa_code(value: str) -> str:
    digits = value.replace(".", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return value


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class _RowReader:
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
            self.error(key, _message(exc))
        return _INVALID

    def error(self, key: str, reason: str) -> None:
        self.bad = True
        self.issues.append(ImportIssue(self.sheet, self.row, key, reason))


def _required_text(value: Any, max_length: int) -> str:
    out = c.text(value, max_length=max_length)
    if not out:
        raise CellError("wajib diisi.")
    return out


def _rw_rt_number(value: Any, max_length: int) -> str:
    """RW and RT are numbers, stored as in the structure pages ("1", "001", "RT 1" -> "01"; issue 10)."""
    from pkk.services import unit_number

    out = _required_text(value, max_length)
    try:
        return unit_number(Level.RT, out)
    except ValidationError:
        raise CellError(f"harus berupa nomor (angka 1 sampai 999, mis. 01), bukan “{out}”.") from None


def _optional_choice(value: Any, choices: list[str]) -> str:
    if c.text(value).lower() in _NONE_WORDS:
        return ""
    return c.choice(value, choices, required=False)


def _date_checked(value: Any, today: dt.date, *, required: bool = False) -> dt.date | None:
    out = c.date_cell(value, required=required)
    if out is not None and out > today:
        raise CellError(f"tanggal {out:%d-%m-%Y} ada di masa depan.")
    return out


def _birth_date(value: Any, today: dt.date) -> dt.date | None:
    """Required, not in the future, not more than 120 years ago (as the form; issue 10)."""
    out = _date_checked(value, today, required=True)
    try:
        validate_not_too_old(out, "Tanggal lahir", today)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return out


def _values(v: Any) -> Any:
    return None if v is _INVALID else v


def _sheet_rows(wb: Any, sheet: str, plan: Plan) -> tuple[dict[str, int], Iterator[tuple[int, tuple]]] | None:
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
        plan.unchecked_rows += sum(1 for values in rows if _non_empty(values)) if issues.full else 0
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
                        f"Lembar “{sheet}” lebih dari {_angka(max_rows)} baris (batas per berkas, baris kosong ikut "
                        "dihitung); baris berikutnya tidak dibaca. Bagi berkas per desa atau per dusun, dan hapus "
                        "baris kosong di bawah data.",
                    )
                )  # fmt: skip
                return
            if not _non_empty(values):
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


def _angka(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _non_empty(values: tuple) -> bool:
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
            return f"Isi sel terlalu panjang ({_angka(len(value))} karakter, paling banyak {max_chars})."
    return ""


def _skipped(plan: Plan, sheet: str) -> list[tuple[str, int, dict[str, str]]]:
    return [row for row in plan.skipped if row[0] == sheet]


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
            f"Isi berkas terlalu besar: {_angka(round(total / 1024 / 1024))} MB setelah dibuka (batas {mb} MB). "
            "Bagi berkas per desa atau per dusun."
        )
    return ""


def parse_workbook(source: Any, *, actor: Any = None, today: dt.date | None = None) -> Plan:
    """Check every cell of the workbook at ``source`` (a path or a file object)."""
    today = today or timezone.localdate()
    plan = Plan()
    issues = plan.issues
    refused = check_package(source)
    if refused:
        issues.append(ImportIssue("", 0, "", refused))
        return plan
    try:
        # data_only=False: a formula cell reads as its formula ("=...") and is refused, never its cached value.
        wb = load_workbook(source, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not an .xlsx
        issues.append(ImportIssue("", 0, "", "Berkas tidak dapat dibaca sebagai workbook Excel (.xlsx)."))
        return plan
    try:
        _parse_rumah_tangga(wb, plan, today)
        _parse_warga(wb, plan, today)
        _parse_kehamilan(wb, plan, today)
    finally:
        wb.close()
    if issues.full:
        # Checking stopped: what needs every row (households, the database) would only add noise.
        _sort(issues)
        return plan
    _check_households(plan)
    _resolve_desas(plan, actor)
    _resolve_units(plan)
    _check_database(plan, actor)
    _sort(issues)
    return plan


def _sort(issues: list[ImportIssue]) -> None:
    issues.sort(key=lambda i: (c.SHEETS.index(i.sheet) if i.sheet in c.SHEETS else -1, i.row))


# ---- rumah_tangga ---------------------------------------------------------------------------------------


def _parse_rumah_tangga(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_RUMAH_TANGGA
    found = _sheet_rows(wb, sheet, plan)
    if found is None:
        return
    plan.rt_read = True
    colmap, rows = found
    seen: dict[str, int] = {}
    kriteria = list(KriteriaRumah.values)
    makanan = list(MakananPokok.values)
    for number, values in rows:
        r = _RowReader(sheet, number, values, colmap, plan.issues)
        desa_code = r.get("kode_desa", _required_text, 20)
        dusun = r.get("dusun", c.text, max_length=120)
        rw = r.get("rw", _rw_rt_number, 120)
        rt = r.get("rt", _rw_rt_number, 120)
        dasawisma = r.get("dasawisma", _required_text, 120)
        kode = r.get("kode_rumah_tangga", _required_text, 40)
        if kode is not _INVALID:
            if kode in seen:
                r.error("kode_rumah_tangga", f"Kode rumah tangga “{kode}” sudah dipakai di baris {seen[kode]}.")
            else:
                seen[kode] = number
        fields: dict[str, Any] = {
            "alamat": r.get("alamat", c.text, max_length=200),
            "kriteria_rumah": r.get("kriteria_rumah", c.choice, kriteria),
            "jumlah_jamban": r.get("jumlah_jamban", c.small_int),
            "stiker_p4k": r.get("stiker_p4k", c.yes_no, nullable=True),
            "makanan_pokok": r.get("makanan_pokok", c.choice, makanan),
        }
        for key in c.RUMAH_TANGGA_BOOLS:
            fields[key] = r.get(key, c.yes_no)
        sumber = r.get("sumber_air", c.list_cell, c.SUMBER_AIR)
        if r.bad:
            continue
        for item in c.SUMBER_AIR:
            fields[f"sumber_air_{item}"] = item in sumber
        obj = RumahTangga(kode=kode, **fields)
        plan.rumah_tangga.append(
            RumahTanggaRow(
                row=number,
                kode=kode,
                desa_code=normalise_desa_code(desa_code),
                names=(dusun, rw, rt, dasawisma),
                obj=obj,
                sumber_air=sumber,
            )
        )
    # Codes of rows that had other errors still count as present, so warga rows do not get a second error.
    for _, number, cells in _skipped(plan, sheet):
        seen.setdefault(cells.get("kode_rumah_tangga", ""), number)
    plan.rt_codes = seen


# ---- warga ----------------------------------------------------------------------------------------------


def _parse_warga(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_WARGA
    found = _sheet_rows(wb, sheet, plan)
    if found is None:
        return
    plan.warga_read = True
    colmap, rows = found
    rt_codes = plan.rt_codes
    rt_by_kode = {row.kode: row for row in plan.rumah_tangga}
    seen: dict[str, int] = {}
    niks: dict[str, int] = {}
    jk = list(JenisKelamin.values)
    perkawinan = list(StatusPerkawinan.values)
    dalam_keluarga = list(StatusDalamKeluarga.values)
    agama = list(Agama.values)
    pendidikan = list(Pendidikan.values)
    belajar = list(KelompokBelajar.values)
    khusus = list(BerkebutuhanKhusus.values)
    for number, values in rows:
        r = _RowReader(sheet, number, values, colmap, plan.issues)
        kode = r.get("kode_warga", _required_text, 40)
        if kode is not _INVALID:
            if kode in seen:
                r.error("kode_warga", f"Kode warga “{kode}” sudah dipakai di baris {seen[kode]}.")
            else:
                seen[kode] = number
        kode_rt = r.get("kode_rumah_tangga", _required_text, 40)
        if kode_rt is not _INVALID and plan.rt_read and kode_rt not in rt_codes:
            r.error("kode_rumah_tangga", f"Rumah tangga “{kode_rt}” tidak ada di lembar rumah_tangga.")
        kepala = r.get("kepala_rumah_tangga", c.yes_no)
        no_kk = r.get("no_kk", lambda v: validate_no_kk(c.number_text(v)))
        nik = r.get("nik", lambda v: validate_nik(c.number_text(v)))
        if nik not in (_INVALID, None):
            if nik in niks:
                r.error("nik", f"NIK {nik} sudah dipakai di baris {niks[nik]}.")
            else:
                niks[nik] = number
        tanggal_lahir = r.get("tanggal_lahir", _birth_date, today)
        fields: dict[str, Any] = {
            "nama": r.get("nama", _required_text, 120),
            "jenis_kelamin": r.get("jenis_kelamin", c.choice, jk, upper=True),
            "tempat_lahir": r.get("tempat_lahir", c.text, max_length=80),
            "status_perkawinan": r.get("status_perkawinan", c.choice, perkawinan),
            "status_dalam_keluarga": r.get("status_dalam_keluarga", c.choice, dalam_keluarga),
            "agama": r.get("agama", c.choice, agama),
            "pendidikan": r.get("pendidikan", c.choice, pendidikan),
            "pekerjaan": r.get("pekerjaan", c.text, max_length=80),
            "kelompok_belajar": r.get("kelompok_belajar", _optional_choice, belajar),
            "berkebutuhan_khusus": r.get("berkebutuhan_khusus", _optional_choice, khusus),
            "sebab_meninggal": r.get("sebab_meninggal", c.text, max_length=120),
            "jenis_kb": r.get("jenis_kb", c.text, max_length=40),
        }
        for key in c.WARGA_BOOLS:
            fields[key] = r.get(key, c.yes_no)
        meninggal = r.get("tanggal_meninggal", _date_checked, today)
        pindah = r.get("tanggal_pindah", _date_checked, today)
        kode_ibu = r.get("kode_warga_ibu", c.text, max_length=40)
        lahir = _values(tanggal_lahir)
        if lahir is not None:
            for key, value, label in (("tanggal_meninggal", meninggal, "Tanggal meninggal"),
                                      ("tanggal_pindah", pindah, "Tanggal pindah")):  # fmt: skip
                if value not in (_INVALID, None):
                    try:
                        validate_after_birth(value, lahir, label)
                    except ValidationError as exc:
                        r.error(key, _message(exc))
            if fields["tiga_buta"] is True:
                try:
                    validate_tiga_buta(True, lahir, today)
                except ValidationError as exc:
                    r.error("tiga_buta", _message(exc))
        if fields["sebab_meninggal"] not in (_INVALID, "") and meninggal is None:
            r.error("sebab_meninggal", "Sebab meninggal hanya diisi bila tanggal_meninggal diisi.")
        if fields["menyusui"] is True and fields["jenis_kelamin"] == JenisKelamin.L:
            r.error("menyusui", "Sedang menyusui hanya untuk warga perempuan.")
        if fields["akseptor_kb"] is False:
            fields["jenis_kb"] = ""  # as the form does: a jenis KB without akseptor KB is dropped
        if r.bad:
            if kepala is not False and kode_rt is not _INVALID:
                plan.unsure_kepala.add(kode_rt)
            continue
        warga = Warga(
            kode=kode,
            no_kk=no_kk,
            nik=nik,
            tanggal_lahir=lahir,
            tanggal_meninggal=meninggal,
            tanggal_pindah=pindah,
            **fields,
        )
        if nik and nik_warnings(nik, lahir, warga.jenis_kelamin):
            plan.nik_warnings += 1
        row = WargaRow(row=number, kode=kode, kode_rumah_tangga=kode_rt, kepala=kepala, kode_ibu=kode_ibu, obj=warga)
        row.rumah_tangga = rt_by_kode.get(kode_rt)
        plan.warga.append(row)
    for _, number, cells in _skipped(plan, sheet):
        seen.setdefault(cells.get("kode_warga", ""), number)
        if cells.get("kepala_rumah_tangga", "").lower() != c.TIDAK and cells.get("kode_rumah_tangga"):
            plan.unsure_kepala.add(cells["kode_rumah_tangga"])
    plan.warga_codes = seen
    # Mothers named in the warga sheet's optional kode_warga_ibu column.
    by_kode = {w.kode: w for w in plan.warga}
    for w in plan.warga:
        if not w.kode_ibu:
            continue
        ibu = by_kode.get(w.kode_ibu)
        if ibu is None:
            if w.kode_ibu not in seen:
                plan.issues.append(
                    ImportIssue(sheet, w.row, "kode_warga_ibu", f"Warga “{w.kode_ibu}” tidak ada di lembar warga.")
                )
        else:
            reason = ""
            if ibu is w:
                reason = "Ibu tidak boleh warga itu sendiri."
            elif ibu.obj.jenis_kelamin != JenisKelamin.P:
                reason = f"Ibu harus warga perempuan; “{w.kode_ibu}” laki-laki."
            elif ibu.obj.tanggal_lahir >= w.obj.tanggal_lahir:
                reason = "Ibu harus lahir sebelum anaknya."
            elif ibu.rumah_tangga and w.rumah_tangga and ibu.rumah_tangga.names != w.rumah_tangga.names:
                reason = "Ibu harus warga dasawisma yang sama."
            if reason:
                plan.issues.append(ImportIssue(sheet, w.row, "kode_warga_ibu", reason))
            else:
                w.ibu = ibu


# ---- kehamilan ------------------------------------------------------------------------------------------


def _parse_kehamilan(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_KEHAMILAN
    found = _sheet_rows(wb, sheet, plan)
    if found is None:
        return
    colmap, rows = found
    warga_codes = plan.warga_codes
    by_kode = {w.kode: w for w in plan.warga}
    hasil_choices = list(HasilKehamilan.values)
    for number, values in rows:
        r = _RowReader(sheet, number, values, colmap, plan.issues)
        kode_ibu = r.get("kode_warga_ibu", _required_text, 40)
        mulai = r.get("tanggal_mulai", _date_checked, today, required=True)
        hpl = r.get("hpl", c.date_cell)
        kek = r.get("kek", c.yes_no, nullable=True)
        selesai = r.get("tanggal_selesai", _date_checked, today)
        hasil = r.get("hasil", c.choice, hasil_choices, required=False)
        ibu = None
        if kode_ibu is not _INVALID:
            ibu = by_kode.get(kode_ibu)
            if ibu is None and plan.warga_read and kode_ibu not in warga_codes:
                r.error("kode_warga_ibu", f"Warga “{kode_ibu}” tidak ada di lembar warga.")
            elif ibu is not None and ibu.obj.jenis_kelamin != JenisKelamin.P:
                r.error("kode_warga_ibu", f"Kehamilan hanya untuk warga perempuan; “{kode_ibu}” laki-laki.")
        mulai_ok = mulai not in (_INVALID, None)
        if mulai_ok and hpl not in (_INVALID, None) and hpl < mulai:
            r.error("hpl", "HPL tidak boleh sebelum tanggal mulai.")
        if mulai_ok and selesai not in (_INVALID, None) and selesai < mulai:
            r.error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if selesai not in (_INVALID, None) and hasil == "":
            r.error("hasil", "Hasil wajib diisi bila tanggal_selesai diisi.")
        if selesai is None and hasil not in (_INVALID, ""):
            r.error("tanggal_selesai", "Tanggal selesai wajib diisi bila hasil diisi.")
        if ibu is not None and mulai_ok and ibu.obj.jenis_kelamin == JenisKelamin.P:
            lahir = ibu.obj.tanggal_lahir
            if mulai < lahir:
                r.error("tanggal_mulai", "Tanggal mulai tidak boleh sebelum tanggal lahir ibu.")
            else:
                try:
                    validate_usia_subur(lahir, mulai)
                except ValidationError as exc:
                    r.error("tanggal_mulai", _message(exc))
            left = ibu.obj.tanggal_meninggal or ibu.obj.tanggal_pindah
            if left is not None and left < mulai:
                r.error("tanggal_mulai", f"Tanggal mulai: ibu sudah meninggal atau pindah pada {left:%d-%m-%Y}.")
        if r.bad:
            continue
        obj = Kehamilan(tanggal_mulai=mulai, hpl=hpl, kek=kek, tanggal_selesai=selesai, hasil=hasil)
        plan.kehamilan.append(KehamilanRow(row=number, kode_ibu=kode_ibu, obj=obj, ibu=ibu))
    _check_overlaps(plan)


def _check_overlaps(plan: Plan) -> None:
    """Pregnancies of one mother must not overlap; at most one is still open (no tanggal_selesai)."""
    by_ibu: dict[str, list[KehamilanRow]] = defaultdict(list)
    for k in plan.kehamilan:
        if k.ibu is not None:
            by_ibu[k.kode_ibu].append(k)
    for rows in by_ibu.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda k: (k.obj.tanggal_mulai, k.row))
        for prev, cur in zip(rows, rows[1:], strict=False):
            # Same rule as the form: a new pregnancy may start on the day the previous one ended.
            end = prev.obj.tanggal_selesai or dt.date.max
            if cur.obj.tanggal_mulai < end or cur.obj.tanggal_mulai == prev.obj.tanggal_mulai:
                plan.issues.append(
                    ImportIssue(
                        c.SHEET_KEHAMILAN,
                        cur.row,
                        "tanggal_mulai",
                        f"Kehamilan ini bertumpang tindih dengan kehamilan ibu yang sama di baris {prev.row}.",
                    )
                )


# ---- households, desa and units -------------------------------------------------------------------------


def _check_households(plan: Plan) -> None:
    """Exactly one kepala rumah tangga (``ya``) per household."""
    for w in plan.warga:
        rt = w.rumah_tangga
        if rt is None:
            continue
        rt.n_warga += 1
        if w.kepala:
            if rt.kepala is None:
                rt.kepala = w
            else:
                plan.issues.append(
                    ImportIssue(
                        c.SHEET_WARGA,
                        w.row,
                        "kepala_rumah_tangga",
                        f"Rumah tangga “{rt.kode}” sudah punya kepala rumah tangga (baris {rt.kepala.row}).",
                    )
                )
    for k in plan.kehamilan:
        if k.ibu is not None and k.ibu.rumah_tangga is not None:
            k.ibu.rumah_tangga.n_kehamilan += 1
    if not plan.warga_read:
        return
    for rt in plan.rumah_tangga:
        # A household whose possible kepala row was rejected for another reason is not reported twice.
        if rt.kepala is None and rt.kode not in plan.unsure_kepala:
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    rt.row,
                    "kode_rumah_tangga",
                    f"Rumah tangga “{rt.kode}” tidak punya kepala rumah tangga: tandai tepat satu warganya "
                    "dengan kepala_rumah_tangga = ya.",
                )
            )


def _resolve_desas(plan: Plan, actor: Any) -> None:
    codes = {rt.desa_code for rt in plan.rumah_tangga}
    if not codes:
        return
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, level=Level.DESA, is_active=True)}
    allowed: dict[str, bool] = {}
    for code, desa in found.items():
        allowed[code] = (
            actor is None or is_global(actor) or (unit_in_scope(actor, desa) and can(actor, desa, *IMPORT_ROLES))
        )
    for rt in plan.rumah_tangga:
        desa = found.get(rt.desa_code)
        if desa is None or not allowed[rt.desa_code]:
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    rt.row,
                    "kode_desa",
                    f"Desa/kelurahan dengan kode “{rt.desa_code}” tidak ditemukan atau di luar wilayah Anda.",
                )
            )
            continue
        rt.desa = desa
        plan.desas[desa.pk] = desa


def _resolve_units(plan: Plan) -> None:
    """Match dusun/RW/RT/dasawisma names with the units under each desa (one query); plan the missing."""
    if not plan.desas:
        return
    existing: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)  # (parent id, level) -> {name key: id}
    units = Unit.objects.subtree_of_any(plan.desas.values()).filter(level__in=SUB_DESA_LEVELS, is_active=True)
    for pk, parent_id, level, name in units.values_list("pk", "parent_id", "level", "name").order_by("pk"):
        existing[(parent_id, level)].setdefault(name_key(level, name), pk)
    for rt in plan.rumah_tangga:
        if rt.desa is None:
            continue
        dusun, rw, rtn, dasawisma = rt.names
        parent_key: tuple | None = None
        parent_id: int | None = rt.desa.pk
        chain = ([(Level.DUSUN, dusun)] if dusun else []) + [
            (Level.RW, rw),
            (Level.RT, rtn),
            (Level.DASAWISMA, dasawisma),
        ]
        for level, name in chain:
            key = (parent_key or (rt.desa.pk,)) + ((level, name_key(level, name)),)
            planned = plan.units.get(key)
            if planned is None:
                unit_id = existing.get((parent_id, level), {}).get(name_key(level, name)) if parent_id else None
                planned = PlannedUnit(
                    level=level, name=unit_name(level, name), parent_key=parent_key, desa_id=rt.desa.pk, unit_id=unit_id
                )
                plan.units[key] = planned
            parent_key, parent_id = key, planned.unit_id
        rt.dasawisma_key = parent_key


def _check_database(plan: Plan, actor: Any) -> None:
    """NIKs already registered; households and warga of this file already imported into the same desa."""
    niks = {w.obj.nik: w for w in plan.warga if w.obj.nik}
    nik_list = list(niks)
    taken: list[tuple[str, str, str, str]] = []
    for start in range(0, len(nik_list), CHUNK):
        chunk = nik_list[start : start + CHUNK]
        taken += Warga.objects.filter(nik__in=chunk).values_list("nik", "nama", "no_registrasi", "dasawisma__path")
    labels = _dasawisma_labels({path for *_, path in taken if _path_visible(actor, path)})
    for nik, nama, no_registrasi, path in taken:
        if path in labels:
            reason = f"NIK sudah terdaftar untuk warga lain: {nama} ({labels[path]}, No. Registrasi {no_registrasi})."
        else:
            # Outside the importer's scope: say that it exists, never where (UU 27/2022).
            reason = "NIK sudah terdaftar untuk warga di wilayah lain. Periksa kembali NIK, atau hubungi TP PKK desa."
        plan.issues.append(ImportIssue(c.SHEET_WARGA, niks[nik].row, "nik", reason))
    if not plan.desas:
        return
    scope = Q(pk__in=[])
    for desa in plan.desas.values():
        scope |= Q(dasawisma__path__gte=desa.path, dasawisma__path__lt=desa.path + PATH_END)
    desa_path = {pk: d.path for pk, d in plan.desas.items()}

    def clashes(model: type, rows: list, desa_of_row: Callable[[Any], Unit | None]) -> Iterator[tuple[Any, str]]:
        by_kode: dict[str, list] = defaultdict(list)
        for row in rows:
            if desa_of_row(row) is not None:
                by_kode[row.kode].append(row)
        kodes = list(by_kode)
        for start in range(0, len(kodes), CHUNK):
            chunk = kodes[start : start + CHUNK]
            for kode, path in model.objects.filter(scope, kode__in=chunk).values_list("kode", "dasawisma__path"):
                for row in by_kode[kode]:
                    desa = desa_of_row(row)
                    if path.startswith(desa_path[desa.pk]):
                        yield row, desa.label

    reported: set[int] = set()
    for row, label in clashes(RumahTangga, plan.rumah_tangga, lambda r: r.desa):
        if row.row not in reported:
            reported.add(row.row)
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    row.row,
                    "kode_rumah_tangga",
                    f"Kode rumah tangga “{row.kode}” sudah ada di {label}: berkas ini (atau bagiannya) sudah "
                    "pernah diimpor. Impor hanya menambah data baru; ubah data yang sudah ada lewat formulir.",
                )
            )
    reported.clear()
    warga_with_desa = [w for w in plan.warga if w.rumah_tangga is not None]
    for row, label in clashes(Warga, warga_with_desa, lambda w: w.rumah_tangga.desa):
        if row.row not in reported:
            reported.add(row.row)
            plan.issues.append(
                ImportIssue(c.SHEET_WARGA, row.row, "kode_warga", f"Kode warga “{row.kode}” sudah ada di {label}.")
            )


def _path_visible(actor: Any, path: str) -> bool:
    if actor is None or is_global(actor):
        return True
    return any(path.startswith(u.path) for u in scope_units(actor))


def _dasawisma_labels(paths: set[str]) -> dict[str, str]:
    """path -> "Dasawisma Mawar, RT 01, RW 01, Desa Kaliboto" for each path, in one query."""
    split = {p: [int(p[i : i + PATH_SEGMENT]) for i in range(0, len(p), PATH_SEGMENT)] for p in paths}
    ids = {i for chain in split.values() for i in chain}
    id_list = sorted(ids)
    levels = (Level.DESA, *SUB_DESA_LEVELS)
    units: dict[int, Unit] = {}
    for start in range(0, len(id_list), CHUNK):
        chunk = id_list[start : start + CHUNK]
        units.update(
            (u.pk, u) for u in Unit.objects.filter(pk__in=chunk, level__in=levels).only("level", "name", "kind")
        )
    return {p: ", ".join(units[i].label for i in reversed(chain) if i in units) for p, chain in split.items()}
