"""The benchmark's baselines compute the same numbers as the stored roll-up (a fair comparison)."""

import datetime as dt

import pytest
from django.db import connection

from bench import baselines
from demo.generator import generate
from pkk.models import Level, Unit
from reporting import rollup
from reporting.models import RekapBulanan, RekapTahunan

TAHUN = 2025


@pytest.fixture
def data(tree):
    generate(
        desa_units=[tree.kaliboto, tree.kedungpucang, tree.harjobinangun],
        households_per_desa=40,
        seed=5,
        today=dt.date(TAHUN, 12, 31),
    )
    rollup.rebuild(None, tahun=TAHUN)
    return tree


def test_per_unit_orm_matches_stored_rekap(data):
    kec = data.bener
    stored = RekapTahunan.objects.get(unit=kec, tahun=TAHUN)
    for name, make in baselines.buku2_columns(TAHUN):
        assert make(kec).count() == getattr(stored, name), name
    bulan = dt.date(TAHUN, 6, 1)
    stored_m = RekapBulanan.objects.get(unit=kec, bulan=bulan)
    for name, make in baselines.buku3_columns(bulan):
        assert make(kec).count() == getattr(stored_m, name), name
    assert stored.total_l + stored.total_p > 200


def test_per_unit_orm_estimate_scales_by_level(data):
    res = baselines.per_unit_orm(TAHUN, per_level={"dasawisma": 2, "rt": 2}, seed=1, budget_s=60)
    n_units = Unit.objects.filter(is_active=True).count()
    assert res["queries_total"] == n_units * (30 + 12 * 13)
    assert res["by_level"][Level.DASAWISMA]["sampled"] == 2
    assert res["estimate_s"] > res["sampled_s"] > 0


def _rows(model, period):
    from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES

    names = BUKU_II_MEASURES if model is RekapTahunan else BUKU_III_MEASURES
    return {(r[0], r[1]): r[2:] for r in model.objects.values_list("unit_id", period, *UNIT_COUNT_NAMES, *names)}


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the floors are PostgreSQL SQL (generate_series)")
def test_floors_write_and_compare_the_same_rows_as_the_rebuild(data):
    """The floors of the three rebuild measures do the same work: first build = every stored row, repeated
    rebuild = 0 rows differ from the stored ones, refresh = the rows of a rebuild after the edit."""
    from bench import floors
    from dasawisma.models import Warga

    stored_t, stored_b = _rows(RekapTahunan, "tahun"), _rows(RekapBulanan, "bulan")
    assert floors.first_build(TAHUN)["rows"] == len(stored_t) + len(stored_b) > 100
    assert floors.repeat(TAHUN)["differing"] == 0
    assert _rows(RekapTahunan, "tahun") == stored_t  # rolled back: nothing left behind
    # an edit: a warga of one dasawisma starts nursing; the floor's delta update = a rebuild's result
    w = Warga.objects.filter(
        jenis_kelamin="P",
        menyusui=False,
        tanggal_meninggal=None,
        tanggal_pindah=None,
        tanggal_lahir__lte=dt.date(1990, 1, 1),
    ).first()
    Warga.objects.filter(pk=w.pk).update(menyusui=True, tanggal_lahir=dt.date(TAHUN, 3, 5))
    dw = Unit.objects.get(pk=w.dasawisma_id)
    months = [dt.date(TAHUN, m, 1) for m in range(1, 13)]
    assert floors.refresh(dw, TAHUN, months)["updated"] == len(dw.ancestor_ids()) * (1 + 12)  # chain x periods
    assert _rows(RekapTahunan, "tahun") == stored_t
    floors.refresh(dw, TAHUN, months, keep=True)
    by_floor = _rows(RekapTahunan, "tahun"), _rows(RekapBulanan, "bulan")
    assert by_floor != (stored_t, stored_b)
    rollup.rebuild(None, tahun=TAHUN)
    assert (_rows(RekapTahunan, "tahun"), _rows(RekapBulanan, "bulan")) == by_floor
    assert floors.repeat(TAHUN)["differing"] == 0
