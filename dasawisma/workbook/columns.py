"""The standard workbook's layout (DOMAIN.md section 8) and how one cell is read and written.

Sheets and keys are the contract. The ``warga`` sheet may carry two extra columns after the standard keys,
``jenis_kb`` and ``kode_warga_ibu``: the export writes them so that an export then import keeps every field
of a warga; an import reads them when present and does not need them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

SHEET_RUMAH_TANGGA = "rumah_tangga"
SHEET_WARGA = "warga"
SHEET_KEHAMILAN = "kehamilan"
SHEETS = (SHEET_RUMAH_TANGGA, SHEET_WARGA, SHEET_KEHAMILAN)

RUMAH_TANGGA_KEYS = [
    "kode_desa", "dusun", "rw", "rt", "dasawisma", "kode_rumah_tangga", "alamat", "kriteria_rumah",
    "tempat_sampah", "spal", "mck_septic_tank", "jumlah_jamban", "stiker_p4k", "sumber_air", "makanan_pokok",
    "up2k", "pemanfaatan_pekarangan", "industri_rumah_tangga", "kesehatan_lingkungan",
]  # fmt: skip
WARGA_KEYS = [
    "kode_warga", "kode_rumah_tangga", "kepala_rumah_tangga", "no_kk", "nik", "nama", "jenis_kelamin",
    "tempat_lahir", "tanggal_lahir", "status_perkawinan", "status_dalam_keluarga", "agama", "pendidikan",
    "pekerjaan", "akseptor_kb", "aktif_posyandu", "ikut_bkb", "memiliki_tabungan", "kelompok_belajar",
    "ikut_paud", "ikut_koperasi", "berkebutuhan_khusus", "tiga_buta", "menyusui", "akta_kelahiran",
    "tanggal_meninggal", "sebab_meninggal", "tanggal_pindah",
]  # fmt: skip
WARGA_EXTRA_KEYS = ["jenis_kb", "kode_warga_ibu"]
KEHAMILAN_KEYS = ["kode_warga_ibu", "tanggal_mulai", "hpl", "kek", "tanggal_selesai", "hasil"]

REQUIRED_KEYS = {
    SHEET_RUMAH_TANGGA: RUMAH_TANGGA_KEYS,
    SHEET_WARGA: WARGA_KEYS,
    SHEET_KEHAMILAN: KEHAMILAN_KEYS,
}
OPTIONAL_KEYS = {SHEET_RUMAH_TANGGA: [], SHEET_WARGA: WARGA_EXTRA_KEYS, SHEET_KEHAMILAN: []}
EXPORT_KEYS = {
    SHEET_RUMAH_TANGGA: RUMAH_TANGGA_KEYS,
    SHEET_WARGA: WARGA_KEYS + WARGA_EXTRA_KEYS,
    SHEET_KEHAMILAN: KEHAMILAN_KEYS,
}

YA, TIDAK = "ya", "tidak"
SUMBER_AIR = ("pdam", "sumur", "sungai", "lainnya")

# Booleans of the rumah_tangga sheet (key == model field) and of the warga sheet.
RUMAH_TANGGA_BOOLS = [
    "tempat_sampah", "spal", "mck_septic_tank", "up2k", "pemanfaatan_pekarangan", "industri_rumah_tangga",
    "kesehatan_lingkungan",
]  # fmt: skip
WARGA_BOOLS = [
    "akseptor_kb", "aktif_posyandu", "ikut_bkb", "memiliki_tabungan", "ikut_paud", "ikut_koperasi", "tiga_buta",
    "menyusui", "akta_kelahiran",
]  # fmt: skip


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


@dataclass(frozen=True)
class ImportIssue:
    """One error of an import: where (sheet, spreadsheet row, column key) and why (Bahasa Indonesia)."""

    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.column}{'' if not self.row else ' baris ' + str(self.row)}"
        return f"{where}: {self.reason}"


def column_letter(index: int) -> str:
    """0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


# ---- reading ------------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def text(value: Any, *, max_length: int | None = None) -> str:
    """A text cell: numbers read as written (1 -> "1", not "1.0"), whitespace trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.isoformat()
    out = _SPACES.sub(" ", str(value)).strip()
    if max_length is not None and len(out) > max_length:
        raise CellError(f"terlalu panjang ({len(out)} karakter, paling banyak {max_length}).")
    return out


def number_text(value: Any) -> str:
    """A NIK or No. KK: a text cell, or a whole number when the spreadsheet turned it into one."""
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("harus berupa angka tanpa koma.")
        value = int(value)
    return text(value)


def yes_no(value: Any, *, nullable: bool = False) -> bool | None:
    """``ya``/``tidak`` (any case). Empty is ``tidak``, or unknown (None) for optional yes/no items."""
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw == YA:
        return True
    if raw == TIDAK:
        return False
    if raw == "":
        return None if nullable else False
    raise CellError(f"harus “ya” atau “tidak” (tertulis “{text(value)}”).")


def date_cell(value: Any, *, required: bool = False) -> dt.date | None:
    """An Excel date or text ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if raw == "":
        if required:
            raise CellError("wajib diisi (tanggal, format YYYY-MM-DD).")
        return None
    if isinstance(value, int | float):
        raise CellError(f"bukan tanggal (tertulis {raw}); isi tanggal Excel atau teks YYYY-MM-DD.")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CellError(f"bukan tanggal yang sah (tertulis “{raw}”); gunakan format YYYY-MM-DD.")


def choice(value: Any, choices: list[str] | tuple[str, ...], *, required: bool = True, upper: bool = False) -> str:
    raw = text(value)
    raw = raw.upper() if upper else raw.lower()
    if raw == "":
        if required:
            raise CellError(f"wajib diisi; pilihan: {', '.join(c for c in choices if c)}.")
        return ""
    if raw not in choices:
        raise CellError(f"“{text(value)}” bukan pilihan yang sah; pilihan: {', '.join(c for c in choices if c)}.")
    return raw


def list_cell(value: Any, choices: tuple[str, ...]) -> list[str]:
    raw = text(value).lower()
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise CellError(f"wajib diisi: satu atau lebih dari {', '.join(choices)}, dipisah koma.")
    bad = [item for item in items if item not in choices]
    if bad:
        raise CellError(f"“{', '.join(bad)}” bukan pilihan yang sah; pilihan: {', '.join(choices)}, dipisah koma.")
    return items


def small_int(value: Any) -> int | None:
    if value is None or text(value) == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        raw = text(value)
        if not raw.isdigit():
            raise CellError(f"harus bilangan bulat 0 atau lebih (tertulis “{raw}”).")
        number = int(raw)
    if not 0 <= number <= 32767:
        raise CellError(f"harus bilangan bulat 0 sampai 32767 (tertulis {number}).")
    return number


# ---- writing ------------------------------------------------------------------------------------------


def yes_no_out(value: bool | None) -> str:
    if value is None:
        return ""
    return YA if value else TIDAK
