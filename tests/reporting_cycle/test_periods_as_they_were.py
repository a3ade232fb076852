"""Periods as they were (issue 10): completeness of a past period counts the structure registered in
it, a locked period keeps the structure it was locked with, and a unit's due list follows its own
registration (hand-built cases on the Kaliboto tree: Mawar, Melati under RT 01, Anggrek under RT 02)."""

import datetime as dt

import pytest
from django.urls import reverse

from pkk.models import Level, Unit
from pkk.services import unit_create, unit_set_active
from reporting.models import KunciPeriode
from reporting.selectors_cycle import jatuh_tempo, kelengkapan
from reporting.services import periode_lock

pytestmark = pytest.mark.django_db

MAR, JUN = dt.date(2025, 3, 1), dt.date(2025, 6, 1)
B3 = "buku3"


def _terdaftar(unit, periode, jenis=B3):
    total, rows = kelengkapan(unit, jenis, periode)
    return total.terdaftar, sorted(r.unit.name for r in rows)


def test_a_unit_created_mid_year_counts_from_its_month_on(tree):
    kamboja = unit_create(level=Level.DASAWISMA, name="Kamboja", parent=tree.rt2)
    Unit.objects.filter(pk=kamboja.pk).update(aktif_sejak=dt.date(2025, 6, 15))
    assert _terdaftar(tree.rt2, MAR) == (1, ["Anggrek"])  # not missing in March
    assert _terdaftar(tree.rt2, dt.date(2025, 5, 1)) == (1, ["Anggrek"])
    assert _terdaftar(tree.rt2, JUN) == (2, ["Anggrek", "Kamboja"])  # registered within June
    assert _terdaftar(tree.kaliboto, MAR)[0] == 3 and _terdaftar(tree.kaliboto, JUN)[0] == 4
    assert _terdaftar(tree.kaliboto, dt.date(2025, 1, 1), "buku2")[0] == 4  # Buku II: registered by 31 Dec
    # Its due list starts in June 2025.
    kamboja.refresh_from_db()
    items = jatuh_tempo([kamboja], dt.date(2025, 9, 10))[0][1]
    assert min(i.periode for i in items if i.jenis == B3) == JUN


def test_a_unit_made_in_the_structure_pages_owes_nothing_before_today(tree):
    from django.utils import timezone

    baru = unit_create(level=Level.DASAWISMA, name="Baru", parent=tree.rt2, actor=tree.desa)
    assert baru.aktif_sejak == timezone.localdate()
    assert "Baru" not in _terdaftar(tree.rt2, MAR)[1]


def test_a_deactivated_unit_counts_until_it_was_deactivated(tree):
    Unit.objects.filter(pk=tree.melati.pk).update(is_active=False, nonaktif_sejak=dt.date(2025, 5, 10))
    assert _terdaftar(tree.rt1, MAR) == (2, ["Mawar", "Melati"])  # it existed in March
    assert _terdaftar(tree.rt1, dt.date(2025, 4, 1)) == (2, ["Mawar", "Melati"])
    assert _terdaftar(tree.rt1, dt.date(2025, 5, 1)) == (1, ["Mawar"])  # gone during May
    melati = Unit.objects.get(pk=tree.melati.pk)
    items = jatuh_tempo([melati], dt.date(2025, 9, 10))[0][1]
    assert max(i.periode for i in items if i.jenis == B3) == dt.date(2025, 4, 1)
    # The service records the day; reactivating starts a new registration.
    unit_set_active(unit=tree.anggrek, active=False, actor=tree.desa)
    anggrek = Unit.objects.get(pk=tree.anggrek.pk)
    assert not anggrek.is_active and anggrek.nonaktif_sejak is not None
    unit_set_active(unit=anggrek, active=True, actor=tree.desa)
    anggrek.refresh_from_db()
    assert anggrek.is_active and anggrek.nonaktif_sejak is None and anggrek.aktif_sejak is not None


def test_a_locked_month_keeps_the_structure_it_was_locked_with(tree, client):
    kunci = periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    assert set(kunci.struktur["units"]) >= {tree.mawar.pk, tree.melati.pk, tree.anggrek.pk, tree.krajan.pk}
    # After the lock: a new dusun with an RW, RT and dasawisma registered "since always" (an import, no
    # aktif_sejak), and Melati deactivated (today).
    timur = unit_create(level=Level.DUSUN, name="Timur", parent=tree.kaliboto)
    rw = unit_create(level=Level.RW, name="05", parent=timur)
    rt = unit_create(level=Level.RT, name="01", parent=rw)
    unit_create(level=Level.DASAWISMA, name="Teratai", parent=rt)
    unit_set_active(unit=tree.melati, active=False, actor=tree.desa)
    # March (locked): as locked; an open period of that time counts the new units and Melati still
    # (deactivated only now); a period after today would not count Melati.
    assert _terdaftar(tree.kaliboto, MAR) == (3, ["Krajan"])
    assert _terdaftar(tree.kaliboto, dt.date(2025, 4, 1)) == (4, ["Krajan", "Timur"])  # Teratai in
    assert _terdaftar(tree.bener, MAR)[0] == 3 + 1  # Kedungpucang's Kenanga is not locked: live
    # The 4.19a sheet of the locked March does not gain the new dusun; April's does.
    client.force_login(tree.desa)
    march = client.get(reverse("reporting:rekap_bulanan", kwargs={"unit_id": tree.kaliboto.pk, "bulan": "2025-03"}))
    april = client.get(reverse("reporting:rekap_bulanan", kwargs={"unit_id": tree.kaliboto.pk, "bulan": "2025-04"}))
    assert march.status_code == april.status_code == 200
    assert "Krajan" in march.content.decode() and "Timur" not in march.content.decode()
    assert "Timur" in april.content.decode()
    assert KunciPeriode.objects.count() == 1


def test_the_4_18a_list_of_a_locked_month_is_frozen(tree, client, django_capture_on_commit_callbacks):
    """A birth recorded after March was locked stays off Mawar's 4.18a for March until the unlock."""
    from reporting.services import periode_unlock
    from tests.reporting_compute.data import rumah_tangga, warga

    rt = rumah_tangga(tree.mawar, "RT-1")
    warga(rt, "3306100101250001", "Bayi Awal Maret", "P", dt.date(2025, 3, 2))
    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    warga(rt, "3306100101250002", "Bayi Akhir Maret", "L", dt.date(2025, 3, 28))  # recorded after the lock
    client.force_login(tree.desa)
    url = reverse("reporting:rekap_bulanan", kwargs={"unit_id": tree.mawar.pk, "bulan": "2025-03"})
    html = client.get(url).content.decode()
    assert "Bayi Awal Maret" in html and "Bayi Akhir Maret" not in html
    with django_capture_on_commit_callbacks(execute=True):
        periode_unlock(
            unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="Kelahiran terlambat dicatat", actor=tree.pembina
        )
    html = client.get(url).content.decode()
    assert "Bayi Awal Maret" in html and "Bayi Akhir Maret" in html


def test_a_subtree_export_of_a_locked_month_lists_the_units_it_was_locked_with(tree):
    from reporting.books import BUKU_III
    from reporting.selectors import SubtreeData

    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    unit_create(level=Level.DUSUN, name="Timur", parent=tree.kaliboto)
    names = lambda periode: {u.name for u in SubtreeData(tree.kaliboto, BUKU_III, periode, down_to="dusun").units}  # noqa: E731
    assert names(MAR) == {"Kaliboto", "Krajan"}
    assert names(dt.date(2025, 4, 1)) == {"Kaliboto", "Krajan", "Timur"}
