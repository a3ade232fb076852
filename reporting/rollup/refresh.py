"""The refresh path of one dasawisma: few, small statements (worker time per edit must stay ~constant).

Locks are resolved in Python for the chain (a period is locked for a unit when a ``KunciPeriode`` of that
jenis and periode sits on the unit or one of its ancestors), so the statements carry no lock test: a
locked period is simply not in the list of periods written for that unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Q

from pkk.models import Level, Unit

from ..books import BUKU_II, BUKU_III
from ..models import KunciPeriode
from .sql import REKAP_B, REKAP_T, Scope, Sql, U
from .store import (
    BOOKS,
    bound_waits,
    clear,
    dasawisma_buku_ii,
    dasawisma_buku_iii,
    rebuild_subtree,
    rollup_parents,
)


def lock_and_load_chain(dasawisma_id: int) -> list[Unit]:
    """Lock the dasawisma and its ancestors top-down and return them, root first ([] if it is gone).

    Every roll-up writer locks from its provinsi downwards in path order (see ``store.lock_chain``).
    """
    bound_waits()
    for _ in range(3):  # the unit may be moved between the read and the lock: then lock the new chain
        unit = Unit.objects.filter(pk=dasawisma_id).only("path").first()
        if unit is None:
            return []
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:  # take the database write lock first
                cursor.execute(f"UPDATE {U} SET id = id WHERE id = %s", [dasawisma_id])
            qs = Unit.objects.filter(pk__in=unit.ancestor_ids(include_self=True))
        else:
            qs = Unit.objects.select_for_update(no_key=True).filter(pk__in=unit.ancestor_ids(include_self=True))
        chain = list(qs.order_by("path"))
        if chain and chain[-1].pk == dasawisma_id and chain[-1].path == unit.path:
            return chain
    raise RuntimeError(f"dasawisma {dasawisma_id} keeps moving")


def locked_periods(chain: Sequence[Unit], years: Sequence[int], months: Sequence[dt.date]) -> dict[int, set]:
    """{unit id: locked periods (years and months)} for the chain units, one query."""
    kunci = KunciPeriode.objects.filter(unit_id__in=[u.pk for u in chain]).filter(
        Q(jenis=BUKU_II, periode__in=[dt.date(y, 1, 1) for y in years]) | Q(jenis=BUKU_III, periode__in=list(months))
    )
    own: dict[int, set] = {}
    for unit_id, jenis, periode in kunci.values_list("unit_id", "jenis", "periode"):
        own.setdefault(unit_id, set()).add(periode.year if jenis == BUKU_II else periode)
    out: dict[int, set] = {}
    inherited: set = set()
    for unit in chain:  # root first: a lock covers everything below
        inherited = inherited | own.get(unit.pk, set())
        out[unit.pk] = set(inherited)
    return out


def existing_periods(owner_ids: Sequence[int], first_year: int, first_month: dt.date, today: dt.date):
    """(years, months) stored for any of ``owner_ids`` from the given start up to today: one query."""
    q = Sql()
    ids = ", ".join(q.p(i) for i in owner_ids)
    sql = f"""
SELECT DISTINCT 't', tahun, CAST(NULL AS date) FROM {REKAP_T} WHERE unit_id IN ({ids}) AND tahun >= {q.p(first_year)}
  AND tahun <= {q.p(today.year)}
