"""The roll-up engine: every measure of DOMAIN.md section 4 in SQL, stored per unit and period.

* ``rebuild(unit, tahun=..., bulan=...)``: recompute a subtree (default: everything) for a year and its
  twelve months, or for one month, then the unit's ancestors. Set-based: Buku II in one statement for the
  dasawisma tier and one per tier above (a parent row is the SUM of its registered children's stored rows);
  Buku III, when no month is locked (PostgreSQL), in one statement for every tier (``store.
  bulanan_all_tiers``), else like Buku II. On PostgreSQL a rebuild outside a transaction uses two
  connections (``split_tracks``).
* ``lock_and_load_chain(id)`` + ``recompute_dasawisma(chain, years, months)``: one dasawisma, then its
  ancestors only (one statement per ancestor and book). Used by ``reporting.services.refresh_dasawisma``.
* ``rumah_tangga_rows`` / ``buku3_dasawisma_rows``: the live lists of the dasawisma sheets 4.16a / 4.18a.

Stored rows: ``RekapTahunan`` (unit, tahun) and ``RekapBulanan`` (unit, bulan = first day) for every
registered (active) unit from dasawisma up to provinsi, even without data. Leading counts: a unit counts
itself at its own level (a dasawisma row has jml_dasawisma = 1), so every column adds up tier by tier.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Sequence

from django.db import connection, connections, transaction

from pkk.models import Unit

from ..periods import months_of_year
from .refresh import existing_periods, lock_and_load_chain, recompute_chain
from .rows import buku3_dasawisma_rows, rumah_tangga_rows
from .store import BULANAN, TAHUNAN, has_locks, lock_chain, rebuild_subtree, rollup_unit

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

# work_mem of a rebuild's transaction (PostgreSQL): sorts and hash aggregates of a kabupaten stay in memory.
# bench.baselines.floor runs under the same setting.
WORK_MEM = "64MB"

# Months of a full-year rebuild the main connection takes beside Buku II (``split_tracks``).
MAIN_TRACK_MONTHS = 2


def rebuild(unit: Unit | None = None, *, tahun: int | None = None, bulan: dt.date | None = None) -> dict:
    """Recompute the stored rekap under ``unit`` (None: every unit): all of it or nothing (one transaction,
    or two committed together, see ``split_tracks``).

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
    """``rebuild`` for explicit lists of years (Buku II) and months (Buku III).

    On PostgreSQL, outside a caller's transaction, a rebuild of Buku II and several months runs on two
    connections side by side (``split_tracks``); otherwise in one transaction.
    """
    years = sorted(set(years))
    months = sorted({m.replace(day=1) for m in months})
    started = time.monotonic()
    main_months, side_months = split_tracks(years, months)
    if side_months:
        _rebuild_two_tracks(unit, years, main_months, side_months)
    else:
        with transaction.atomic():
            lock_chain(unit)
            _rebuild_locked(unit, years, months)
    return {"years": years, "months": months, "seconds": time.monotonic() - started}


def split_tracks(years: Sequence[int], months: Sequence[dt.date]) -> tuple[list[dt.date], list[dt.date]]:
    """(months for the main connection, months for a second connection; [] = one connection).

    Buku II and the months of Buku III are independent tables and facts, so a rebuild of both can use two
    of the machine's cores. Measured at full bench scale (800,000 warga, 15,428 dasawisma), each alone:
    Buku II with its tiers 0.9-1.0 s; Buku III of twelve months, every tier in one statement, 1.1-1.3 s,
    of which about 0.3 s does not depend on the number of months. The main connection therefore takes
    Buku II and the first ``MAIN_TRACK_MONTHS`` months (1.15-1.3 s), the second connection the other
    months (1.05-1.2 s). Only on PostgreSQL (SQLite has a single writer), only when no transaction is open
    (a second connection would not see its uncommitted rows) and when ``PKK_ROLLUP_TRACKS`` (settings,
    default 2) allows it.
    """
    from django.conf import settings

    months = list(months)
    if (
        connection.vendor != "postgresql"
        or connection.in_atomic_block
        or settings.PKK_ROLLUP_TRACKS < 2
        or len(months) < 2
    ):
        return months, []
    keep = min(MAIN_TRACK_MONTHS, len(months) - 1) if years else len(months) // 2
    return months[:keep], months[keep:]


def _rebuild_locked(unit: Unit | None, years: Sequence[int], months: Sequence[dt.date], *,
                    analyze: bool = True) -> None:  # fmt: skip
    """The rebuild inside the caller's transaction (which holds ``lock_chain``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
    if unit is not None:
        unit.refresh_from_db()
    rebuild_subtree(unit, years, months, analyze=analyze)
    if unit is not None:
        _rollup_ancestors(unit, years, months)


class _Abandon(Exception):
    """The main track failed: the side track rolls back."""


def _rebuild_two_tracks(unit: Unit | None, years: Sequence[int], main_months: Sequence[dt.date],
                        side_months: Sequence[dt.date]) -> None:  # fmt: skip
    """Buku II + ``main_months`` here, ``side_months`` on a second connection, both or neither committed.

    The main transaction takes ``lock_chain`` first and holds it until both are done, so no other roll-up
    writer (they all lock the chain) runs meanwhile and the side transaction, which writes other rows of
    another book's months, needs no lock of its own. The side commits only after the main track succeeded
    and just before the main commits; if the side's commit fails, the main rolls back. (If the main's own
    COMMIT failed after that, the side's months would stay rebuilt: each book is complete and correct on
    its own, and the next rebuild or refresh redoes the other.)
    """
    side_unit = Unit.objects.get(pk=unit.pk) if unit is not None else None
    side_done, go = threading.Event(), threading.Event()
    verdict: dict[str, bool] = {"commit": False}
    errors: list[BaseException] = []

    def side() -> None:
        try:
            with transaction.atomic():
                _rebuild_locked(side_unit, [], side_months)
                side_done.set()
                go.wait()
                if not verdict["commit"]:
                    raise _Abandon
        except _Abandon:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            errors.append(exc)
        finally:
            side_done.set()
            connections.close_all()

    with transaction.atomic():
        lock_chain(unit)
        thread = threading.Thread(target=side, name="rekap-side-track", daemon=True)
        thread.start()
        try:
            _rebuild_locked(unit, years, main_months, analyze=False)
            side_done.wait()
            verdict["commit"] = not errors
        finally:
            go.set()
            thread.join()
        if errors:
            raise errors[0]


def _rollup_ancestors(unit: Unit, years: Sequence[int], months: Sequence[dt.date]) -> None:
    """Each ancestor, nearest first, = sum of its children's stored rows: one statement per ancestor and book."""
    t_locks, b_locks = has_locks(TAHUNAN, years), has_locks(BULANAN, months)
    for ancestor in reversed(unit.ancestors()):
        if years:
            rollup_unit(TAHUNAN, years, ancestor, locks=t_locks)
        if months:
            rollup_unit(BULANAN, months, ancestor, locks=b_locks)


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
