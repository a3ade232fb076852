"""The SQL of every measure (DOMAIN.md section 4), portable between PostgreSQL and SQLite.

Ages are never computed per row for the reference dates: "age >= n on R" is ``tanggal_lahir <= cutoff``
with the cutoff computed here in Python (``years_before``), so PostgreSQL and SQLite give the same answer.
Only the age at death (bayi/balita meninggal) and "42 days before a death" (ibu meninggal) need per-row
date arithmetic; ``Sql`` writes those in each dialect.

Every measure is a boolean condition counted with ``COUNT(*) FILTER (WHERE ...)``: the same
condition serves the stored per-dasawisma rows and the live per-rumah-tangga rows of 4.16a.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection

from dasawisma.models import Kehamilan, RumahTangga, Warga
from pkk.models import Unit

from ..measures import BUKU_II_MEASURES, BUKU_III_MEASURES
from ..models import KunciPeriode, RekapBulanan, RekapTahunan

W = Warga._meta.db_table
RT = RumahTangga._meta.db_table
K = Kehamilan._meta.db_table
U = Unit._meta.db_table
KUNCI = KunciPeriode._meta.db_table
REKAP_T = RekapTahunan._meta.db_table
REKAP_B = RekapBulanan._meta.db_table

BIRTH_RESULTS = "('lahir_hidup', 'lahir_mati')"
NIFAS_DAYS = 42


def years_before(on: dt.date, years: int) -> dt.date:
    """The latest birth date with an age of at least ``years`` on ``on``.

    ``age_on(born, on) >= years``  <=>  ``born <= years_before(on, years)``. A reference date of
    29 February maps to 28 February of a common year: someone born on 28 February 2023 is one year old on
    29 February 2024, someone born on 1 March 2023 is not (tested against ``age_on``).
    """
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February -> 28 February
        return on.replace(year=on.year - years, day=28)


class Sql:
    """Collects named parameters while a statement is written; knows the dialect."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.pg = connection.vendor == "postgresql"

    def p(self, value: Any) -> str:
        """A parameter placeholder. Dates go as ``date`` on PostgreSQL and ISO text on SQLite."""
        name = f"p{len(self.params)}"
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and not self.pg:
            value = value.isoformat()
        self.params[name] = value
        return f"%({name})s"

    def pdate(self, value: dt.date) -> str:
        """A date parameter whose type must be known without context (VALUES lists on PostgreSQL)."""
        ph = self.p(value)
        return f"CAST({ph} AS date)" if self.pg else ph

    def pint(self, value: int) -> str:
        return f"CAST({self.p(int(value))} AS integer)"

    def now(self) -> str:
        from django.utils import timezone

        name = f"p{len(self.params)}"
        self.params[name] = connection.ops.adapt_datetimefield_value(timezone.now())
        return f"%({name})s"

    def age_at(self, born: str, on: str) -> str:
        """Completed years from date column ``born`` to date column ``on`` (same rule as ``age_on``)."""
        if self.pg:
            return (
                f"(CAST(EXTRACT(YEAR FROM {on}) AS integer) - CAST(EXTRACT(YEAR FROM {born}) AS integer)"
                f" - CASE WHEN to_char({on}, 'MMDD') < to_char({born}, 'MMDD') THEN 1 ELSE 0 END)"
            )
        return (
            f"(CAST(substr({on}, 1, 4) AS integer) - CAST(substr({born}, 1, 4) AS integer)"
            f" - CASE WHEN substr({on}, 6, 5) < substr({born}, 6, 5) THEN 1 ELSE 0 END)"
        )

    def minus_days(self, column: str, days: int) -> str:
        if self.pg:
            return f"({column} - {int(days)})"
        return f"date({column}, '-{int(days)} days')"


def count(cond: str) -> str:
    """Rows satisfying ``cond`` (the aggregate FILTER clause: PostgreSQL, SQLite >= 3.30)."""
    return f"COUNT(*) FILTER (WHERE {cond})"


def flag(cond: str) -> str:
    return f"CASE WHEN {cond} THEN 1 ELSE 0 END"


def active(alias: str, on: str) -> str:
    """Warga ``alias`` active on the date expression ``on`` (born, not dead, not moved away)."""
    return (
        f"{alias}.tanggal_lahir <= {on}"
        f" AND ({alias}.tanggal_meninggal IS NULL OR {alias}.tanggal_meninggal > {on})"
        f" AND ({alias}.tanggal_pindah IS NULL OR {alias}.tanggal_pindah > {on})"
    )


