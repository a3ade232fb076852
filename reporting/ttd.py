"""The signature block under every sheet (page and Excel alike): the place and date line, and for each of
the two signers the heading ("Mengetahui," / "Yang membuat,"), the full title naming the unit ("Ketua TP
PKK Kabupaten Purworejo") and the name when the unit's office holders are recorded (``PengurusTpPkk``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pkk.models import Kind, Level, PengurusTpPkk, Unit
from pkk.tanggal import tempat_tanggal

# The generic titles of the layouts -> the level of the unit whose office holder signs.
TITLE_LEVELS = (
    ("Kelompok Dasa Wisma", Level.DASAWISMA),
    ("Kelompok PKK RT", Level.RT),
    ("Kelompok PKK RW", Level.RW),
    ("Kelompok PKK Dusun/Lingkungan", Level.DUSUN),
    ("TP PKK Desa/Kelurahan", Level.DESA),
    ("TP PKK Kecamatan", Level.KECAMATAN),
    ("TP PKK Kabupaten/Kota", Level.KABUPATEN),
)
EMPTY_NAME = "(...................................)"


@dataclass(frozen=True)
class Signer:
    heading: str  # "Mengetahui," / "Yang membuat,"
    title: str  # "Ketua TP PKK Kabupaten Purworejo"
    name: str  # "" when not recorded

    @property
    def name_line(self) -> str:
        return self.name or EMPTY_NAME


@dataclass(frozen=True)
class SignatureBlock:
    place_date: str  # "Purworejo, 3 Desember 2026"
    left: Signer
    right: Signer


def unit_title(unit: Unit) -> str:
    """The unit as a title names it: "Kelompok PKK RT 01", "TP PKK Desa Kaliboto", "TP PKK Kabupaten
    Purworejo"."""
    name = unit.name
    if unit.level == Level.DASAWISMA:
        return f"Kelompok Dasa Wisma {name}"
    if unit.level == Level.RT:
        return f"Kelompok PKK RT {name}"
    if unit.level == Level.RW:
        return f"Kelompok PKK RW {name}"
    if unit.level == Level.DUSUN:
        return f"Kelompok PKK Dusun {name}"
    if unit.level == Level.DESA:
        return f"TP PKK {'Kelurahan' if unit.kind == Kind.KELURAHAN else 'Desa'} {name}"
    if unit.level == Level.KECAMATAN:
        return f"TP PKK Kecamatan {name}"
    if unit.level == Level.KABUPATEN:
        kind = "Kota" if unit.kind == Kind.KOTA else "Kabupaten"
        return f"TP PKK {kind} {name.removeprefix('Kabupaten ').removeprefix('Kota ')}"
    return f"TP PKK {unit.label}"


def place_of(chain: list[Unit]) -> str:
    """The place a sheet is signed at: the unit's desa for units below a desa, else the unit itself."""
    unit = chain[-1]
    if unit.level in (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA):
        desa = next((u for u in chain if u.level == Level.DESA), None)
        if desa is not None:
            return desa.name
    return unit.name.removeprefix("Kabupaten ").removeprefix("Kota ")


def signer(lines: tuple[str, ...], chain: list[Unit], pengurus: dict[int, PengurusTpPkk]) -> Signer:
    heading = lines[0] if lines else ""
    generic = lines[1] if len(lines) > 1 else ""
    role, _, rest = generic.partition(" ")
    by_level = {u.level: u for u in chain}
    for suffix, level in TITLE_LEVELS:
        if rest == suffix and level in by_level:
            unit = by_level[level]
            holder = pengurus.get(unit.pk)
            name = ""
            if holder is not None:
                name = holder.sekretaris if role == "Sekretaris" else holder.ketua
            return Signer(heading, f"{role} {unit_title(unit)}", name.strip())
    return Signer(heading, generic, "")


def signature_block(
    *,
    left: tuple[str, ...],
    right: tuple[str, ...],
    chain: list[Unit],
    pengurus: dict[int, PengurusTpPkk],
    today: dt.date,
) -> SignatureBlock:
    return SignatureBlock(
        place_date=tempat_tanggal(place_of(chain), today),
        left=signer(left, chain, pengurus),
        right=signer(right, chain, pengurus),
    )


def pengurus_of(unit_ids) -> dict[int, PengurusTpPkk]:
    """Office holders of the given units (one query)."""
    return {p.unit_id: p for p in PengurusTpPkk.objects.filter(unit_id__in=list(unit_ids))}
