"""Writing the stored rekap rows: set-based statements, tier by tier, honouring period locks.

One path for both books on both databases. Every write is one ``INSERT ... SELECT ... ON CONFLICT
(unit_id, <period>) DO UPDATE ... WHERE <a value differs>`` (PostgreSQL and SQLite >= 3.24 alike): the
dasawisma tier from the facts (the SQL of ``sql.py``), every unit above as the SUM of its registered
children's stored rows (``rollup_parents``, the one parent-sum function, used for a whole tier by a
rebuild and for one ancestor by a refresh). Only rows whose numbers changed are written (a repeated rebuild
of unchanged data writes nothing), row ids stay stable, and a recompute is idempotent. Rows of deactivated
units are deleted.

A row is never changed while its unit lies under a ``KunciPeriode`` of that jenis and periode (the locked
unit itself or anything below it); a locked unit that has no row yet still gets one (there is nothing
stored to keep).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from pkk.models import LEVEL_ORDER, Level, Unit

from ..books import BUKU_II, BUKU_III, JenisLaporan
from ..measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from ..models import KunciPeriode
from ..periods import year_reference
from .sql import (
    KUNCI,
    REKAP_B,
    REKAP_T,
    Scope,
    Sql,
    U,
    buku_ii_dasawisma_select,
    buku_iii_events_cte,
    buku_iii_months_cte,
)

# Which unit level each leading count column counts.
COUNT_LEVEL = {
    "jml_desa": Level.DESA,
    "jml_dusun": Level.DUSUN,
    "jml_rw": Level.RW,
    "jml_rt": Level.RT,
    "jml_dasawisma": Level.DASAWISMA,
}
assert list(COUNT_LEVEL) == UNIT_COUNT_NAMES, "reporting.measures.UNIT_COUNTS changed"

# Parent tiers, deepest first: a dusun sums its RW, a desa its dusun and/or RW, and so on.
LEVELS_UP = [Level.RT, Level.RW, Level.DUSUN, Level.DESA, Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI]


@dataclass(frozen=True)
class Book:
    table: str
    period: str  # period column: tahun | bulan
    jenis: JenisLaporan
    measures: tuple[str, ...]

    def lock_date(self, period: int | dt.date) -> dt.date:
        """KunciPeriode.periode of a period: 1 January for Buku II, the first of the month for Buku III."""
        return dt.date(period, 1, 1) if self.period == "tahun" else period.replace(day=1)  # type: ignore[union-attr]

    def values(self, q: Sql, periods: Sequence[int | dt.date]) -> str:
        """``per(<period>, kp)``: the periods and their lock dates."""
        if self.period == "tahun":
            rows = [f"({q.pint(t)}, {q.pdate(self.lock_date(t))})" for t in periods]
        else:
            rows = [f"({q.pdate(b)}, {q.pdate(b)})" for b in periods]
        return f"per({self.period}, kp) AS (VALUES {', '.join(rows)})"

    @property
    def columns(self) -> list[str]:
        return [*UNIT_COUNT_NAMES, *self.measures]

    def upsert(self) -> str:
        """Update a conflicting row only when a value differs: an unchanged row is not written at all
        (no new tuple, no WAL), so ``computed_at`` is the time the stored numbers last changed."""
        sets = ", ".join(f"{c} = excluded.{c}" for c in ["computed_at", *self.columns])
        old = ", ".join(f"{self.table}.{c}" for c in self.columns)
        new = ", ".join(f"excluded.{c}" for c in self.columns)
        return f"ON CONFLICT (unit_id, {self.period}) DO UPDATE SET {sets} WHERE ({old}) <> ({new})"

    def write(self, select: str, existing: str = "") -> str:
        """``INSERT INTO <book> (...)`` of the rows of ``select`` (columns named ``unit_id``, the period,
        ``computed_at`` and every column) that are missing or differ from the stored row.

        EXPLAIN: an ``ON CONFLICT DO UPDATE ... WHERE <differs>`` probes the unique index and locks every
        conflicting stored row, changed or not (a repeated rebuild of unchanged data spent a third of its time
        there). One hash anti/inequality join against the stored rows first leaves the upsert only the rows
        that actually change; the upsert's own WHERE stays for concurrent writers. ``existing``: ``AND ...``
        on the stored rows ``o`` that can match (their units and periods), so that only those are hashed.
        """
        cols = ["unit_id", self.period, "computed_at", *self.columns]
        old = ", ".join(f"o.{c}" for c in self.columns)
        new = ", ".join(f"n.{c}" for c in self.columns)
        return f"""INSERT INTO {self.table} ({", ".join(cols)})