# ------------------------------------------------------------------------------ scope of the facts


class Scope:
    """Which dasawisma the facts come from: all, one subtree (path range) or one dasawisma."""

    def __init__(self, *, unit: Unit | None = None, dasawisma_id: int | None = None) -> None:
        self.unit = unit
        self.dasawisma_id = dasawisma_id

    def facts(self, q: Sql, column: str) -> str:
        """``AND ...`` restricting a fact table's dasawisma column."""
        if self.dasawisma_id is not None:
            return f" AND {column} = {q.p(self.dasawisma_id)}"
        if self.unit is not None:
            lo, hi = self.unit.path, self.unit.path + "A"
            return f" AND {column} IN (SELECT su.id FROM {U} su WHERE su.path >= {q.p(lo)} AND su.path < {q.p(hi)})"
        return ""

    def units(self, q: Sql, alias: str) -> str:
        """``AND ...`` restricting units (alias) to the scope."""
        if self.dasawisma_id is not None:
            return f" AND {alias}.id = {q.p(self.dasawisma_id)}"
        if self.unit is not None:
            return f" AND {alias}.path >= {q.p(self.unit.path)} AND {alias}.path < {q.p(self.unit.path + 'A')}"
        return ""


def by_pkey(q: Sql, columns: str) -> str:
    """Join the mother ``w`` (columns of ``W w``) of each pregnancy ``k`` by primary key.

    EXPLAIN (full bench scale): PostgreSQL hashed a sequential scan of all 800,000 warga to find the
    mothers of a few thousand pregnancies; ``LATERAL ... OFFSET 0`` keeps it one primary-key probe per
    pregnancy. SQLite (no LATERAL) probes the primary key anyway.
    """
    if q.pg:
        return f"CROSS JOIN LATERAL (SELECT {columns} FROM {W} w WHERE w.id = k.warga_id OFFSET 0) w"
    return f"JOIN {W} w ON w.id = k.warga_id"


# --------------------------------------------------------------------------------- annual (Buku II)


def person_conditions(q: Sql, ref: dt.date) -> list[tuple[str, str]]:
    """(measure, condition on warga ``w`` active on R, with ``kh`` = open pregnancy on R)."""
    c5, c15, c50, c60 = (q.p(years_before(ref, n)) for n in (5, 15, 50, 60))
    women_15_49 = f"w.jenis_kelamin = 'P' AND w.tanggal_lahir <= {c15} AND w.tanggal_lahir > {c50}"
    return [
        ("total_l", "w.jenis_kelamin = 'L'"),
        ("total_p", "w.jenis_kelamin = 'P'"),
        ("balita_l", f"w.jenis_kelamin = 'L' AND w.tanggal_lahir > {c5}"),
        ("balita_p", f"w.jenis_kelamin = 'P' AND w.tanggal_lahir > {c5}"),
        ("pus", f"{women_15_49} AND w.status_perkawinan = 'kawin'"),
        ("wus", women_15_49),
        ("ibu_hamil", "w.jenis_kelamin = 'P' AND kh.warga_id IS NOT NULL"),
        ("ibu_menyusui", "w.jenis_kelamin = 'P' AND w.menyusui"),
        ("lansia", f"w.tanggal_lahir <= {c60}"),
        ("tiga_buta_l", "w.jenis_kelamin = 'L' AND w.tiga_buta"),
        ("tiga_buta_p", "w.jenis_kelamin = 'P' AND w.tiga_buta"),
        ("berkebutuhan_khusus", "w.berkebutuhan_khusus <> ''"),
    ]


# (measure, condition on rumah tangga ``r``), counted only for counted households.
HOUSE_CONDITIONS: list[tuple[str, str]] = [
    ("rumah_sehat", "r.kriteria_rumah = 'sehat'"),
    ("rumah_tidak_sehat", "r.kriteria_rumah = 'tidak_sehat'"),
    ("tempat_sampah", "r.tempat_sampah"),
    ("spal", "r.spal"),
    ("mck_septic", "r.mck_septic_tank"),
    ("air_pdam", "r.sumber_air_pdam"),
    ("air_sumur", "r.sumber_air_sumur"),
    ("air_sungai", "r.sumber_air_sungai"),
    ("air_lainnya", "r.sumber_air_lainnya"),
    ("air_sungai_lainnya", "(r.sumber_air_sungai OR r.sumber_air_lainnya)"),
    ("makanan_beras", "r.makanan_pokok = 'beras'"),
    ("makanan_non_beras", "r.makanan_pokok = 'non_beras'"),
    ("up2k", "r.up2k"),
    ("pekarangan", "r.pemanfaatan_pekarangan"),
    ("industri_rt", "r.industri_rumah_tangga"),
    ("kesehatan_lingkungan", "r.kesehatan_lingkungan"),
]