UNION ALL
SELECT DISTINCT 'b', CAST(NULL AS integer), bulan FROM {REKAP_B} WHERE unit_id IN ({ids})
  AND bulan >= {q.p(first_month)} AND bulan <= {q.p(today)}"""
    years, months = set(), set()
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        for kind, tahun, bulan in cursor.fetchall():
            if kind == "t":
                years.add(int(tahun))
            else:
                months.add(BOOKS[BUKU_III].normalize(bulan))
    return years, months


def fill_missing(parents: Sequence[Unit], years: Sequence[int], months: Sequence[dt.date]) -> None:
    """Build registered children of ``parents`` that have no row for a period (new units, unbuilt periods).

    One query finds them; normally there are none. A missing child is rebuilt with its whole subtree
    (top-down, skipping subtrees already rebuilt for that period).
    """
    if not parents or not (years or months):
        return
    q = Sql()
    ids = ", ".join(q.p(u.pk) for u in parents)
    parts, ctes = [], []
    # PostgreSQL: the same condition once more as an array parameter, so that the stored rows are probed
    # through the (unit_id, period) index. EXPLAIN: the anti-join otherwise hashed every stored monthly row
    # (19 ms at 10% scale, growing with the table).
    children = f"SELECT c2.id FROM {U} c2 WHERE c2.parent_id IN ({ids})"
    only_children = f" AND x.unit_id = ANY(ARRAY({children}))" if q.pg else ""
    for book, periods, name in ((BOOKS[BUKU_II], years, "yt"), (BOOKS[BUKU_III], months, "mb")):
        if not periods:
            continue
        rows = ", ".join(f"({q.pint(p) if book.jenis == BUKU_II else q.pdate(p)})" for p in periods)
        ctes.append(f"{name}(p) AS (VALUES {rows})")
        cols = f"{name}.p, CAST(NULL AS date)" if book.jenis == BUKU_II else f"CAST(NULL AS integer), {name}.p"
        parts.append(
            f"SELECT '{book.period}', cu.id, cu.path, {cols} FROM {U} cu CROSS JOIN {name}"
            f" WHERE cu.parent_id IN ({ids}) AND cu.is_active AND NOT EXISTS (SELECT 1 FROM {book.table} x"
            f" WHERE x.unit_id = cu.id AND x.{book.period} = {name}.p{only_children})"
        )
    sql = f"WITH {', '.join(ctes)}\n" + "\nUNION ALL\n".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        missing = cursor.fetchall()
    if not missing:
        return
    built: list[tuple[str, object]] = []
    todo: dict[int, tuple[str, list, list]] = {}
    for kind, unit_id, path, tahun, bulan in sorted(missing, key=lambda r: r[2]):  # top-down
        book = BOOKS[BUKU_II] if kind == "tahun" else BOOKS[BUKU_III]
        period = book.normalize(tahun if book.jenis == BUKU_II else bulan)
        if any(path.startswith(b) and period == bp for b, bp in built):
            continue
        entry = todo.setdefault(unit_id, (path, [], []))
        (entry[1] if book.jenis == BUKU_II else entry[2]).append(period)
        built.append((path, period))
    units = Unit.objects.in_bulk(list(todo))
    for unit_id, (_, ys, ms) in todo.items():
        rebuild_subtree(units[unit_id], ys, ms)


def recompute_chain(chain: Sequence[Unit], years: Sequence[int], months: Sequence[dt.date]) -> None:
    """Recompute the dasawisma ``chain[-1]`` for the periods, then each ancestor nearest first.

    The caller holds the transaction and the chain lock. Locked periods are skipped unit by unit.
    """
    unit, ancestors = chain[-1], list(chain[:-1])
    locked = locked_periods(chain, years, months)
    ys = [y for y in years if y not in locked[unit.pk]]
    ms = [m for m in months if m not in locked[unit.pk]]
    if unit.is_active and unit.level == Level.DASAWISMA:
        scope = Scope(dasawisma_id=unit.pk)
        for tahun in ys:
            dasawisma_buku_ii(scope, tahun, locks=False)
        if ms:
            dasawisma_buku_iii(scope, ms, locks=False)
    else:  # deactivated: its rows go
        if ys:
            clear(BOOKS[BUKU_II], ys, unit.pk)
        if ms:
            clear(BOOKS[BUKU_III], ms, unit.pk)
    fill_missing([a for a in ancestors if a.is_active], years, months)
    rollup_ancestors(chain, years, months, locked)


def rollup_ancestors(chain: Sequence[Unit], years: Sequence[int], months: Sequence[dt.date],
                     locked: dict[int, set] | None = None) -> None:  # fmt: skip
    """Each ancestor of ``chain[-1]`` (``chain`` root first), nearest first, = the sum of its registered
    children's stored rows (``rollup_parents``, one statement per ancestor and book), its locked periods
    left as they are. Shared by the refresh and by the rebuild of a subtree."""
    locked = locked_periods(chain, years, months) if locked is None else locked
    for ancestor in reversed(chain[:-1]):
        if not ancestor.is_active:
            continue
        ys = [y for y in years if y not in locked[ancestor.pk]]
        ms = [m for m in months if m not in locked[ancestor.pk]]
        if ys:
            rollup_parents(BOOKS[BUKU_II], ys, level=ancestor.level, unit=ancestor, locks=False)
        if ms:
            rollup_parents(BOOKS[BUKU_III], ms, level=ancestor.level, unit=ancestor, locks=False)
