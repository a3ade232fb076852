"""Dates in Indonesian as the forms print them: "3 Desember 2026", "Maret 2025"."""

from __future__ import annotations

import datetime as dt

BULAN = (
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
)


def nama_bulan(month: int) -> str:
    return BULAN[month - 1]


def tanggal_panjang(day: dt.date) -> str:
    """``3 Desember 2026`` (no leading zero, month in words)."""
    return f"{day.day} {nama_bulan(day.month)} {day.year}"


def tempat_tanggal(place: str, day: dt.date) -> str:
    """The line above a signature: ``Purworejo, 3 Desember 2026``."""
    return f"{place}, {tanggal_panjang(day)}"
