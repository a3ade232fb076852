"""Structure changes keep parent = sum of children in the stored rekap: moving an RT to another RW and
deactivating a dasawisma rebuild the affected subtree after commit (pkk asks reporting by task name)."""

import datetime as dt

import pytest

from pkk.models import Level
from pkk.services import unit_create, unit_move, unit_set_active
from reporting import rollup
from reporting.models import RekapTahunan

from .data import rumah_tangga, warga

pytestmark = pytest.mark.django_db
TAHUN = dt.date.today().year


def total(unit) -> int:
    row = RekapTahunan.objects.get(unit=unit, tahun=TAHUN)
    return row.total_l + row.total_p


def test_moving_an_rt_moves_its_numbers_between_rws(tree, django_capture_on_commit_callbacks):
    rt = rumah_tangga(tree.anggrek, "A-1")  # anggrek is in RT 02 of RW 01
    warga(rt, "3306160101250001", "Sri Wahyuni", "P", dt.date(1990, 5, 1), status="kepala_keluarga")
    warga(rt, "3306160101250001", "Joko", "L", dt.date(2015, 5, 1))
    rw2 = unit_create(level=Level.RW, name="02", parent=tree.krajan)
    rollup.rebuild(tahun=TAHUN)
    assert (total(tree.rw1), total(rw2), total(tree.krajan)) == (2, 0, 2)

    with django_capture_on_commit_callbacks(execute=True):
        unit_move(unit=tree.rt2, new_parent=rw2)
    assert (total(tree.rw1), total(rw2), total(tree.krajan), total(tree.kaliboto)) == (0, 2, 2, 2)
    assert RekapTahunan.objects.get(unit=rw2, tahun=TAHUN).jml_rt == 1

    with django_capture_on_commit_callbacks(execute=True):
        unit_set_active(unit=tree.anggrek, active=False)
    assert (total(rw2), total(tree.krajan), total(tree.kab)) == (0, 0, 0)


def test_a_unit_made_in_the_structure_pages_is_counted_above(tree, django_capture_on_commit_callbacks):
    rollup.rebuild(tahun=TAHUN)
    assert RekapTahunan.objects.get(unit=tree.kaliboto, tahun=TAHUN).jml_dasawisma == 3
    with django_capture_on_commit_callbacks(execute=True):
        unit_create(level=Level.DASAWISMA, name="Teratai", parent=tree.rt2, actor=tree.desa)
    assert RekapTahunan.objects.get(unit=tree.kaliboto, tahun=TAHUN).jml_dasawisma == 4
    assert RekapTahunan.objects.get(unit=tree.kab, tahun=TAHUN).jml_dasawisma == 6