PERSON_NAMES = [
    "total_l", "total_p", "balita_l", "balita_p", "pus", "wus", "ibu_hamil", "ibu_menyusui", "lansia",
    "tiga_buta_l", "tiga_buta_p", "berkebutuhan_khusus",
]  # fmt: skip
HOUSE_NAMES = [n for n, _ in HOUSE_CONDITIONS]
assert ["jml_krt", "jml_kk", *PERSON_NAMES, *HOUSE_NAMES] == BUKU_II_MEASURES, "reporting.measures.BUKU_II changed"


def household_subquery(q: Sql, ref: dt.date, scope: Scope) -> str:
    """One row per counted rumah tangga (>= 1 warga active on R): ``dw, rt_id, jml_kk`` and person measures."""
    r = q.p(ref)
    ks = scope.facts(q, "k.dasawisma_id")
    persons = ",\n  ".join(f"{count(cond)} AS {name}" for name, cond in person_conditions(q, ref))
    return f"""
SELECT w.dasawisma_id AS dw, w.rumah_tangga_id AS rt_id, COUNT(DISTINCT w.no_kk) AS jml_kk,
  {persons}
FROM {W} w
LEFT JOIN (
  SELECT DISTINCT k.warga_id FROM {K} k
  WHERE k.tanggal_mulai <= {r} AND (k.tanggal_selesai IS NULL OR k.tanggal_selesai > {r}){ks}
) kh ON kh.warga_id = w.id
WHERE {active("w", r)}{scope.facts(q, "w.dasawisma_id")}
GROUP BY w.dasawisma_id, w.rumah_tangga_id"""


def buku_ii_dasawisma_select(q: Sql, ref: dt.date, scope: Scope) -> str:
    """``dw`` and every BUKU_II measure per dasawisma (only dasawisma with an active warga).

    The same numbers as summing ``household_subquery`` per dasawisma, without grouping 800,000 warga per
    rumah tangga (EXPLAIN at full bench scale: a sort of every active warga and 229,000 per-household
    ``COUNT(DISTINCT no_kk)`` groups, 2.0 s of a 4.5 s rebuild). Instead, as the floor does:

    * ``p``: one pass over the active warga grouped by dasawisma: the person measures, JML KRT =
      ``COUNT(DISTINCT rumah_tangga_id)`` and JML KK = ``COUNT(DISTINCT keluarga_id)``. A keluarga is one
      No. KK within one rumah tangga (unique constraint ``keluarga_kk_per_rt``) and a warga's
      ``rumah_tangga``/``no_kk`` are its keluarga's (composite foreign key ``warga_keluarga_consistent`` on
      PostgreSQL; the services and the import set them so on SQLite), so distinct keluarga = the sum over the
      households of the distinct No. KK among their active warga.
    * ``kh``: ibu hamil from the open pregnancies (a few thousand rows), not a join of every warga.
    * ``h``: the household measures over every rumah tangga of the dasawisma. They equal the measures over
      the counted households exactly when every rumah tangga is counted (JML KRT = number of rumah tangga:
      the counted ones are a subset). Where not (a household whose members all died or moved), ``f`` counts
      that dasawisma's rumah tangga one by one with an active-warga probe.
    """
    r = q.p(ref)
    ws = scope.facts(q, "w.dasawisma_id")
    conditions = [(name, cond) for name, cond in person_conditions(q, ref) if name != "ibu_hamil"]
    persons = ",\n  ".join(f"{count(cond)} AS {name}" for name, cond in conditions)
    houses = ", ".join(f"{count(cond)} AS {name}" for name, cond in HOUSE_CONDITIONS)
    pick = ", ".join(f"CASE WHEN p.jml_krt = h.n THEN h.{n} ELSE COALESCE(f.{n}, 0) END AS {n}" for n in HOUSE_NAMES)
    person_cols = ", ".join(
        "COALESCE(kh.ibu_hamil, 0) AS ibu_hamil" if n == "ibu_hamil" else f"p.{n} AS {n}" for n in PERSON_NAMES
    )
    probe = f"(SELECT 1 FROM {W} x WHERE x.rumah_tangga_id = r.id AND {active('x', r)} LIMIT 1) IS NOT NULL"
    return f"""
WITH p AS (
SELECT w.dasawisma_id AS dw, COUNT(DISTINCT w.rumah_tangga_id) AS jml_krt, COUNT(DISTINCT w.keluarga_id) AS jml_kk,
  {persons}
FROM {W} w
WHERE {active("w", r)}{ws}
GROUP BY w.dasawisma_id
),
h AS (
SELECT r.dasawisma_id AS dw, COUNT(*) AS n, {houses}
FROM {RT} r
WHERE 1 = 1{scope.facts(q, "r.dasawisma_id")}
GROUP BY r.dasawisma_id
),
f AS (
SELECT r.dasawisma_id AS dw, {houses}
FROM {RT} r
WHERE r.dasawisma_id IN (SELECT p.dw FROM p LEFT JOIN h ON h.dw = p.dw WHERE h.n IS NULL OR p.jml_krt <> h.n)
  AND {probe}
GROUP BY r.dasawisma_id
),
kh AS (
SELECT w.dasawisma_id AS dw, COUNT(DISTINCT w.id) AS ibu_hamil
FROM {K} k {by_pkey(q, "w.id, w.dasawisma_id, w.jenis_kelamin, w.tanggal_lahir, w.tanggal_meninggal, w.tanggal_pindah")}
WHERE k.tanggal_mulai <= {r} AND (k.tanggal_selesai IS NULL OR k.tanggal_selesai > {r})
  AND w.jenis_kelamin = 'P' AND {active("w", r)}{scope.facts(q, "k.dasawisma_id")}{ws}
GROUP BY w.dasawisma_id
)
SELECT p.dw AS dw, p.jml_krt AS jml_krt, p.jml_kk AS jml_kk, {person_cols}, {pick}
FROM p
LEFT JOIN h ON h.dw = p.dw
LEFT JOIN f ON f.dw = p.dw
LEFT JOIN kh ON kh.dw = p.dw"""


