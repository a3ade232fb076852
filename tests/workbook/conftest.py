"""Helpers for the workbook tests: a small valid workbook as plain rows, and data built with the ORM."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from dasawisma.models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga
from dasawisma.workbook import columns as c
from pkk.models import Level, RoleAssignment, Unit

KALIBOTO = "33.06.16.2006"
KEDUNGPUCANG = "33.06.16.2004"


def rt_row(kode: str, **over) -> dict:
    row = {
        "kode_desa": KALIBOTO, "dusun": "Krajan", "rw": "01", "rt": "01", "dasawisma": "Mawar",
        "kode_rumah_tangga": kode, "alamat": "Jl. Mawar 1", "kriteria_rumah": "sehat", "tempat_sampah": "ya",
        "spal": "tidak", "mck_septic_tank": "ya", "jumlah_jamban": 1, "stiker_p4k": "", "sumber_air": "pdam,sumur",
        "makanan_pokok": "beras", "up2k": "tidak", "pemanfaatan_pekarangan": "ya", "industri_rumah_tangga": "tidak",
        "kesehatan_lingkungan": "ya",
    }  # fmt: skip
    row.update(over)
    return row


def warga_row(kode: str, kode_rt: str, **over) -> dict:
    row = {
        "kode_warga": kode, "kode_rumah_tangga": kode_rt, "kepala_rumah_tangga": "tidak",
        "no_kk": "3306101203040001", "nik": "", "nama": f"Warga {kode}", "jenis_kelamin": "L",
        "tempat_lahir": "Purworejo", "tanggal_lahir": dt.date(1980, 5, 17), "status_perkawinan": "kawin",
        "status_dalam_keluarga": "kepala_keluarga", "agama": "islam", "pendidikan": "sma", "pekerjaan": "Petani",
        "akseptor_kb": "tidak", "aktif_posyandu": "tidak", "ikut_bkb": "tidak", "memiliki_tabungan": "ya",
        "kelompok_belajar": "", "ikut_paud": "tidak", "ikut_koperasi": "tidak", "berkebutuhan_khusus": "",
        "tiga_buta": "tidak", "menyusui": "tidak", "akta_kelahiran": "ya", "tanggal_meninggal": None,
        "sebab_meninggal": "", "tanggal_pindah": None,
    }  # fmt: skip
    row.update(over)
    return row


def hamil_row(kode_ibu: str, **over) -> dict:
    row = {"kode_warga_ibu": kode_ibu, "tanggal_mulai": dt.date(2025, 3, 1), "hpl": dt.date(2025, 12, 6),
           "kek": "tidak", "tanggal_selesai": None, "hasil": ""}  # fmt: skip
    row.update(over)
    return row


def valid_rows() -> dict[str, list[dict]]:
    """Two households in Mawar and a new dasawisma; a pregnancy. Spreadsheet rows 2, 3, ... in order."""
    return {
        c.SHEET_RUMAH_TANGGA: [
            rt_row("RT-1"),
            rt_row("RT-2", rw="02", rt="05", dasawisma="Bougenville", sumber_air="sumur"),
        ],
        c.SHEET_WARGA: [
            warga_row("W-1", "RT-1", kepala_rumah_tangga="ya", nik="3306101705800001"),
            warga_row(
                "W-2",
                "RT-1",
                jenis_kelamin="P",
                nama="Siti",
                status_dalam_keluarga="istri",
                tanggal_lahir=dt.date(1990, 1, 2),
                nik="3306104201900002",
                akseptor_kb="ya",
                jenis_kb="pil",
            ),  # fmt: skip
            warga_row(
                "W-3",
                "RT-1",
                status_dalam_keluarga="anak",
                status_perkawinan="belum_kawin",
                tanggal_lahir=dt.date(2015, 7, 1),
                pendidikan="sd",
                kode_warga_ibu="W-2",
            ),  # fmt: skip
            warga_row("W-4", "RT-2", kepala_rumah_tangga="ya", no_kk="3306101203040002"),
        ],
        c.SHEET_KEHAMILAN: [hamil_row("W-2")],
    }


def write_rows(path: Path, rows: dict[str, list[dict]], *, keys: dict[str, list[str]] | None = None) -> Path:
    """Write ``rows`` as a workbook; ``keys`` overrides a sheet's header (default: the export keys)."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in c.SHEETS:
        if sheet not in rows:
            continue
        header = (keys or {}).get(sheet) or c.EXPORT_KEYS[sheet]
        ws = wb.create_sheet(sheet)
        ws.append(header)
        for row in rows[sheet]:
            ws.append([row.get(key) for key in header])
    wb.save(path)
    return path


@pytest.fixture
def book(tmp_path):
    """``book(rows=None, **kw)`` writes a workbook (valid by default) and returns its path."""
    counter = iter(range(1000))

    def make(rows: dict | None = None, **kw) -> Path:
        return write_rows(tmp_path / f"book{next(counter)}.xlsx", rows or valid_rows(), **kw)

    return make


def counts() -> dict[str, int]:
    return {
        "rumah_tangga": RumahTangga.objects.count(),
        "keluarga": Keluarga.objects.count(),
        "warga": Warga.objects.count(),
        "kehamilan": Kehamilan.objects.count(),
        "riwayat": Riwayat.objects.count(),
        "outbox": DasawismaChange.objects.count(),
        "units": Unit.objects.count(),
    }


def flush_dasawisma_data(*desas: Unit) -> None:
    """Empty the dasawisma tables and remove every unit below the given desas (the desas stay)."""
    RumahTangga.objects.update(kepala=None)
    Warga.objects.update(ibu=None)
    Kehamilan.objects.all().delete()
    Warga.objects.all().delete()
    Keluarga.objects.all().delete()
    RumahTangga.objects.all().delete()
    Riwayat.objects.all().delete()
    DasawismaChange.objects.all().delete()
    for level in (Level.DASAWISMA, Level.RT, Level.RW, Level.DUSUN):
        units = Unit.objects.subtree_of_any(desas).filter(level=level)
        RoleAssignment.objects.filter(unit__in=units).delete()
        units.delete()
