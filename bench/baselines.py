"""The per-unit ORM baseline beside the roll-up rebuild (the floors of the rebuild are in ``bench.floors``).

* ``per_unit_orm``: the common approach of PKK apps: for every unit of every tier and every column, one ORM
  ``count()`` over the unit's subtree. Measured on a sample of units per level and every column (Buku III
  on one month, counted twelve times), then scaled by the number of units of each level.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable

from django.db.models import Count, F, Q, QuerySet

from dasawisma.models import Kehamilan, RumahTangga, Warga
from pkk.models import PATH_END, Level, Unit


def years_before(on: dt.date, years: int) -> dt.date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


# ------------------------------------------------------------------------------------ per-unit ORM


def _active(on: dt.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}tanggal_lahir__lte": on})
        & (Q(**{f"{prefix}tanggal_meninggal__isnull": True}) | Q(**{f"{prefix}tanggal_meninggal__gt": on}))
        & (Q(**{f"{prefix}tanggal_pindah__isnull": True}) | Q(**{f"{prefix}tanggal_pindah__gt": on}))
    )


def _in(unit: Unit, field: str = "dasawisma") -> Q:
    return Q(**{f"{field}__path__gte": unit.path, f"{field}__path__lt": unit.path + PATH_END})


def buku2_columns(tahun: int) -> list[tuple[str, Callable[[Unit], QuerySet]]]:
    """(column, unit -> queryset whose count() is that column) for Buku II."""
    r = dt.date(tahun, 12, 31)
    c5, c15, c50, c60 = (years_before(r, n) for n in (5, 15, 50, 60))

    def w(unit, **kw):
        return Warga.objects.filter(_in(unit), _active(r), **kw)

    def hamil(unit):
        return (
            Kehamilan.objects.filter(_in(unit), _active(r, "warga__"), tanggal_mulai__lte=r)
            .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gt=r))
            .values("warga")
            .distinct()
        )

    def rumah(unit, **kw):
        return RumahTangga.objects.filter(_in(unit), **kw).filter(
            pk__in=Warga.objects.filter(_in(unit), _active(r)).values("rumah_tangga")
        )

    cols: list[tuple[str, Callable[[Unit], QuerySet]]] = [
        ("jml_krt", lambda u: w(u).values("rumah_tangga").distinct()),
        ("jml_kk", lambda u: w(u).values("no_kk").distinct()),
        ("total_l", lambda u: w(u, jenis_kelamin="L")),
        ("total_p", lambda u: w(u, jenis_kelamin="P")),
        ("balita_l", lambda u: w(u, jenis_kelamin="L", tanggal_lahir__gt=c5)),
        ("balita_p", lambda u: w(u, jenis_kelamin="P", tanggal_lahir__gt=c5)),
        (
            "pus",
            lambda u: w(u, jenis_kelamin="P", status_perkawinan="kawin", tanggal_lahir__lte=c15, tanggal_lahir__gt=c50),
        ),
        ("wus", lambda u: w(u, jenis_kelamin="P", tanggal_lahir__lte=c15, tanggal_lahir__gt=c50)),
        ("ibu_hamil", hamil),
        ("ibu_menyusui", lambda u: w(u, jenis_kelamin="P", menyusui=True)),
        ("lansia", lambda u: w(u, tanggal_lahir__lte=c60)),
        ("tiga_buta_l", lambda u: w(u, jenis_kelamin="L", tiga_buta=True)),
        ("tiga_buta_p", lambda u: w(u, jenis_kelamin="P", tiga_buta=True)),
        ("berkebutuhan_khusus", lambda u: w(u).exclude(berkebutuhan_khusus="")),
    ]
    house = [
        ("rumah_sehat", {"kriteria_rumah": "sehat"}),
        ("rumah_tidak_sehat", {"kriteria_rumah": "tidak_sehat"}),
        ("tempat_sampah", {"tempat_sampah": True}),
        ("spal", {"spal": True}),
        ("mck_septic", {"mck_septic_tank": True}),
        ("air_pdam", {"sumber_air_pdam": True}),
        ("air_sumur", {"sumber_air_sumur": True}),
        ("air_sungai", {"sumber_air_sungai": True}),
        ("air_lainnya", {"sumber_air_lainnya": True}),
        ("makanan_beras", {"makanan_pokok": "beras"}),
        ("makanan_non_beras", {"makanan_pokok": "non_beras"}),
        ("up2k", {"up2k": True}),
        ("pekarangan", {"pemanfaatan_pekarangan": True}),
        ("industri_rt", {"industri_rumah_tangga": True}),
        ("kesehatan_lingkungan", {"kesehatan_lingkungan": True}),
    ]

    def house_col(kw):
        return lambda u: rumah(u, **kw)

    cols += [(name, house_col(kw)) for name, kw in house]
    either = Q(sumber_air_sungai=True) | Q(sumber_air_lainnya=True)
    cols.append(("air_sungai_lainnya", lambda u: rumah(u).filter(either)))
    return cols


def buku3_columns(bulan: dt.date) -> list[tuple[str, Callable[[Unit], QuerySet]]]:
    first = bulan.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    in_month = {"tanggal_meninggal__gte": first, "tanggal_meninggal__lte": last}
    born_in = {"tanggal_lahir__gte": first, "tanggal_lahir__lte": last}

    def hamil(u, **kw):
        return (
            Kehamilan.objects.filter(_in(u), _active(last, "warga__"), tanggal_mulai__lte=last, **kw)
            .filter(Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gt=last))
            .values("warga")
            .distinct()
        )

    def dead_young(u, sex, lo_years, hi_years):
        return (
            Warga.objects.filter(_in(u), jenis_kelamin=sex, **in_month)
            .annotate(d=F("tanggal_meninggal") - F("tanggal_lahir"))
            .filter(d__gte=dt.timedelta(days=int(365.25 * lo_years)), d__lt=dt.timedelta(days=int(365.25 * hi_years)))
        )

    return [
        ("ibu_hamil", hamil),
        ("ibu_hamil_kek", lambda u: hamil(u, kek=True)),
        (
            "ibu_melahirkan",
            lambda u: Kehamilan.objects.filter(
                _in(u), tanggal_selesai__gte=first, tanggal_selesai__lte=last, hasil__in=["lahir_hidup", "lahir_mati"]
            ),
        ),
        (
            "ibu_nifas",
            lambda u: (
                Kehamilan.objects.filter(
                    _in(u),
                    _active(first, "warga__"),
                    hasil__in=["lahir_hidup", "lahir_mati"],
                    tanggal_selesai__lt=first,
                    tanggal_selesai__gte=first - dt.timedelta(days=42),
                )
                .values("warga")
                .distinct()
            ),
        ),
        (
            "ibu_meninggal",
            lambda u: (
                Warga.objects.filter(
                    _in(u),
                    jenis_kelamin="P",
                    **in_month,
                    kehamilan__tanggal_mulai__lte=F("tanggal_meninggal"),
                )
                .filter(
                    Q(kehamilan__tanggal_selesai__isnull=True)
                    | Q(kehamilan__tanggal_selesai__gte=F("tanggal_meninggal") - dt.timedelta(days=42))
                )
                .distinct()
            ),
        ),
        ("bayi_lahir_l", lambda u: Warga.objects.filter(_in(u), jenis_kelamin="L", **born_in)),
        ("bayi_lahir_p", lambda u: Warga.objects.filter(_in(u), jenis_kelamin="P", **born_in)),
        ("akte_ada", lambda u: Warga.objects.filter(_in(u), akta_kelahiran=True, **born_in)),
        ("akte_tidak", lambda u: Warga.objects.filter(_in(u), akta_kelahiran=False, **born_in)),
        ("bayi_meninggal_l", lambda u: dead_young(u, "L", 0, 1)),
        ("bayi_meninggal_p", lambda u: dead_young(u, "P", 0, 1)),
        ("balita_meninggal_l", lambda u: dead_young(u, "L", 1, 5)),
        ("balita_meninggal_p", lambda u: dead_young(u, "P", 1, 5)),
    ]


def per_unit_orm(tahun: int, *, per_level: dict[str, int], seed: int = 1, budget_s: float = 120.0) -> dict:
    """Time one count() per sampled unit and column; scale to every unit of every level.

    Returns {"estimate_s", "queries_total", "sampled_queries", "sampled_s", "by_level": {...}}.
    """
    rng = random.Random(seed)
    b2 = buku2_columns(tahun)
    b3 = buku3_columns(dt.date(tahun, 6, 1))
    counts = dict(
        Unit.objects.filter(is_active=True).values_list("level").annotate(n=Count("id")).values_list("level", "n")
    )
    by_level = {}
    total = 0.0
    sampled_q = 0
    sampled_s = 0.0
    started = time.perf_counter()
    for level in [lv for lv in Level.values if counts.get(lv)]:
        ids = list(Unit.objects.filter(level=level, is_active=True).values_list("pk", flat=True))
        k = min(len(ids), per_level.get(level, 3))
        sample = Unit.objects.filter(pk__in=rng.sample(ids, k))
        per_unit_times = []
        for unit in sample:
            if time.perf_counter() - started > budget_s and per_unit_times:
                break
            t_b2 = 0.0
            for _, make in b2:
                t0 = time.perf_counter()
                make(unit).count()
                t_b2 += time.perf_counter() - t0
            t_b3 = 0.0
            for _, make in b3:
                t0 = time.perf_counter()
                make(unit).count()
                t_b3 += time.perf_counter() - t0
            sampled_q += len(b2) + len(b3)
            sampled_s += t_b2 + t_b3
            per_unit_times.append(t_b2 + 12 * t_b3)  # one year: Buku II once, Buku III twelve months
        mean = statistics.mean(per_unit_times) if per_unit_times else 0.0
        by_level[level] = {
            "units": counts[level],
            "sampled": len(per_unit_times),
            "seconds_per_unit": mean,
            "estimate_s": mean * counts[level],
        }
        total += mean * counts[level]
    n_units = sum(counts.values())
    return {
        "estimate_s": total,
        "queries_total": n_units * (len(b2) + 12 * len(b3)),
        "columns": {"buku2": len(b2), "buku3_per_month": len(b3)},
        "sampled_queries": sampled_q,
        "sampled_s": sampled_s,
        "by_level": by_level,
    }
