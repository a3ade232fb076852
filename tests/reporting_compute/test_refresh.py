"""Keeping the rekap current: refresh of one dasawisma touches only it and its ancestors, honours locks,
is idempotent, fills units that were never built, and is driven by the outbox, the task and the sweep."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from dasawisma.models import DasawismaChange
from pkk.services import unit_create
from reporting import rollup, services, tasks
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from reporting.models import KunciPeriode, RekapBulanan, RekapTahunan

from .data import D, hamil, outbox, rumah_tangga, warga

TODAY = D(2025, 3, 20)
MARCH = D(2025, 3, 1)


def snapshot() -> dict:
    """Every stored row, with its id and computed_at: {(table, unit, period): tuple}."""
    out = {}
    for row in RekapTahunan.objects.values():
        out[("t", row["unit_id"], row["tahun"])] = row
    for row in RekapBulanan.objects.values():
        out[("b", row["unit_id"], row["bulan"])] = row
    return out


def values_only(snap: dict) -> dict:
    return {k: {n: v for n, v in row.items() if n not in ("id", "computed_at")} for k, row in snap.items()}


@pytest.fixture
def built(units):
    """Some data in Mawar and Kenanga, built for 2025."""
    rt = rumah_tangga(units["mawar"], "01", sumber_air_pdam=True)
    ibu = warga(rt, "3306000000000001", "Ani", "P", D(1990, 1, 1), status="istri", kawin="kawin")
    hamil(ibu, D(2025, 1, 10))
    rt2 = rumah_tangga(units["kenanga"], "01")
    warga(rt2, "3306000000000002", "Budi", "L", D(1980, 1, 1), status="kepala_keluarga")
    rollup.rebuild(None, tahun=2025)
    return units


def add_baby(units, lahir=None):
    lahir = lahir or D(2025, 3, 2)
    rt = units["mawar"].rumah_tangga.get()
    baby = warga(rt, "3306000000000001", "Bayi", "L", lahir, akta_kelahiran=True)
    outbox(units["mawar"], lahir)
    return baby


def chain_ids(units, key="mawar") -> set[int]:
    return set(units[key].ancestor_ids(include_self=True))


def test_refresh_touches_only_the_dasawisma_and_its_ancestors(built, django_assert_max_num_queries):
    before = snapshot()
    add_baby(built)
    with django_assert_max_num_queries(26):  # lock, outbox, periods, locks, 2 + 7 x 2 statements, delete
        result = services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    assert result["changes"] == 1 and result["years"] == [2025]
    assert result["months"] == ["2025-03-01"]  # from since (2 Mar) to the current month
    after = snapshot()
    chain = chain_ids(built)
    for key, row in after.items():
        if key[1] not in chain or (key[0] == "b" and key[2] != MARCH):
            assert row == before[key], key  # same values, same id, same computed_at
    for unit_id in chain:
        assert after[("b", unit_id, MARCH)]["bayi_lahir_l"] == before[("b", unit_id, MARCH)]["bayi_lahir_l"] + 1
        assert after[("b", unit_id, MARCH)]["akte_ada"] == 1
        assert after[("t", unit_id, 2025)]["balita_l"] == 1
        assert after[("t", unit_id, 2025)]["total_l"] == before[("t", unit_id, 2025)]["total_l"] + 1
    assert not DasawismaChange.objects.exists()


def test_refresh_equals_a_full_rebuild(built):
    add_baby(built)
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    refreshed = values_only(snapshot())
    rollup.rebuild(None, tahun=2025)
    assert values_only(snapshot()) == refreshed


def test_refresh_is_idempotent(built):
    add_baby(built)
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    first = snapshot()
    assert services.refresh_dasawisma(built["mawar"].pk, today=TODAY)["changes"] == 0
    assert snapshot() == first  # nothing to do: nothing written
    outbox(built["mawar"], D(2025, 1, 1))  # the same change reported again
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    assert values_only(snapshot()) == values_only(first)


def test_locked_period_is_not_changed(built):
    from dasawisma.models import Kehamilan
    from pkk.models import Unit

    kaliboto = built["kaliboto"]
    KunciPeriode.objects.create(unit=kaliboto, jenis="buku3", periode=MARCH)
    KunciPeriode.objects.create(unit=kaliboto, jenis="buku2", periode=D(2025, 1, 1))
    before = snapshot()
    add_baby(built)  # born 2 March
    Kehamilan.objects.filter(warga__nama="Ani").update(tanggal_selesai=D(2025, 3, 2), hasil="lahir_hidup")
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    rollup.rebuild(None, tahun=2025)  # the nightly rebuild does not change them either
    after = snapshot()
    locked = set(Unit.objects.subtree(kaliboto).values_list("pk", flat=True))
    for key, row in after.items():
        if key[1] in locked and key[2] in (MARCH, 2025):
            assert row == before[key], key  # untouched: same values, same computed_at
    # Above the desa, March is still the sum of the (frozen) children.
    assert values_only(after)[("b", built["bener"].pk, MARCH)] == values_only(before)[("b", built["bener"].pk, MARCH)]
    # April is not locked: Ani is no longer pregnant there but nifas (2 Mar + 42 days >= 1 Apr).
    april = RekapBulanan.objects.get(unit=built["mawar"], bulan=D(2025, 4, 1))
    assert (april.ibu_hamil, april.ibu_nifas) == (0, 1)
    assert before[("b", built["mawar"].pk, D(2025, 4, 1))]["ibu_hamil"] == 1
    # Unlocking lets the next refresh through.
    KunciPeriode.objects.all().delete()
    outbox(built["mawar"], D(2025, 3, 2))
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    kab = RekapBulanan.objects.get(unit=built["kab"], bulan=MARCH)
    assert (kab.bayi_lahir_l, kab.ibu_melahirkan, kab.ibu_hamil) == (1, 1, 0)
    assert RekapTahunan.objects.get(unit=built["kab"], tahun=2025).balita_l == 1


def test_refresh_of_a_new_dasawisma_fills_its_rows_and_the_parents_counts(built):
    baru = unit_create(level="dasawisma", name="Teratai", parent=built["rt2"])
    rt = rumah_tangga(baru, "01")
    warga(rt, "3306000000000009", "Citra", "P", D(2000, 1, 1))
    outbox(baru, D(2025, 3, 1))
    services.refresh_dasawisma(baru.pk, today=TODAY)
    assert RekapTahunan.objects.get(unit=baru, tahun=2025).total_p == 1
    assert RekapTahunan.objects.get(unit=built["rt2"], tahun=2025).jml_dasawisma == 2
    assert RekapBulanan.objects.get(unit=built["rt2"], bulan=MARCH).jml_dasawisma == 2
    assert RekapTahunan.objects.get(unit=built["kab"], tahun=2025).jml_dasawisma == 6
    assert RekapTahunan.objects.get(unit=built["kab"], tahun=2025).total_p == 2


def test_refresh_in_a_never_built_month_builds_the_whole_month(built):
    """The first edit of a new month before the nightly run: the parents' sums stay complete."""
    outbox(built["kenanga"], D(2025, 5, 3))
    services.refresh_dasawisma(built["kenanga"].pk, today=D(2025, 5, 3))  # May was never built
    may = D(2025, 5, 1)
    kab = RekapBulanan.objects.get(unit=built["kab"], bulan=may)
    assert kab.jml_dasawisma == 5 and kab.ibu_hamil == 1  # Ani in Mawar, not the edited dasawisma
    assert RekapBulanan.objects.filter(bulan=may).count() == RekapBulanan.objects.filter(bulan=MARCH).count()


