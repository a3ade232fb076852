"""Periods and their reference dates (DOMAIN.md sections 4 and 6)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.conf import settings


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


def deadline(jenis: str, periode: dt.date) -> dt.date:
    """Due date: day PKK_DEADLINE_DAY of the month after the month (Buku III) or after the year (Buku II)."""
    if jenis == "buku2":
        return dt.date(periode.year + 1, 1, settings.PKK_DEADLINE_DAY)
    first, last = month_bounds(periode)
    nxt = last + dt.timedelta(days=1)
    return nxt.replace(day=settings.PKK_DEADLINE_DAY)
