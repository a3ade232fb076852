"""The floors of the three rebuild measures: plain SQL doing the same work on one connection (PostgreSQL).

Each floor produces the same numbers and rows as the project's roll-up (every measure of Buku II and
Buku III, every tier, every month) in the shape a database engineer would choose when writing it by hand:

* the dasawisma rows come from the project's own measure SQL (``reporting.rollup.sql``: the definitions are
  the contract, so the floor does not re-derive them); what the floor does differently is everything
  around them:
* **first build** (``first_build``): one statement per book computes the dasawisma rows and sums them to
  every ancestor at once (each dasawisma joined to its ancestors taken from the stored path, one
  ``GROUP BY`` over ancestor and period), with the leading unit counts from one pass over the units, and
  inserts every row into an empty copy of the rekap table (``LIKE ... INCLUDING ALL``: the same columns,
  unique index and logging);
* **repeated rebuild** (``repeat``): the same statements compare every computed row with the stored one
  (``EXCEPT``) and write nothing; the count of differing rows must be 0, which also proves that the floor's
  numbers equal the stored numbers;
* **refresh after one edit** (``refresh``): the edited dasawisma's rows for the periods are recomputed and
  the difference to its stored rows is added to it and to each of its ancestors by one ``UPDATE`` per book.

Each floor runs in a transaction that is rolled back, so it leaves the database as it found it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection, transaction

from pkk.models import PATH_SEGMENT, Level, Unit
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from reporting.periods import months_of_year, year_reference
from reporting.rollup import WORK_MEM
from reporting.rollup.sql import REKAP_B, REKAP_T, Scope, Sql, U, buku_iii_events_cte, buku_iii_months_cte
from reporting.rollup.sql import buku_ii_dasawisma_select as _buku_ii

COUNT_LEVEL = {"jml_desa": Level.DESA, "jml_dusun": Level.DUSUN, "jml_rw": Level.RW, "jml_rt": Level.RT,
               "jml_dasawisma": Level.DASAWISMA}  # fmt: skip
S = PATH_SEGMENT


def _dasawisma_rows(q: Sql, book: str, tahun: int, months: Sequence[dt.date], scope: Scope) -> tuple[str, str]:
    """(CTE text, name of the CTE) of the dasawisma rows ``d(dw, period, <measures>)`` of one book."""
    if book == "t":
        return f"d AS (SELECT a.dw, {q.pint(tahun)} AS period, {', '.join(f'a.{n}' for n in BUKU_II_MEASURES)} FROM (" \
               f"{_buku_ii(q, year_reference(tahun), scope)}) a)", "d"  # fmt: skip
    events, pe, we = buku_iii_events_cte(q, list(months), scope)
    source = {**dict.fromkeys(pe, "pe"), **dict.fromkeys(we, "we")}
    cols = ", ".join(f"COALESCE({source[n]}.{n}, 0) AS {n}" for n in BUKU_III_MEASURES)
    return (
        f"{buku_iii_months_cte(q, list(months))},\n{events},\n"
        f"d AS (SELECT COALESCE(pe.dw, we.dw) AS dw, COALESCE(pe.bulan, we.bulan) AS period, {cols}\n"
        f"FROM pe FULL JOIN we ON we.dw = pe.dw AND we.bulan = pe.bulan)",
        "d",
    )


def _all_rows(q: Sql, book: str, tahun: int, months: Sequence[dt.date]) -> str:
    """``SELECT unit_id, period, <counts>, <measures>`` of every active unit and period (all tiers)."""
    names = BUKU_II_MEASURES if book == "t" else BUKU_III_MEASURES
    d, _ = _dasawisma_rows(q, book, tahun, months, Scope())
    periods = [q.pint(tahun)] if book == "t" else [q.pdate(m) for m in months]
    anc = f"CAST(substr(u.path, (i - 1) * {S} + 1, {S}) AS bigint)"
    segs = f"generate_series(1, length(u.path) / {S}) i"
    counts = ", ".join(f"COUNT(*) FILTER (WHERE u.level = '{lv}') AS {n}" for n, lv in COUNT_LEVEL.items())
    sums = ", ".join(f"SUM(d.{n}) AS {n}" for n in names)
    return f"""WITH {d},