def test_old_unbuilt_years_are_not_created(built):
    outbox(built["mawar"], D(1990, 1, 1))  # e.g. a warga born in 1990 was added
    result = services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    assert result["years"] == [2025]  # 2025 was built; 1990..2024 were not and are left alone
    assert result["months"] == [f"2025-{m:02d}-01" for m in range(1, 4)]
    assert not RekapTahunan.objects.filter(tahun__lt=2025).exists()


def test_task_runs_the_refresh_and_the_outbox_record_change_triggers_it(built, django_capture_on_commit_callbacks):
    from dasawisma.outbox import record_change

    rt = built["mawar"].rumah_tangga.get()
    today = timezone.localdate()
    rollup.rebuild(None, tahun=today.year)
    with django_capture_on_commit_callbacks(execute=True):
        warga(rt, "3306000000000001", "Baru", "P", today.replace(day=1))
        record_change(built["mawar"], today.replace(day=1))
    assert not DasawismaChange.objects.exists()
    bulan = RekapBulanan.objects.get(unit=built["kab"], bulan=today.replace(day=1))
    assert bulan.bayi_lahir_p == 1
    result = tasks.refresh_dasawisma.delay(built["mawar"].pk).get()
    assert result["changes"] == 0  # a later task finds the outbox empty


def test_sweep_refreshes_stale_outbox_rows(built):
    today = timezone.localdate()
    rollup.rebuild(None, tahun=today.year)
    rt = built["kenanga"].rumah_tangga.get()
    warga(rt, "3306000000000002", "Lama", "L", D(1950, 1, 1))
    stale = outbox(built["kenanga"], today)
    fresh = outbox(built["mawar"], today)
    DasawismaChange.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    result = tasks.sweep_outbox.delay().get()
    assert result == {"dasawisma": [built["kenanga"].pk]}
    assert list(DasawismaChange.objects.values_list("pk", flat=True)) == [fresh.pk]  # young: its own task runs
    assert RekapTahunan.objects.get(unit=built["kab"], tahun=today.year).lansia == 1