SELECT {", ".join(f"n.{c}" for c in cols)} FROM ({select}) n
LEFT JOIN {self.table} o ON o.unit_id = n.unit_id AND o.{self.period} = n.{self.period}{existing}
WHERE o.id IS NULL OR ({old}) <> ({new})
{self.upsert()}"""

    def plist(self, q: Sql, periods: Sequence[int | dt.date]) -> str:
        """The periods as a literal parameter list (``x IN (...)``: a plain filter, no semi-join)."""
        return ", ".join(q.pint(p) if self.period == "tahun" else q.pdate(p) for p in periods)  # type: ignore[arg-type]

    def named(self, values: Sequence[str]) -> str:
        """``v1 AS jml_desa, ...``: the values of ``columns`` named for ``insert``."""
        return ", ".join(f"{v} AS {c}" for v, c in zip(values, self.columns, strict=True))

    def normalize(self, value: object) -> int | dt.date:
        if self.period == "tahun":
            return int(value)  # type: ignore[arg-type]
        if isinstance(value, str):
            return dt.date.fromisoformat(value[:10])
        return value  # type: ignore[return-value]


# The stored rekap table of each book, keyed by the book.
BOOKS: dict[str, Book] = {
    BUKU_II: Book(REKAP_T, "tahun", BUKU_II, tuple(BUKU_II_MEASURES)),
    BUKU_III: Book(REKAP_B, "bulan", BUKU_III, tuple(BUKU_III_MEASURES)),
}


def _execute(q: Sql, sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, q.params)
        return cursor.rowcount


def _any_lock(book: Book, periods: Sequence[int | dt.date]) -> bool:
    return KunciPeriode.objects.filter(jenis=book.jenis, periode__in=[book.lock_date(p) for p in periods]).exists()


def _not_locked(q: Sql, book: Book, alias: str, period_expr: str, kp_expr: str, *, allow_missing: bool) -> str:
    """``AND ...``: unit ``alias`` is not under a lock for the period (or, if allowed, has no row yet)."""
    locked = (
        f"EXISTS (SELECT 1 FROM {KUNCI} kp JOIN {U} ku ON ku.id = kp.unit_id"
        f" WHERE kp.jenis = {q.p(book.jenis.value)} AND kp.periode = {kp_expr}"
        f" AND substr({alias}.path, 1, length(ku.path)) = ku.path)"
    )
    if not allow_missing:
        return f" AND NOT {locked}"
    same_row = f"x.unit_id = {alias}.id AND x.{book.period} = {period_expr}"
    missing = f"NOT EXISTS (SELECT 1 FROM {book.table} x WHERE {same_row})"
    return f" AND (NOT {locked} OR {missing})"


def _counts_for(level: str, source: str | None) -> list[str]:
    """Leading count values of a unit of ``level``: itself at its own level, else the children's sum."""
    out = []
    for name, counted in COUNT_LEVEL.items():
        if counted == level:
            out.append("1")
        elif source is None:
            out.append("0")
        else:
            out.append(f"COALESCE({source}.{name}, 0)")
    return out


# ------------------------------------------------------------------------------ dasawisma tier


