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

from ..measures import UNIT_COUNT_NAMES
from ..models import JenisLaporan, KunciPeriode
from .sql import REKAP_B, REKAP_T, Scope, Sql, U
from .store import (
    BULANAN,
    COUNT_LEVEL,
    TAHUNAN,
    Book,
    _execute,
    dasawisma_bulanan,
    dasawisma_tahunan,
    rebuild_subtree,
)


def lock_and_load_chain(dasawisma_id: int) -> list[Unit]:
    """Lock the dasawisma and its ancestors top-down and return them, root first ([] if it is gone).

    Every roll-up writer locks from its provinsi downwards in path order (see ``store.lock_chain``).
    """
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
        Q(jenis=JenisLaporan.BUKU_II, periode__in=[dt.date(y, 1, 1) for y in years])
        | Q(jenis=JenisLaporan.BUKU_III, periode__in=list(months))
    )
    own: dict[int, set] = {}
    for unit_id, jenis, periode in kunci.values_list("unit_id", "jenis", "periode"):
        own.setdefault(unit_id, set()).add(periode.year if jenis == JenisLaporan.BUKU_II else periode)
    out: dict[int, set] = {}
    inherited: set = set()
    for unit in chain:  # root first: a lock covers everything below
        inherited = inherited | own.get(unit.pk, set())
        out[unit.pk] = set(inherited)
    return out


def _params(q: Sql, book: Book, periods: Sequence[int | dt.date]) -> list[str]:
    return [q.pint(p) if book is TAHUNAN else q.pdate(p) for p in periods]  # type: ignore[arg-type]


def _plist(q: Sql, book: Book, periods: Sequence[int | dt.date]) -> str:
    return ", ".join(_params(q, book, periods))


def rollup_parent(book: Book, periods: Sequence[int | dt.date], unit: Unit) -> int:
    """``unit`` = sum of its registered children's stored rows for ``periods``: one upsert.

    Every registered child has a row for these periods (``fill_missing`` ran before), so grouping the
    children's rows by period yields every period.
    """
    q = Sql()
    pid = q.p(unit.pk)
    values = ["1" if COUNT_LEVEL[n] == unit.level else f"SUM(c.{n})" for n in UNIT_COUNT_NAMES]
    values += [f"SUM(c.{n})" for n in book.measures]
    children = f"SELECT cu.id FROM {U} cu WHERE cu.parent_id = {pid} AND cu.is_active"
    # PostgreSQL: the children's ids as one array parameter, so that their rows are read through the
    # (unit_id, period) unique index. EXPLAIN: with a join, a parent of 32 desa hashed a sequential scan of
    # every stored monthly row (19 ms at 10% scale, growing with the table); the index reads 384 rows.
    child_ids = f"c.unit_id = ANY(ARRAY({children}))" if q.pg else f"c.unit_id IN ({children})"
    select = f"""
SELECT {pid} AS unit_id, c.{book.period} AS {book.period}, {q.now()} AS computed_at, {book.named(values)}
FROM {book.table} c
WHERE {child_ids} AND c.{book.period} IN ({_plist(q, book, periods)})
GROUP BY c.{book.period}"""
    sql = f"{book.insert(select)}\n{book.upsert()}"
    return _execute(q, sql)


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
                months.add(BULANAN.normalise(bulan))
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
    for book, periods, name in ((TAHUNAN, years, "yt"), (BULANAN, months, "mb")):
        if not periods:
            continue
        rows = ", ".join(f"({v})" for v in _params(q, book, periods))
        ctes.append(f"{name}(p) AS (VALUES {rows})")
        cols = f"{name}.p, CAST(NULL AS date)" if book is TAHUNAN else f"CAST(NULL AS integer), {name}.p"
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
        book = TAHUNAN if kind == "tahun" else BULANAN
        period = book.normalise(tahun if book is TAHUNAN else bulan)
        if any(path.startswith(b) and period == bp for b, bp in built):
            continue
        entry = todo.setdefault(unit_id, (path, [], []))
        (entry[1] if book is TAHUNAN else entry[2]).append(period)
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

    def free(u: Unit, periods: Sequence) -> list:
        return [p for p in periods if p not in locked[u.pk]]

    ys, ms = free(unit, years), free(unit, months)
    scope = Scope(dasawisma_id=unit.pk)
    if unit.is_active and unit.level == Level.DASAWISMA:
        for tahun in ys:
            dasawisma_tahunan(scope, tahun, locks=False, upsert=True)
        if ms:
            dasawisma_bulanan(scope, ms, locks=False, upsert=True)
    else:  # deactivated: its rows go
        from .store import clear

        if ys:
            clear(TAHUNAN, ys, scope, locks=False)
        if ms:
            clear(BULANAN, ms, scope, locks=False)
    fill_missing([a for a in ancestors if a.is_active], years, months)
    for ancestor in reversed(ancestors):
        if not ancestor.is_active:
            continue
        ys, ms = free(ancestor, years), free(ancestor, months)
        if ys:
            rollup_parent(TAHUNAN, ys, ancestor)
        if ms:
            rollup_parent(BULANAN, ms, ancestor)
