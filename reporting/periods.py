"""Periods and their reference dates (DOMAIN.md sections 4 and 6)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings


def year_reference(tahun: int) -> dt.date:
    """R for Buku II of year T: 31 December of T."""
    return dt.date(tahun, 12, 31)


def month_bounds(bulan: dt.date) -> tuple[dt.date, dt.date]:
    """(F, L): first and last day of the month containing ``bulan``."""
    first = bulan.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, last


def parse_bulan(value: str) -> dt.date:
    """``YYYY-MM`` -> first day of that month."""
    year, month = value.split("-")
    return dt.date(int(year), int(month), 1)


def months_of_year(tahun: int) -> list[dt.date]:
    return [dt.date(tahun, m, 1) for m in range(1, 13)]


def deadline(jenis: str, periode: dt.date) -> dt.date:
    """Due date: day PKK_DEADLINE_DAY of the month after the month (Buku III) or after the year (Buku II)."""
    if jenis == "buku2":
        return dt.date(periode.year + 1, 1, settings.PKK_DEADLINE_DAY)
    first, last = month_bounds(periode)
    nxt = last + dt.timedelta(days=1)
    return nxt.replace(day=settings.PKK_DEADLINE_DAY)