def dasawisma_buku_ii(scope: Scope, tahun: int, *, locks: bool) -> int:
    """Write every registered dasawisma of the scope for year ``tahun`` (one pass over warga).
    ``locks``: whether any lock exists for the year (else the statement skips the lock test)."""
    book = BOOKS[BUKU_II]
    q = Sql()
    agg = buku_ii_dasawisma_select(q, year_reference(tahun), scope)
    period, kp = q.pint(tahun), q.pdate(book.lock_date(tahun))
    lock = _not_locked(q, book, "u", period, kp, allow_missing=True) if locks else ""
    values = [*_counts_for(Level.DASAWISMA, None), *(f"COALESCE(a.{n}, 0)" for n in book.measures)]
    select = f"""
SELECT u.id AS unit_id, {period} AS tahun, {q.now()} AS computed_at, {book.named(values)}
FROM {U} u LEFT JOIN ({agg}) a ON a.dw = u.id
WHERE u.level = 'dasawisma' AND u.is_active{scope.units(q, "u")}{lock}"""
    existing = f" AND o.tahun = {period} AND o.unit_id IN ({_dasawisma_ids(q, scope)})"
    return _execute(q, book.write(select, existing))


def _dasawisma_ids(q: Sql, scope: Scope) -> str:
    return f"SELECT du.id FROM {U} du WHERE du.level = 'dasawisma'{scope.units(q, 'du')}"


def dasawisma_buku_iii(scope: Scope, months: Sequence[dt.date], *, locks: bool) -> int:
    """Write every registered dasawisma of the scope for all ``months`` in one statement."""
    book = BOOKS[BUKU_III]
    months = sorted({b.replace(day=1) for b in months})
    q = Sql()
    events, pe_names, we_names = buku_iii_events_cte(q, months, scope)
    ctes = f"WITH {buku_iii_months_cte(q, months)},\n{events}"
    lock = _not_locked(q, book, "u", "m.bulan", "m.bulan", allow_missing=True) if locks else ""
    source = {**dict.fromkeys(pe_names, "pe"), **dict.fromkeys(we_names, "we")}
    values = [*_counts_for(Level.DASAWISMA, None), *(f"COALESCE({source[n]}.{n}, 0)" for n in book.measures)]
    select = f"""
SELECT u.id AS unit_id, m.bulan AS bulan, {q.now()} AS computed_at, {book.named(values)}
FROM {U} u CROSS JOIN m
LEFT JOIN pe ON pe.dw = u.id AND pe.bulan = m.bulan
LEFT JOIN we ON we.dw = u.id AND we.bulan = m.bulan
WHERE u.level = 'dasawisma' AND u.is_active{scope.units(q, "u")}{lock}"""
    existing = f" AND o.bulan IN ({book.plist(q, months)}) AND o.unit_id IN ({_dasawisma_ids(q, scope)})"
    return _execute(q, f"{ctes}\n{book.write(select, existing)}")


def clear(book: Book, periods: Sequence[int | dt.date], dasawisma_id: int) -> int:
    """Delete one (deactivated) dasawisma's rows for the periods; the caller left its locked periods out."""
    q = Sql()
    where = f"{book.period} IN ({book.plist(q, periods)}) AND unit_id = {q.p(dasawisma_id)}"
    return _execute(q, f"DELETE FROM {book.table} WHERE {where}")


# -------------------------------------------------------------------------------- parent tiers


