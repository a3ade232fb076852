"""Property tests (hypothesis) on random trees and data:

* every stored dasawisma row equals a plain-Python reading of DOMAIN.md section 4 (the oracle below,
  written independently of the SQL: loops and ``age_on``);
* every registered unit has a row; for every measure, at every tier, parent = sum of its registered
  children (a unit also counts itself in its own level's leading count);
* the live 4.16a rows add up to the stored dasawisma row.

Each example builds its tree and data inside a savepoint that is rolled back (``transaction.atomic`` +
``set_rollback``), so hypothesis can run many examples in one pytest-django test transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dasawisma.models import Kehamilan, RumahTangga, Warga
from dasawisma.validators import age_on
from pkk.models import LEVEL_ORDER, Level, Unit
from pkk.services import unit_create
from reporting import rollup
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from reporting.models import RekapBulanan, RekapTahunan
from reporting.periods import month_bounds, months_of_year
from reporting.rollup.sql import years_before
from reporting.rollup.store import COUNT_LEVEL

from .data import D, hamil, rumah_tangga, warga

TAHUN = 2025
R = D(TAHUN, 12, 31)
BIRTHS = ("lahir_hidup", "lahir_mati")


# ------------------------------------------------------------------------------------------ invariant


def assert_parent_is_sum_of_children(tahun: int, months: list[dt.date]) -> None:
    units = list(Unit.objects.all())
    children = defaultdict(list)
    for u in units:
        if u.parent_id and u.is_active:
            children[u.parent_id].append(u.pk)
    for model, key, periods, names in (
        (RekapTahunan, "tahun", [tahun], BUKU_II_MEASURES),
        (RekapBulanan, "bulan", months, BUKU_III_MEASURES),
    ):
        rows = {(r["unit_id"], r[key]): r for r in model.objects.filter(**{f"{key}__in": periods}).values()}
        for period in periods:
            for u in units:
                if not u.is_active:
                    assert (u.pk, period) not in rows, f"inactive {u} has a row"
                    continue
                row = rows.get((u.pk, period))
                assert row is not None, f"{u} has no row for {period}"
                if u.level == Level.DASAWISMA:
                    assert [row[n] for n in UNIT_COUNT_NAMES] == [0, 0, 0, 0, 1]
                    continue
                kids = [rows[(c, period)] for c in children[u.pk]]
                for name in [*UNIT_COUNT_NAMES, *names]:
                    own = 1 if COUNT_LEVEL.get(name) == u.level else 0
                    assert row[name] == own + sum(k[name] for k in kids), (u, period, name)


# ---------------------------------------------------------------------------------------------- oracle


def is_active(w: Warga, on: dt.date) -> bool:
    return (
        w.tanggal_lahir <= on
        and (w.tanggal_meninggal is None or w.tanggal_meninggal > on)
        and (w.tanggal_pindah is None or w.tanggal_pindah > on)
    )


def oracle_tahunan(rts: list[RumahTangga], wargas: list[Warga], kehamilan: list[Kehamilan], ref: dt.date) -> dict:
    out = dict.fromkeys(BUKU_II_MEASURES, 0)
    for rt in rts:
        members = [w for w in wargas if w.rumah_tangga_id == rt.pk and is_active(w, ref)]
        if not members:
            continue
        out["jml_krt"] += 1
        out["jml_kk"] += len({w.no_kk for w in members})
        for w in members:
            age, p = age_on(w.tanggal_lahir, ref), w.jenis_kelamin == "P"
            out["total_l" if not p else "total_p"] += 1
            if age < 5:
                out["balita_p" if p else "balita_l"] += 1
            if p and 15 <= age <= 49:
                out["wus"] += 1
                out["pus"] += w.status_perkawinan == "kawin"
            pregnant = any(
                k.warga_id == w.pk and k.tanggal_mulai <= ref and (k.tanggal_selesai is None or k.tanggal_selesai > ref)
                for k in kehamilan
            )
            out["ibu_hamil"] += p and pregnant
            out["ibu_menyusui"] += p and w.menyusui
            out["lansia"] += age >= 60
            if w.tiga_buta:
                out["tiga_buta_p" if p else "tiga_buta_l"] += 1
            out["berkebutuhan_khusus"] += w.berkebutuhan_khusus != ""
        out["rumah_sehat"] += rt.kriteria_rumah == "sehat"
        out["rumah_tidak_sehat"] += rt.kriteria_rumah == "tidak_sehat"
        out["tempat_sampah"] += rt.tempat_sampah
        out["spal"] += rt.spal
        out["mck_septic"] += rt.mck_septic_tank
        out["air_pdam"] += rt.sumber_air_pdam
        out["air_sumur"] += rt.sumber_air_sumur
        out["air_sungai"] += rt.sumber_air_sungai
        out["air_lainnya"] += rt.sumber_air_lainnya
        out["air_sungai_lainnya"] += rt.sumber_air_sungai or rt.sumber_air_lainnya
        out["makanan_beras"] += rt.makanan_pokok == "beras"
        out["makanan_non_beras"] += rt.makanan_pokok == "non_beras"
        out["up2k"] += rt.up2k
        out["pekarangan"] += rt.pemanfaatan_pekarangan
        out["industri_rt"] += rt.industri_rumah_tangga
        out["kesehatan_lingkungan"] += rt.kesehatan_lingkungan
    return {k: int(v) for k, v in out.items()}


def oracle_bulanan(wargas: list[Warga], kehamilan: list[Kehamilan], bulan: dt.date) -> dict:
    first, last = month_bounds(bulan)
    by_id = {w.pk: w for w in wargas}
    out = dict.fromkeys(BUKU_III_MEASURES, 0)
    hamil_w, kek_w, nifas_w = set(), set(), set()
    for k in kehamilan:
        w = by_id[k.warga_id]
        if k.tanggal_mulai <= last and (k.tanggal_selesai is None or k.tanggal_selesai > last) and is_active(w, last):
            hamil_w.add(w.pk)
            if k.kek:
                kek_w.add(w.pk)
        if k.hasil in BIRTHS and first <= k.tanggal_selesai <= last:
            out["ibu_melahirkan"] += 1
        if k.hasil in BIRTHS and k.tanggal_selesai < first and (first - k.tanggal_selesai).days <= 42:
            if is_active(w, first):
                nifas_w.add(w.pk)
    out["ibu_hamil"], out["ibu_hamil_kek"], out["ibu_nifas"] = len(hamil_w), len(kek_w), len(nifas_w)
    for w in wargas:
        p = w.jenis_kelamin == "P"
        if first <= w.tanggal_lahir <= last:
            out["bayi_lahir_p" if p else "bayi_lahir_l"] += 1
            out["akte_ada" if w.akta_kelahiran else "akte_tidak"] += 1
        d = w.tanggal_meninggal
        if d is None or not first <= d <= last:
            continue
        age = age_on(w.tanggal_lahir, d)
        if age < 1:
            out["bayi_meninggal_p" if p else "bayi_meninggal_l"] += 1
        elif age < 5:
            out["balita_meninggal_p" if p else "balita_meninggal_l"] += 1
        mine = [k for k in kehamilan if k.warga_id == w.pk]
        if p and any(
            (k.tanggal_mulai <= d and (k.tanggal_selesai is None or k.tanggal_selesai >= d))
            or (k.hasil in BIRTHS and k.tanggal_selesai <= d and (d - k.tanggal_selesai).days <= 42)
            for k in mine
        ):
            out["ibu_meninggal"] += 1
    return out


# ------------------------------------------------------------------------------------------ strategies

NEAR = [1, 5, 15, 49, 50, 60]
birth_dates = st.one_of(
    st.dates(D(1930, 1, 1), D(2025, 12, 31)),
    st.dates(D(2023, 6, 1), D(2025, 12, 31)),  # babies: births and infant deaths in the months
    st.builds(lambda n, d: years_before(R, n) + dt.timedelta(days=d), st.sampled_from(NEAR), st.integers(-1, 1)),
)
person = st.fixed_dictionaries(
    {
        "jk": st.sampled_from("LP"),
        "lahir": birth_dates,
        "kawin": st.sampled_from(["kawin", "belum_kawin"]),
        "mati": st.one_of(st.none(), st.integers(0, 2200)),  # days after birth
        "pindah": st.one_of(st.none(), st.integers(0, 30000)),
        "menyusui": st.booleans(),
        "tiga_buta": st.booleans(),
        "bk": st.sampled_from(["", "", "fisik"]),
        "akta": st.booleans(),
        "hamil": st.one_of(
            st.none(),
            st.tuples(
                st.dates(D(2024, 6, 1), D(2025, 12, 31)),
                st.one_of(st.none(), st.integers(0, 290)),
                st.sampled_from(["lahir_hidup", "lahir_mati", "keguguran"]),
                st.one_of(st.none(), st.booleans()),
            ),
        ),
    }
)
household = st.fixed_dictionaries(
    {
        "kriteria": st.sampled_from(["sehat", "tidak_sehat"]),
        "makanan": st.sampled_from(["beras", "non_beras"]),
        "flags": st.lists(st.booleans(), min_size=11, max_size=11),
        "members": st.lists(person, max_size=4),
    }
)
FLAGS = [
    "tempat_sampah", "spal", "mck_septic_tank", "sumber_air_pdam", "sumber_air_sumur", "sumber_air_sungai",
    "sumber_air_lainnya", "up2k", "pemanfaatan_pekarangan", "industri_rumah_tangga", "kesehatan_lingkungan",
]  # fmt: skip
maybe_active = st.sampled_from([True, True, True, True, False])
# kecamatan -> desa (with dusun?, active) -> RW -> RT (active) -> dasawisma (active)
tree = st.lists(
    st.lists(
        st.tuples(
            st.booleans(),
            maybe_active,
            st.lists(st.lists(st.tuples(maybe_active, st.lists(maybe_active, max_size=2)), min_size=1, max_size=2),
                     min_size=1, max_size=2),
        ),
        min_size=1,
        max_size=2,
    ),
    min_size=1,
    max_size=2,
)  # fmt: skip


def build(shape, draw) -> list[Unit]:
    """Create the units; returns the dasawisma (active or not)."""
    prov = unit_create(level=Level.PROVINSI, name="P", parent=None, code="99")
    kab = unit_create(level=Level.KABUPATEN, name="K", parent=prov, code="99.01")
    dasawisma: list[Unit] = []
    inactive: list[Unit] = []
    for i, desas in enumerate(shape):
        kec = unit_create(level=Level.KECAMATAN, name=f"Kec{i}", parent=kab, code=f"99.01.{i + 10}")
        for j, (has_dusun, desa_active, rws) in enumerate(desas):
            desa = unit_create(level=Level.DESA, name=f"Desa{j}", parent=kec, code=f"99.01.{i + 10}.{2001 + j}")
            if not desa_active:
                inactive.append(desa)
            under = unit_create(level=Level.DUSUN, name="Dsn", parent=desa) if has_dusun else desa
            for a, rts in enumerate(rws):
                rw = unit_create(level=Level.RW, name=f"{a + 1:02d}", parent=under)
                for b, (rt_active, dws) in enumerate(rts):
                    rt = unit_create(level=Level.RT, name=f"{b + 1:02d}", parent=rw)
                    if not rt_active:
                        inactive.append(rt)
                    for c, dw_active in enumerate(dws):
                        dw = unit_create(level=Level.DASAWISMA, name=f"D{c}", parent=rt)
                        dasawisma.append(dw)
                        if not dw_active:
                            inactive.append(dw)
    Unit.objects.filter(pk__in=[u.pk for u in inactive]).update(is_active=False)
    return dasawisma


def fill(dw: Unit, households: list[dict]) -> None:
    for h, spec in enumerate(households):
        rt = rumah_tangga(dw, f"{h:02d}", kriteria_rumah=spec["kriteria"], makanan_pokok=spec["makanan"],
                          **dict(zip(FLAGS, spec["flags"], strict=True)))  # fmt: skip
        for m, p in enumerate(spec["members"]):
            kk = f"{dw.pk:08d}{h:04d}{m % 2:04d}"
            mati = p["lahir"] + dt.timedelta(days=p["mati"]) if p["mati"] is not None else None
            pindah = p["lahir"] + dt.timedelta(days=p["pindah"]) if p["pindah"] is not None else None
            w = warga(rt, kk, f"W{m}", p["jk"], p["lahir"], kawin=p["kawin"], menyusui=p["menyusui"],
                      tiga_buta=p["tiga_buta"], berkebutuhan_khusus=p["bk"], akta_kelahiran=p["akta"],
                      tanggal_meninggal=mati, tanggal_pindah=pindah)  # fmt: skip
            if p["hamil"] and p["jk"] == "P":
                mulai, lama, hasil, kek = p["hamil"]
                selesai = mulai + dt.timedelta(days=lama) if lama is not None else None
                hamil(w, mulai, selesai=selesai, hasil=hasil if selesai else "", kek=kek)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])  # fmt: skip
@given(data=st.data())
def _property(data) -> None:
    with transaction.atomic():
        dasawisma = build(data.draw(tree, label="tree"), data.draw)
        for dw in dasawisma:
            fill(dw, data.draw(st.lists(household, max_size=3), label=f"households {dw.pk}"))
        rollup.rebuild(None, tahun=TAHUN)
        months = months_of_year(TAHUN)
        assert_parent_is_sum_of_children(TAHUN, months)
        for dw in dasawisma:
            if not dw.is_active or not Unit.objects.get(pk=dw.pk).is_active:
                continue
            rts = list(RumahTangga.objects.filter(dasawisma=dw))
            wargas = list(Warga.objects.filter(dasawisma=dw))
            keh = list(Kehamilan.objects.filter(dasawisma=dw))
            stored = RekapTahunan.objects.filter(unit=dw, tahun=TAHUN).values(*BUKU_II_MEASURES).get()
            assert stored == oracle_tahunan(rts, wargas, keh, R)
            live = rollup.rumah_tangga_rows(dw, TAHUN)
            assert {n: sum(r[n] for r in live) for n in BUKU_II_MEASURES} == stored
            for bulan in months:
                got = RekapBulanan.objects.filter(unit=dw, bulan=bulan).values(*BUKU_III_MEASURES).get()
                assert got == oracle_bulanan(wargas, keh, bulan), bulan
        transaction.set_rollback(True)


def test_parent_is_sum_of_children_and_dasawisma_rows_match_the_oracle(db):
    _property()


@given(st.dates(D(1999, 1, 1), D(2030, 12, 31)), st.dates(D(1900, 1, 1), D(2030, 12, 31)), st.integers(0, 80))
@settings(max_examples=300)
def test_years_before_matches_age_on(on, born, years):
    assert (age_on(born, on) >= years) == (born <= years_before(on, years))


def test_years_before_leap_day():
    assert years_before(D(2024, 2, 29), 1) == D(2023, 2, 28)
    assert age_on(D(2023, 2, 28), D(2024, 2, 29)) == 1 and age_on(D(2023, 3, 1), D(2024, 2, 29)) == 0
    assert years_before(D(2025, 2, 28), 1) == D(2024, 2, 28)  # born 29 Feb 2024: 0 on 28 Feb 2025
    assert age_on(D(2024, 2, 29), D(2025, 2, 28)) == 0


def test_levels_are_known():
    assert set(COUNT_LEVEL.values()) <= set(LEVEL_ORDER)
