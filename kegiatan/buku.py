"""Buku Kegiatan (lampiran 4.13) as data: one definition of its columns drives the page, the Excel sheet
and the tests. Rows are the unit's own kegiatan of a year, in date order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pkk.models import Kind, Level, PengurusTpPkk, Unit

from .models import Kegiatan, Pokja
from .selectors import buku_kegiatan_rows

LAMPIRAN = "4.13"
BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@dataclass(frozen=True)
class Kolom:
    key: str
    label: str
    group: str | None  # the header above it (KEGIATAN), or None: one label over both header rows
    width: float  # Excel column width (characters)
    kind: str  # no | text | date | sign


KOLOM: tuple[Kolom, ...] = (
    Kolom("no", "NO", None, 5, "no"),
    Kolom("nama", "NAMA", None, 20, "text"),
    Kolom("jabatan", "JABATAN", None, 20, "text"),
    Kolom("tanggal", "TANGGAL", "KEGIATAN", 12, "date"),
    Kolom("tempat", "TEMPAT", "KEGIATAN", 20, "text"),
    Kolom("uraian", "URAIAN", "KEGIATAN", 50, "text"),
    Kolom("ttd", "TANDA TANGAN", None, 16, "sign"),
)


def tanggal_indonesia(d: dt.date) -> str:
    """3 Desember 2026."""
    return f"{d.day} {BULAN[d.month - 1]} {d.year}"


def nama_tempat(unit: Unit) -> str:
    """The place in the signature line: the unit's own name ("Kaliboto", "Bener", "Purworejo")."""
    name = unit.name
    for prefix in ("Kabupaten ", "Kota ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def tim_penggerak(unit: Unit) -> str:
    """TP PKK Desa Kaliboto / TP PKK Kecamatan Bener / TP PKK Kabupaten Purworejo."""
    if unit.level == Level.KABUPATEN:
        kind = "Kota" if unit.kind == Kind.KOTA else "Kabupaten"
        return f"TP PKK {kind} {nama_tempat(unit)}"
    return f"TP PKK {unit.label}"


def uraian_text(k: Kegiatan) -> str:
    """URAIAN: title, description, then pokja/program and participants on their own line."""
    where = k.get_pokja_display() if k.pokja == Pokja.SEKRETARIAT else f"{k.get_pokja_display()}, {k.program_label}"
    return f"{k.judul}\n{k.uraian.strip()}\n({where}; {k.jumlah_peserta} peserta)"


@dataclass(frozen=True)
class BukuRow:
    no: int
    nama: str
    jabatan: str
    tanggal: dt.date
    tempat: str
    uraian: str
    kegiatan_id: int

    def value(self, key: str):
        return {
            "no": self.no,
            "nama": self.nama,
            "jabatan": self.jabatan,
            "tanggal": self.tanggal,
            "tempat": self.tempat,
            "uraian": self.uraian,
            "ttd": "",
        }[key]


@dataclass(frozen=True)
class BukuKegiatan:
    unit: Unit
    tahun: int
    title: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]
    rows: tuple[BukuRow, ...]
    tempat_tanggal: str  # "Kaliboto, 6 Desember 2026"
    signature_left: tuple[str, ...]
    signature_right: tuple[str, ...]
    nama_kiri: str = ""  # the ketua's name when recorded (PengurusTpPkk), else ""
    nama_kanan: str = ""  # the sekretaris's name
    kolom: tuple[Kolom, ...] = KOLOM

    @property
    def nama_baris(self) -> tuple[str, str]:
        """The lines under the signatures: the names, or dots to write them in."""
        return (self.nama_kiri or TITIK, self.nama_kanan or TITIK)

    @property
    def file_name(self) -> str:
        slug = "-".join(nama_tempat(self.unit).lower().split())
        return f"buku-kegiatan-{self.unit.level}-{slug}-{self.tahun}.xlsx"


TITIK = "(.......................................)"

META_LABEL = {
    Level.PROVINSI: "PROVINSI",
    Level.KABUPATEN: "KABUPATEN/KOTA",
    Level.KECAMATAN: "KECAMATAN",
    Level.DESA: "DESA/KELURAHAN",
}


def buku_kegiatan(unit: Unit, tahun: int, *, today: dt.date | None = None) -> BukuKegiatan:
    """The unit's Buku Kegiatan for ``tahun`` (one query each for the rows, the ancestors and the office
    holders)."""
    today = today or timezone.localdate()
    rows = tuple(
        BukuRow(i, k.nama, k.jabatan, k.tanggal, k.tempat, uraian_text(k), k.pk)
        for i, k in enumerate(buku_kegiatan_rows(unit, tahun), start=1)
    )
    chain = unit.ancestors(include_self=True)
    meta = [(META_LABEL[u.level], nama_tempat(u)) for u in reversed(chain) if u.level in META_LABEL]
    meta.append(("TAHUN", str(tahun)))
    tp = tim_penggerak(unit)
    pengurus = PengurusTpPkk.objects.filter(unit=unit).first()
    return BukuKegiatan(
        unit=unit,
        tahun=tahun,
        title=("BUKU KEGIATAN", tp.upper()),
        meta=tuple(meta),
        rows=rows,
        tempat_tanggal=f"{nama_tempat(unit)}, {tanggal_indonesia(today)}",
        signature_left=("Mengetahui,", f"Ketua {tp}"),
        signature_right=(f"Sekretaris {tp}",),
        nama_kiri=pengurus.ketua.strip() if pengurus else "",
        nama_kanan=pengurus.sekretaris.strip() if pengurus else "",
    )