def rollup_parents(book: Book, periods: Sequence[int | dt.date], *, level: str, scope: Scope | None = None,
                   unit: Unit | None = None, locks: bool) -> int:  # fmt: skip
    """Parent = sum of its registered children's stored rows, for every period: one statement.

    The parents are every unit of ``level`` in ``scope`` (a rebuild, tier by tier, deepest first) or the
    single ``unit`` (a refresh or a rebuild, for each ancestor nearest first). Every parent gets a row for
    every period, even without children's data. ``locks``: test ``KunciPeriode`` in the statement (a
    rebuild); a refresh resolves the locks of its chain in Python and passes only free periods.
    """
    q = Sql()
    if unit is not None:
        pid = q.p(unit.pk)
        parent_filter = f" AND p.id = {pid}"
        children = f"SELECT cu.id FROM {U} cu WHERE cu.parent_id = {pid} AND cu.is_active"
        # PostgreSQL: the children's ids as one array parameter, so that their rows are read through the
        # (unit_id, period) unique index. EXPLAIN: with a join, a parent of 32 desa hashed a sequential scan
        # of every stored monthly row (19 ms at 10% scale, growing with the table); the index reads 384 rows.
        child_filter = f" AND c.unit_id = ANY(ARRAY({children}))" if q.pg else f" AND c.unit_id IN ({children})"
    else:
        scope = scope or Scope()
        parent_filter = scope.units(q, "p")
        # Only the children of this level's units are aggregated (not every stored row of the periods).
        parents = f"SELECT pl.id FROM {U} pl WHERE pl.level = {q.p(level)}{scope.units(q, 'pl')}"
        child_filter = f" AND cu.parent_id IN ({parents})"
    lock = _not_locked(q, book, "p", f"per.{book.period}", "per.kp", allow_missing=True) if locks else ""
    sums = ", ".join(f"SUM(c.{n}) AS {n}" for n in book.columns)
    values = [*_counts_for(level, "a"), *(f"COALESCE(a.{n}, 0)" for n in book.measures)]
    select = f"""
SELECT p.id AS unit_id, per.{book.period} AS {book.period}, {q.now()} AS computed_at, {book.named(values)}
FROM {U} p CROSS JOIN per
LEFT JOIN (
  SELECT cu.parent_id AS pid, c.{book.period} AS period, {sums}
  FROM {book.table} c JOIN {U} cu ON cu.id = c.unit_id
  WHERE cu.is_active AND c.{book.period} IN ({book.plist(q, periods)}){child_filter}
  GROUP BY cu.parent_id, c.{book.period}
) a ON a.pid = p.id AND a.period = per.{book.period}
WHERE p.is_active AND p.level = {q.p(level)}{parent_filter}{lock}"""
    existing = (
        f" AND o.{book.period} IN ({book.plist(q, periods)})"
        f" AND o.unit_id IN (SELECT p.id FROM {U} p WHERE p.level = {q.p(level)}{parent_filter})"
    )
    return _execute(q, f"WITH {book.values(q, periods)}\n{book.write(select, existing)}")


# ------------------------------------------------------------------------------------ subtrees


def has_locks(book: Book, periods: Sequence[int | dt.date]) -> bool:
    """Whether any KunciPeriode exists for these periods (if not, the statements skip the lock test)."""
    return bool(periods) and _any_lock(book, periods)


def delete_inactive(book: Book, periods: Sequence[int | dt.date], scope: Scope, *, locks: bool) -> int:
    """Rows of deactivated units in the scope go: only registered units have rows."""
    q = Sql()
    lock = _not_locked(q, book, "u", f"per.{book.period}", "per.kp", allow_missing=False) if locks else ""
    sql = f"""WITH {book.values(q, periods)}
DELETE FROM {book.table} WHERE id IN (
  SELECT x.id FROM {book.table} x JOIN per ON x.{book.period} = per.{book.period} JOIN {U} u ON u.id = x.unit_id
  WHERE NOT u.is_active{scope.units(q, "u")}{lock})"""
    return _execute(q, sql)


def rebuild_subtree(unit: Unit | None, years: Sequence[int], months: Sequence[dt.date]) -> None:
    """Recompute every registered unit in ``unit``'s subtree (everything when None), tier by tier.

    The dasawisma tier (one statement per year, one for all the months), then one ``rollup_parents`` per
    tier above and book; rows of deactivated units are deleted. The caller holds the transaction and
    ``lock_chain``.
    """
    if unit is not None and unit.level == Level.DASAWISMA:
        scope = Scope(dasawisma_id=unit.pk)
    else:
        scope = Scope(unit=unit)
    t_locks, b_locks = has_locks(BOOKS[BUKU_II], years), has_locks(BOOKS[BUKU_III], months)
    written = {BOOKS[BUKU_II].table: 0, BOOKS[BUKU_III].table: 0}
    for tahun in years:
        written[BOOKS[BUKU_II].table] += dasawisma_buku_ii(scope, tahun, locks=t_locks)
    if months:
        written[BOOKS[BUKU_III].table] += dasawisma_buku_iii(scope, months, locks=b_locks)
    refresh_planner_stats(written)
    if unit is None or not unit.is_active or unit.level != Level.DASAWISMA:
        if years:
            delete_inactive(BOOKS[BUKU_II], years, scope, locks=t_locks)
        if months:
            delete_inactive(BOOKS[BUKU_III], months, scope, locks=b_locks)
    top = LEVEL_ORDER.index(unit.level) if unit is not None else 0
    for level in [level for level in LEVELS_UP if LEVEL_ORDER.index(level) >= top]:
        if years:
            rollup_parents(BOOKS[BUKU_II], years, level=level, scope=scope, locks=t_locks)
        if months:
            rollup_parents(BOOKS[BUKU_III], months, level=level, scope=scope, locks=b_locks)


