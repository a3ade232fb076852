"""The benchmark's baselines compute the same numbers as the stored roll-up (a fair comparison)."""

import datetime as dt

import pytest
from django.db import connection

from bench import baselines
from dasawisma import demo
from pkk.models import Level, Unit
from reporting import rollup
from reporting.models import RekapBulanan, RekapTahunan

TAHUN = 2025


@pytest.fixture
def data(tree):
    demo.generate(desa_units=[tree.kaliboto, tree.kedungpucang, tree.harjobinangun], households_per_desa=40,
                  seed=5, today=dt.date(TAHUN, 12, 31))
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


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="FLOOR_SQL is PostgreSQL")
def test_floor_matches_stored_dasawisma_rows(data):
    r = dt.date(TAHUN, 12, 31)
    params = {"r": r, **{f"c{n}": baselines.years_before(r, n) for n in (5, 15, 50, 60)}}
    with connection.cursor() as cur:
        cur.execute(baselines.FLOOR_SQL, params)
        cols = [c.name for c in cur.description]
        rows = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    assert len(rows) == baselines.floor(TAHUN) > 5
    stored = {s.unit_id: s for s in RekapTahunan.objects.filter(tahun=TAHUN, unit__level=Level.DASAWISMA)}
    for row in rows:
        s = stored[row["dasawisma_id"]]
        for name in cols[1:]:
            assert row[name] == getattr(s, name), (row["dasawisma_id"], name)