def test_rebuild_current_task(built):
    today = timezone.localdate()
    tasks.rebuild_current.delay().get()
    assert RekapTahunan.objects.filter(tahun=today.year, unit=built["prov"]).exists()
    assert RekapBulanan.objects.filter(bulan=today.replace(day=1), unit=built["mawar"]).exists()


def test_beat_schedule_is_wired():
    from django.conf import settings

    from pkk.celery import app

    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"reporting.sweep_outbox", "reporting.rebuild_current"} <= tasks_scheduled
    assert {"reporting.sweep_outbox", "reporting.rebuild_current", "reporting.refresh_dasawisma"} <= set(app.tasks)
    assert app.tasks["reporting.refresh_dasawisma"].acks_late


def test_rebuild_rekap_command(built, capsys):
    call_command("rebuild_rekap", "--unit", "33.06.16.2006", "--tahun", "2024")
    out = capsys.readouterr().out
    assert "detik" in out and "Kaliboto" in out
    assert RekapTahunan.objects.filter(tahun=2024).count() == 1 + 7 + 3  # Kaliboto subtree + ancestors
    assert RekapBulanan.objects.filter(bulan__year=2024, unit=built["prov"]).count() == 12
    call_command("rebuild_rekap", "--bulan", "2026-01")
    assert RekapBulanan.objects.filter(bulan=D(2026, 1, 1)).count() == RekapTahunan.objects.filter(tahun=2025).count()
    with pytest.raises(Exception, match="tidak ditemukan"):
        call_command("rebuild_rekap", "--unit", "99.99")


def test_every_unit_count_and_measure_adds_up_after_refresh(built):
    add_baby(built)
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    from .test_sums import assert_parent_is_sum_of_children

    assert_parent_is_sum_of_children(2025, [MARCH])


def test_measure_lists_match_models():
    assert [f.name for f in RekapTahunan._meta.fields if f.name in BUKU_II_MEASURES + UNIT_COUNT_NAMES] == (
        UNIT_COUNT_NAMES + BUKU_II_MEASURES
    )
    assert [f.name for f in RekapBulanan._meta.fields if f.name in BUKU_III_MEASURES + UNIT_COUNT_NAMES] == (
        UNIT_COUNT_NAMES + BUKU_III_MEASURES
    )


def test_rebuild_after_unlock_applies_edits_made_while_locked(built):
    KunciPeriode.objects.create(unit=built["kaliboto"], jenis="buku3", periode=MARCH)
    add_baby(built)
    services.refresh_dasawisma(built["mawar"].pk, today=TODAY)
    assert RekapBulanan.objects.get(unit=built["kab"], bulan=MARCH).bayi_lahir_l == 0  # locked
    KunciPeriode.objects.all().delete()
    services.rebuild_unit_period(unit=built["kaliboto"], jenis="buku3", periode=MARCH)
    assert RekapBulanan.objects.get(unit=built["kab"], bulan=MARCH).bayi_lahir_l == 1
