"""Periods and their reference dates (DOMAIN.md sections 4 and 6): pure helpers, no queries."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.conf import settings

from .books import BUKU_II

BULAN_NAMA = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


def year_reference(tahun: int) -> dt.date:
    """R for Buku II of year T: 31 December of T."""
    return dt.date(tahun, 12, 31)


def month_bounds(bulan: dt.date) -> tuple[dt.date, dt.date]:
    """(F, L): first and last day of the month containing ``bulan``."""
    first = bulan.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


# Years a period may name. Outside them a date computation (the next month of 9999-12) overflows;
# pages answer 404 (path) or fall back to the current period (query) instead of a 500.
MIN_TAHUN = 1900
MAX_TAHUN = 2999
_BULAN = re.compile(r"^([0-9]{4})-([0-9]{1,2})$", re.ASCII)
_TAHUN = re.compile(r"^[0-9]{4}$", re.ASCII)


def parse_tahun(value: str | int) -> int:
    """``YYYY`` within [MIN_TAHUN, MAX_TAHUN], else ValueError."""
    raw = str(value).strip()
    if not _TAHUN.match(raw) or not MIN_TAHUN <= int(raw) <= MAX_TAHUN:
        raise ValueError(f"tahun tidak valid: {raw[:20]!r}")
    return int(raw)


def parse_bulan(value: str) -> dt.date:
    """``YYYY-MM`` -> first day of that month; ValueError when malformed or the year is out of range."""
    m = _BULAN.match((value or "").strip())
    if m is None:
        raise ValueError(f"bulan tidak valid: {str(value)[:20]!r}")
    return dt.date(parse_tahun(m.group(1)), int(m.group(2)), 1)


def months_of_year(tahun: int) -> list[dt.date]:
    return [dt.date(tahun, m, 1) for m in range(1, 13)]


def previous_month(bulan: dt.date) -> dt.date:
    return (bulan.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def last_finished_month(today: dt.date) -> dt.date:
    """The month dashboards open on: the last one that has ended (not the current one at 0 %)."""
    return previous_month(today)


# Day of the month after the period by which a report is due, per reporting tier: a dasawisma by
# PKK_DEADLINE_DAY (DOMAIN.md section 6), the desa and the kecamatan after the tier below them.
def deadline_day(level: str | None = None) -> int:
    if level == "desa":
        return settings.PKK_DEADLINE_DAY_DESA
    if level == "kecamatan":
        return settings.PKK_DEADLINE_DAY_KECAMATAN
    return settings.PKK_DEADLINE_DAY


def deadline(jenis: str, periode: dt.date, level: str | None = None) -> dt.date:
    """Due date: day ``deadline_day(level)`` of the month after the month (Buku III) or after the year (Buku II)."""
    day = deadline_day(level)
    if jenis == BUKU_II:
        return dt.date(periode.year + 1, 1, day)
    _, last = month_bounds(periode)
    nxt = last + dt.timedelta(days=1)
    return nxt.replace(day=min(day, calendar.monthrange(nxt.year, nxt.month)[1]))


def normalize_periode(jenis: str, periode: dt.date | int) -> dt.date:
    """First day of the month (Buku III) or 1 January (Buku II); an int is read as a year."""
    if isinstance(periode, int):
        return dt.date(periode, 1, 1)
    if jenis == BUKU_II:
        return dt.date(periode.year, 1, 1)
    return periode.replace(day=1)


def periode_label(jenis: str, periode: dt.date) -> str:
    if jenis == BUKU_II:
        return f"Buku II tahun {periode.year}"
    return f"Buku III {BULAN_NAMA[periode.month - 1]} {periode.year}"


def periode_key(jenis: str, periode: dt.date) -> str:
    """``YYYY`` (Buku II) or ``YYYY-MM`` (Buku III), as used in forms and URLs."""
    return str(periode.year) if jenis == BUKU_II else f"{periode:%Y-%m}"


def periode_end(jenis: str, periode: dt.date) -> dt.date:
    """Last day of the period (31 December for Buku II)."""
    if jenis == BUKU_II:
        return dt.date(periode.year, 12, 31)
    return month_bounds(periode)[1]


def periode_ended(jenis: str, periode: dt.date, today: dt.date) -> bool:
    return today > periode_end(jenis, periode)


def is_future(jenis: str, periode: dt.date, today: dt.date) -> bool:
    if jenis == BUKU_II:
        return periode.year > today.year
    return (periode.year, periode.month) > (today.year, today.month)


def reporting_start(kabupaten=None) -> dt.date:
    """First month a kabupaten reports (``PKK_REPORTING_START``, overridden per kabupaten by
    ``reporting.models.AwalPelaporan``). The due list starts here, whatever day a dasawisma row was made."""
    from .models import AwalPelaporan

    if kabupaten is not None:
        own = AwalPelaporan.objects.filter(kabupaten=kabupaten).values_list("mulai", flat=True).first()
        if own:
            return own.replace(day=1)
    return parse_bulan(settings.PKK_REPORTING_START)
