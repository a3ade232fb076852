"""The roll-up engine: every measure of DOMAIN.md section 4 in SQL, stored per unit and period.

One path, the same on PostgreSQL and SQLite, one connection, one transaction per call:

* ``rebuild(unit, tahun=..., bulan=...)``: recompute a subtree (default: everything) for a year and its
  twelve months, or for one month, then the unit's ancestors. Set-based, tier by tier (``store.
  rebuild_subtree``): the dasawisma tier from the facts (one statement per year, one for the months),
  then each tier above as the sum of its registered children's stored rows (``store.rollup_parents``).
* ``lock_and_load_chain(id)`` + ``recompute_dasawisma(chain, years, months)``: one dasawisma, then its
  ancestors only (one ``rollup_parents`` per ancestor and book). Used by ``reporting.services.
  refresh_dasawisma``.
* ``rumah_tangga_rows`` / ``buku3_dasawisma_rows``: the live lists of the dasawisma sheets 4.16a / 4.18a.

Every writer starts by ``store.bound_waits`` (lock and statement timeouts on PostgreSQL) and the chain
lock, provinsi first, so writers serialise without deadlocks and no statement waits unbounded.

Stored rows: ``RekapTahunan`` (unit, tahun) and ``RekapBulanan`` (unit, bulan = first day) for every
registered (active) unit from dasawisma up to provinsi, even without data. Leading counts: a unit counts
itself at its own level (a dasawisma row has jml_dasawisma = 1), so every column adds up tier by tier.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from django.db import transaction

from pkk.models import Unit

from ..periods import months_of_year
from .refresh import existing_periods, lock_and_load_chain, recompute_chain, rollup_ancestors
from .rows import buku3_dasawisma_rows, rumah_tangga_rows
from .store import lock_chain, rebuild_subtree

__all__ = [
    "WORK_MEM",
    "affected_periods",
    "buku3_dasawisma_rows",
    "lock_and_load_chain",
    "rebuild",
    "rebuild_periods",
    "recompute_dasawisma",
    "rumah_tangga_rows",
]

# work_mem of a roll-up transaction (PostgreSQL): sorts and hash aggregates of a kabupaten stay in memory.
# bench.baselines runs the floors under the same setting.
WORK_MEM = "64MB"


def rebuild(unit: Unit | None = None, *, tahun: int | None = None, bulan: dt.date | None = None) -> dict:
    """Recompute the stored rekap under ``unit`` (None: every unit), all of it or nothing.

    ``tahun``: Buku II of that year and Buku III of its twelve months; ``bulan``: Buku III of that month
    only (both may be given). With a unit, its ancestors are recomputed afterwards (sum of children).
    Locked periods are left as they are. Returns {"years", "months", "seconds"}.
    """
    years = [tahun] if tahun is not None else []
    months = months_of_year(tahun) if tahun is not None else []
    if bulan is not None and bulan.replace(day=1) not in months:
        months.append(bulan.replace(day=1))
    return rebuild_periods(unit, years, months)


def rebuild_periods(unit: Unit | None, years: Sequence[int], months: Sequence[dt.date]) -> dict:
    """``rebuild`` for explicit lists of years (Buku II) and months (Buku III): one transaction."""
    years = sorted(set(years))
    months = sorted({m.replace(day=1) for m in months})
    started = time.monotonic()
    with transaction.atomic():
        lock_chain(unit)
        if unit is not None:
            unit.refresh_from_db()
        rebuild_subtree(unit, years, months)
        if unit is not None:
            chain = list(Unit.objects.filter(pk__in=unit.ancestor_ids(include_self=True)).order_by("path"))
            rollup_ancestors(chain, years, months)
    return {"years": years, "months": months, "seconds": time.monotonic() - started}


def affected_periods(unit: Unit, since: dt.date, today: dt.date) -> tuple[list[int], list[dt.date]]:
    """Periods an edit dated ``since`` touches, capped at the current year and month.

    Only periods that have been built for this area (a stored row of the dasawisma or of its parent) are
    refreshed, plus the current year and month: an edit dated 1950 does not create 75 years of rows.
    Older, never built periods are built by ``rebuild_rekap``.
    """
    this_month = today.replace(day=1)
    first_year = min(since.year, today.year)
    first_month = min(since.replace(day=1), this_month)
    owners = [unit.pk] + ([unit.parent_id] if unit.parent_id else [])
    years, months = existing_periods(owners, first_year, first_month, today)
    years.add(today.year)
    months.add(this_month)
    return sorted(years), sorted(months)


def recompute_dasawisma(chain: Sequence[Unit], years: Sequence[int], months: Sequence[dt.date]) -> None:
    """Recompute one dasawisma (``chain[-1]``; ``chain`` = its ancestors root first, then itself, locked by
    ``lock_and_load_chain``) for the periods, then each ancestor, nearest first, as the sum of its
    children's stored rows: one statement per ancestor and book. Locked periods are skipped.

    A registered sibling subtree that has no row for a period yet (a new unit, a never built period) is
    built first, so the parents' sums stay complete.
    """
    recompute_chain(chain, years, months)