# -------------------------------------------------------------------------------- monthly (Buku III)


def ibu_meninggal_condition(q: Sql) -> str:
    """Woman ``w`` who, on her tanggal meninggal, was pregnant or had given birth at most 42 days before."""
    d = "w.tanggal_meninggal"
    return (
        f"w.jenis_kelamin = 'P' AND EXISTS (SELECT 1 FROM {K} k2 WHERE k2.warga_id = w.id AND ("
        f"(k2.tanggal_mulai <= {d} AND (k2.tanggal_selesai IS NULL OR k2.tanggal_selesai >= {d}))"
        f" OR (k2.hasil IN {BIRTH_RESULTS} AND k2.tanggal_selesai <= {d}"
        f" AND k2.tanggal_selesai >= {q.minus_days(d, NIFAS_DAYS)})))"
    )


def buku_iii_months_cte(q: Sql, months: list[dt.date]) -> str:
    """``m(bulan, f, l, f42)``: one row per month; f42 = F - 42 days (earliest birth still nifas on F)."""
    from ..periods import month_bounds

    rows = []
    for bulan in months:
        first, last = month_bounds(bulan)
        rows.append(
            f"({q.pdate(first)}, {q.pdate(first)}, {q.pdate(last)}, {q.pdate(first - dt.timedelta(days=NIFAS_DAYS))})"
        )
    return "m(bulan, f, l, f42) AS (VALUES " + ", ".join(rows) + ")"