per(period) AS (VALUES {", ".join(f"({p})" for p in periods)}),
anc AS (SELECT u.id AS dw, {anc} AS aid FROM {U} u, {segs} WHERE u.level = 'dasawisma' AND u.is_active),
sums AS (SELECT anc.aid, d.period, {sums} FROM d JOIN anc ON anc.dw = d.dw GROUP BY anc.aid, d.period),
cnt AS (SELECT {anc} AS aid, {counts} FROM {U} u, {segs} WHERE u.is_active GROUP BY 1)
SELECT p.id AS unit_id, per.period AS period, {", ".join(f"COALESCE(cnt.{n}, 0) AS {n}" for n in UNIT_COUNT_NAMES)},
  {", ".join(f"COALESCE(sums.{n}, 0) AS {n}" for n in names)}
FROM {U} p CROSS JOIN per
LEFT JOIN sums ON sums.aid = p.id AND sums.period = per.period
LEFT JOIN cnt ON cnt.aid = p.id
WHERE p.is_active"""


def _columns(book: str) -> list[str]:
    return [*UNIT_COUNT_NAMES, *(BUKU_II_MEASURES if book == "t" else BUKU_III_MEASURES)]


def _period(book: str) -> str:
    return "tahun" if book == "t" else "bulan"


def first_build(tahun: int) -> dict:
    """Every row of Buku II of ``tahun`` and Buku III of its 12 months into empty tables; rolled back."""
    months = months_of_year(tahun)
    rows = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        for book, table in (("t", REKAP_T), ("b", REKAP_B)):
            floor_table = f"bench_floor_{book}"
            cur.execute(f"CREATE TABLE {floor_table} (LIKE {table} INCLUDING ALL)")
            q = Sql()
            cols = _columns(book)
            select = _all_rows(q, book, tahun, months)
            cur.execute(
                f"INSERT INTO {floor_table} (unit_id, {_period(book)}, computed_at, {', '.join(cols)})\n"
                f"SELECT r.unit_id, r.period, now(), {', '.join(f'r.{c}' for c in cols)} FROM ({select}) r",
                q.params,
            )
            rows += cur.rowcount
        transaction.set_rollback(True)
    return {"rows": rows}


def repeat(tahun: int) -> dict:
    """Compute every row again and compare it with the stored one; writes nothing. ``differing`` must be 0."""
    months = months_of_year(tahun)
    differing = 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        for book, table in (("t", REKAP_T), ("b", REKAP_B)):
            q = Sql()
            cols = _columns(book)
            period = _period(book)
            plist = q.pint(tahun) if book == "t" else ", ".join(q.pdate(m) for m in months)
            cur.execute(
                f"SELECT COUNT(*) FROM (SELECT r.unit_id, r.period, {', '.join(f'r.{c}' for c in cols)} FROM "
                f"({_all_rows(q, book, tahun, months)}) r\nEXCEPT\n"
                f"SELECT unit_id, {period}, {', '.join(cols)} FROM {table} WHERE {period} IN ({plist})) x",
                q.params,
            )
            differing += cur.fetchone()[0]
        transaction.set_rollback(True)
    return {"differing": differing}


def refresh(dasawisma: Unit, tahun: int, months: Sequence[dt.date], *, keep: bool = False) -> dict:
    """One dasawisma edited: add the difference of its recomputed rows to it and each ancestor (rolled back
    unless ``keep``, which the tests use to compare the result with the project's refresh)."""
    ancestors = dasawisma.ancestor_ids(include_self=True)
    updated = 0
    with transaction.atomic(), connection.cursor() as cur:
        for book, table in (("t", REKAP_T), ("b", REKAP_B)):
            if book == "b" and not months:
                continue
            q = Sql()
            names = BUKU_II_MEASURES if book == "t" else BUKU_III_MEASURES
            period = _period(book)
            d, _ = _dasawisma_rows(q, book, tahun, months, Scope(dasawisma_id=dasawisma.pk))
            periods = [q.pint(tahun)] if book == "t" else [q.pdate(m) for m in months]
            ids = ", ".join(q.p(i) for i in ancestors)
            sets = ", ".join(f"{n} = r.{n} + delta.{n}" for n in names)
            diffs = ", ".join(f"COALESCE(d.{n}, 0) - o.{n} AS {n}" for n in names)
            cur.execute(
                f"""WITH {d},
per(period) AS (VALUES {", ".join(f"({p})" for p in periods)}),
delta AS (SELECT o.{period} AS period, {diffs} FROM {table} o JOIN per ON per.period = o.{period}
          LEFT JOIN d ON d.dw = o.unit_id AND d.period = o.{period} WHERE o.unit_id = {q.p(dasawisma.pk)})
UPDATE {table} r SET {sets} FROM delta WHERE r.unit_id IN ({ids}) AND r.{period} = delta.period""",
                q.params,
            )
            updated += cur.rowcount
        transaction.set_rollback(not keep)
    return {"updated": updated}