def refresh_planner_stats(written: dict[str, int]) -> None:
    """PostgreSQL: ``ANALYZE`` a rekap table that this transaction wrote to and whose planner statistics
    are stale (the rows written since its last analyze, committed or in this transaction, exceed 1,000 +
    20% of what the statistics describe). A table this transaction did not write is never analysed here:
    ``ANALYZE`` takes a lock that waits for any other transaction analysing the same table, and that wait
    must be one this transaction's own writes caused (issue 12: a rebuild deadlocked itself that way).

    EXPLAIN: after the first rebuild of a period, the tiers above were planned with the statistics of a
    nearly empty table (row estimates 20x too low: merge joins re-sorting 230,000 rows, hashes of every
    stored row); autovacuum catches up only a minute later. An ANALYZE samples at most 30,000 rows, so it
    costs tens of milliseconds, once; an up-to-date table is never analysed again.
    """
    tables = [name for name, n in written.items() if n > 0]
    if connection.vendor != "postgresql" or not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reltuples, COALESCE(s.n_mod_since_analyze, 0) FROM pg_class c"
            " LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = ANY(%s) AND c.relkind = 'r'",
            [tables],
        )
        for name, reltuples, modified in cursor.fetchall():
            if written[name] + modified > 1000 + 0.2 * max(reltuples, 0):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")


def bound_waits() -> None:
    """PostgreSQL: no statement of this roll-up transaction waits or runs unbounded (``SET LOCAL``, so the
    limits end with the transaction): ``PKK_ROLLUP_LOCK_TIMEOUT_MS`` for any lock wait (the chain lock
    behind another writer, an ``ANALYZE``), ``PKK_ROLLUP_STATEMENT_TIMEOUT_MS`` for any statement, and the
    roll-up's ``work_mem``. A timeout raises ``OperationalError``: the transaction rolls back whole and the
    Celery task retries (``autoretry_for=DatabaseError``); the outbox keeps a refresh's request meanwhile.
    SQLite: its writers wait at most the connection's busy timeout (``OPTIONS["timeout"]``)."""
    if connection.vendor != "postgresql":
        return
    from django.conf import settings

    from . import WORK_MEM

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true), set_config('statement_timeout', %s, true),"
            " set_config('work_mem', %s, true)",
            [
                f"{int(settings.PKK_ROLLUP_LOCK_TIMEOUT_MS)}ms",
                f"{int(settings.PKK_ROLLUP_STATEMENT_TIMEOUT_MS)}ms",
                WORK_MEM,
            ],
        )


def lock_chain(unit: Unit | None) -> None:
    """Serialise roll-up writers: lock ``unit`` and its ancestors (or every root), top-down.

    Every writer locks from its provinsi downwards in path order, so two refreshes of sibling dasawisma
    (which both rewrite their shared ancestors) run one after the other and cannot deadlock. The lock is
    ``FOR NO KEY UPDATE``: it does not block the foreign-key checks of data entry meanwhile. On SQLite a
    write statement first takes the database write lock, which serialises writers the same way.
    """
    bound_waits()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {U} SET id = id WHERE id = %s", [unit.pk if unit is not None else -1])
        return
    if unit is None:
        qs = Unit.objects.filter(level=Level.PROVINSI)
    else:
        qs = Unit.objects.filter(pk__in=unit.ancestor_ids(include_self=True))
    list(qs.select_for_update(no_key=True).order_by("path").values_list("pk", flat=True))