def buku_iii_events_cte(q: Sql, months: list[dt.date], scope: Scope) -> tuple[str, list[str], list[str]]:
    """CTEs ``kw``, ``pe(dw, bulan, <pregnancy measures>)`` and ``we(dw, bulan, <warga-event measures>)``:
    counts per dasawisma and month, each measure in exactly one of ``pe``/``we``. Returns (ctes, pregnancy
    measure names, warga-event measure names). The caller LEFT JOINs both to (dasawisma x month): no
    UNION ALL re-aggregated with SUM (EXPLAIN: that outer aggregate cost as much as computing the events).
    """
    from ..periods import month_bounds

    fmin = month_bounds(min(months))[0]
    lmax = month_bounds(max(months))[1]
    p_fmin, p_lmax = q.p(fmin), q.p(lmax)
    p_f42min = q.p(fmin - dt.timedelta(days=NIFAS_DAYS))
    ks = scope.facts(q, "k.dasawisma_id")
    ws = scope.facts(q, "w.dasawisma_id")

    hamil = (
        "kw.tanggal_mulai <= m.l AND (kw.tanggal_selesai IS NULL OR kw.tanggal_selesai > m.l)"
        f" AND {active('kw', 'm.l')}"
    )
    melahirkan = f"kw.hasil IN {BIRTH_RESULTS} AND kw.tanggal_selesai >= m.f AND kw.tanggal_selesai <= m.l"
    nifas = (
        f"kw.hasil IN {BIRTH_RESULTS} AND kw.tanggal_selesai < m.f AND kw.tanggal_selesai >= m.f42"
        f" AND {active('kw', 'm.f')}"
    )
    # Per (dasawisma, month, woman) first, then summed: a woman counts once however many of her pregnancies
    # qualify (EXPLAIN, full scale: three COUNT(DISTINCT) sorted each of 97,000 groups three times).
    per_woman = {
        "ibu_hamil": f"MAX({flag(hamil)})",
        "ibu_hamil_kek": f"MAX({flag(f'{hamil} AND kw.kek')})",
        "ibu_melahirkan": f"CAST({count(melahirkan)} AS integer)",
        "ibu_nifas": f"MAX({flag(nifas)})",
    }
    pregnancies = {name: f"SUM(pw.{name})" for name in per_woman}
    born = "w.tanggal_lahir >= m.f AND w.tanggal_lahir <= m.l"
    died = "w.tanggal_meninggal >= m.f AND w.tanggal_meninggal <= m.l"
    age = q.age_at("w.tanggal_lahir", "w.tanggal_meninggal")
    warga_events = {
        "ibu_meninggal": count(f"{died} AND {ibu_meninggal_condition(q)}"),
        "bayi_lahir_l": count(f"{born} AND w.jenis_kelamin = 'L'"),
        "bayi_lahir_p": count(f"{born} AND w.jenis_kelamin = 'P'"),
        "akte_ada": count(f"{born} AND w.akta_kelahiran"),
        "akte_tidak": count(f"{born} AND NOT w.akta_kelahiran"),
        "bayi_meninggal_l": count(f"{died} AND {age} < 1 AND w.jenis_kelamin = 'L'"),
        "bayi_meninggal_p": count(f"{died} AND {age} < 1 AND w.jenis_kelamin = 'P'"),
        "balita_meninggal_l": count(f"{died} AND {age} >= 1 AND {age} < 5 AND w.jenis_kelamin = 'L'"),
        "balita_meninggal_p": count(f"{died} AND {age} >= 1 AND {age} < 5 AND w.jenis_kelamin = 'P'"),
    }
    assert sorted([*pregnancies, *warga_events]) == sorted(BUKU_III_MEASURES), "reporting.measures.BUKU_III changed"
    pe_cols = ", ".join(pregnancies)
    we_cols = ", ".join(warga_events)
    # kw: every pregnancy that can count in one of the months, with its mother's dates (one join).
    mother = by_pkey(q, "w.tanggal_lahir, w.tanggal_meninggal, w.tanggal_pindah")
    ctes = f"""kw AS (
SELECT k.warga_id, k.dasawisma_id, k.tanggal_mulai, k.tanggal_selesai, k.hasil, k.kek,
  w.tanggal_lahir, w.tanggal_meninggal, w.tanggal_pindah
FROM {K} k {mother}
WHERE k.tanggal_mulai <= {p_lmax} AND (k.tanggal_selesai IS NULL OR k.tanggal_selesai >= {p_f42min}){ks}
),
pw(dw, bulan, {pe_cols}) AS (
SELECT kw.dasawisma_id, m.bulan, {", ".join(per_woman.values())}
FROM kw
JOIN m ON (kw.tanggal_mulai <= m.l AND (kw.tanggal_selesai IS NULL OR kw.tanggal_selesai > m.l))
  OR (kw.tanggal_selesai >= m.f42 AND kw.tanggal_selesai <= m.l)
GROUP BY kw.dasawisma_id, m.bulan, kw.warga_id
),
pe(dw, bulan, {pe_cols}) AS (
SELECT pw.dw, pw.bulan, {", ".join(pregnancies.values())}
FROM pw
GROUP BY pw.dw, pw.bulan
),
we(dw, bulan, {we_cols}) AS (
SELECT w.dasawisma_id, m.bulan, {", ".join(warga_events.values())}
FROM {W} w
JOIN m ON ({born}) OR ({died})
WHERE ((w.tanggal_lahir >= {p_fmin} AND w.tanggal_lahir <= {p_lmax})
    OR (w.tanggal_meninggal >= {p_fmin} AND w.tanggal_meninggal <= {p_lmax})){ws}
GROUP BY w.dasawisma_id, m.bulan
)"""
    return ctes, list(pregnancies), list(warga_events)
