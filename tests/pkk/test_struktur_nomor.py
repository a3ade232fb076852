"""Issue 10, people's work: RW/RT numbers are numbers, stored normalised and unique within their parent (form,
service and a partial unique index); a dasawisma and a rumah tangga move within their desa, with history."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from dasawisma.models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga
from dasawisma.services import dasawisma_move, rumah_tangga_move
from pkk.models import Level, Unit
from pkk.services import unit_create, unit_number, unit_rename, unit_set_active

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed, stored", [("1", "01"), ("001", "01"), ("RT 7", "07"), ("rw.12", "12"), ("120", "120")])
def test_numbers_are_normalised(typed, stored):
    assert unit_number(Level.RT, typed) == stored


@pytest.mark.parametrize("typed", ["satu", "1a", "0", "1000", "", "01/02", "²"])
def test_non_numbers_are_refused_naming_the_field(typed):
    with pytest.raises(ValidationError) as exc:
        unit_number(Level.RW, typed)
    assert "Nomor RW" in exc.value.message_dict["name"][0]


def test_form_refuses_a_second_rw_01_in_a_desa_without_dusun_naming_the_clash(tree, login):
    c = login("desa_kp")  # Kedungpucang: RW 01 directly under the desa
    r = c.post(reverse("wilayah:unit_tambah", kwargs={"unit_id": tree.kedungpucang.pk}), {"level": "rw", "name": "1"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "RW 01 sudah ada di Desa Kedungpucang" in html
    assert Unit.objects.filter(parent=tree.kedungpucang, level=Level.RW).count() == 1
    r = c.post(reverse("wilayah:unit_tambah", kwargs={"unit_id": tree.kedungpucang.pk}), {"level": "rw", "name": "dua"})
    assert r.status_code == 200 and "Nomor RW harus berupa angka" in r.content.decode()
    r = c.post(reverse("wilayah:unit_tambah", kwargs={"unit_id": tree.kedungpucang.pk}), {"level": "rw", "name": "2"})
    assert r.status_code == 302 and Unit.objects.filter(parent=tree.kedungpucang, level=Level.RW, name="02").exists()
    # Renaming RT 01 of Kaliboto's RW 01 to "2" clashes with RT 02.
    r = login("desa").post(reverse("wilayah:unit_ubah_nama", kwargs={"unit_id": tree.rt1.pk}), {"name": "2"})
    assert r.status_code == 200 and "RT 02 sudah ada di RW 01" in r.content.decode()


def test_same_number_under_another_parent_is_fine(tree):
    rw2 = unit_create(level=Level.RW, name="2", parent=tree.krajan)
    assert unit_create(level=Level.RT, name="01", parent=rw2).name == "01"  # RT 01 also exists under RW 01


def test_database_refuses_active_siblings_with_the_same_name(tree):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(level=Level.RW, name="01", parent=tree.kedungpucang, path="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(level=Level.DASAWISMA, name="MAWAR", parent=tree.rt1, path="y")  # case-insensitive
    # An inactive sibling does not count: deactivate RW 01, then a new RW 01 is allowed (partial index).
    unit_set_active(unit=tree.kp_rw1, active=False)
    assert unit_create(level=Level.RW, name="01", parent=tree.kedungpucang).is_active
    with pytest.raises(ValidationError) as exc:
        unit_set_active(unit=tree.kp_rw1, active=True)
    assert "RW 01 sudah ada di Desa Kedungpucang" in exc.value.messages[0]


def test_rename_keeps_numbers_numbers(tree):
    with pytest.raises(ValidationError):
        unit_rename(unit=tree.rt1, name="RT satu")
    assert unit_rename(unit=tree.rt2, name="5").name == "05"


def test_demo_generator_names_satisfy_the_rules(settings):
    """The demo tree is written with bulk_create under the partial unique index: it would fail on a clash.
    RW/RT names are two-digit numbers."""
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True  # seed_demo is a DEBUG tool
    call_command("seed_demo", households=150, seed=11, today=dt.date(2026, 11, 24), no_rebuild=True, stdout=StringIO())
    numbered = list(Unit.objects.filter(level__in=[Level.RW, Level.RT]).values_list("name", flat=True))
    assert numbered and all(unit_number(Level.RT, n) == n for n in numbered)


# --------------------------------------------------------------------------- moves


def _household(tree):
    rt = RumahTangga.objects.create(dasawisma=tree.mawar, kode="RT-1")
    kk = Keluarga.objects.create(rumah_tangga=rt, no_kk="3306101203040001")
    ibu = Warga.objects.create(
        dasawisma=tree.mawar,
        rumah_tangga=rt,
        keluarga=kk,
        no_kk=kk.no_kk,
        no_registrasi="1",
        nama="Siti",
        jenis_kelamin="P",
        tanggal_lahir=dt.date(1990, 1, 2),
        status_perkawinan="kawin",
        status_dalam_keluarga="istri",
        agama="islam",
        pendidikan="sma",
    )
    Kehamilan.objects.create(warga=ibu, dasawisma=tree.mawar, tanggal_mulai=dt.date(2025, 2, 1))
    return rt


def test_rumah_tangga_moves_with_its_people_history_and_both_refreshes(tree):
    rt = _household(tree)
    DasawismaChange.objects.all().delete()
    rumah_tangga_move(rumah_tangga=rt, dasawisma=tree.anggrek, version=rt.version, actor=tree.desa)
    rt.refresh_from_db()
    assert rt.dasawisma == tree.anggrek and rt.version == 2
    assert set(Warga.objects.filter(rumah_tangga=rt).values_list("dasawisma", flat=True)) == {tree.anggrek.pk}
    assert set(Kehamilan.objects.filter(warga__rumah_tangga=rt).values_list("dasawisma", flat=True)) == {
        tree.anggrek.pk
    }
    r = Riwayat.objects.get(model="rumah_tangga", object_id=rt.pk)
    assert (
        r.changes["dasawisma"][0].startswith("Dasawisma Mawar (RT 01") and "Anggrek (RT 02" in r.changes["dasawisma"][1]
    )
    assert r.actor == tree.desa
    # Both places are refreshed from the household's first fact on (the mother's birth), through the outbox.
    assert set(DasawismaChange.objects.values_list("dasawisma_id", "since")) == {
        (tree.mawar.pk, dt.date(1990, 1, 2)),
        (tree.anggrek.pk, dt.date(1990, 1, 2)),
    }


def test_rumah_tangga_moves_only_within_the_desa(tree):
    rt = _household(tree)
    with pytest.raises(ValidationError) as exc:
        rumah_tangga_move(rumah_tangga=rt, dasawisma=tree.kenanga, version=rt.version, actor=tree.admin)
    assert "desa/kelurahan yang sama" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        rumah_tangga_move(rumah_tangga=rt, dasawisma=tree.mawar, version=rt.version, actor=tree.desa)


def test_dasawisma_moves_to_another_rt_with_history(tree):
    dasawisma_move(dasawisma=tree.melati, rt=tree.rt2, actor=tree.desa)
    tree.melati.refresh_from_db()
    assert tree.melati.parent == tree.rt2 and tree.melati.path.startswith(tree.rt2.path)
    r = Riwayat.objects.get(model="dasawisma", object_id=tree.melati.pk)
    assert r.changes["rt"] == ["RT 01 (RW 01 · Dusun Krajan)", "RT 02 (RW 01 · Dusun Krajan)"]
    with pytest.raises(ValidationError):  # Kedungpucang's RT is in another desa
        dasawisma_move(dasawisma=tree.melati, rt=tree.kp_rt1, actor=tree.desa)
    unit_create(level=Level.DASAWISMA, name="Anggrek", parent=tree.rt1)
    with pytest.raises(ValidationError) as exc:  # the name is taken in the target RT
        dasawisma_move(dasawisma=tree.anggrek, rt=tree.rt1, actor=tree.desa)
    assert "Dasawisma Anggrek sudah ada di RT 01" in exc.value.messages[0]


def test_move_pages_scope(tree, login):
    rt = _household(tree)
    url = reverse("dasawisma:rumah_tangga_pindah", kwargs={"rumah_tangga_id": rt.pk})
    desa = login("desa")
    page = desa.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dasawisma Anggrek (RT 02 · RW 01 · Dusun Krajan)" in html and 'data-confirm="' in html
    assert "Kenanga" not in html  # another desa
    r = desa.post(url, {"tujuan": tree.melati.pk, "version": rt.version})
    assert r.status_code == 302
    rt.refresh_from_db()
    assert rt.dasawisma == tree.melati
    assert login("desa").post(url, {"tujuan": tree.kenanga.pk, "version": rt.version}).status_code == 200
    assert login("desa_kp").get(url).status_code == 404  # outsider of the same role
    assert login("kader_melati").get(url).status_code == 403  # in scope, wrong role (kader may not move)
    assert login("pembina").get(url).status_code == 403
    durl = reverse("dasawisma:dasawisma_pindah", kwargs={"unit_id": tree.anggrek.pk})
    assert desa.get(durl).status_code == 200
    assert login("desa_kp").get(durl).status_code == 404
    assert login("kader").get(durl).status_code == 403
    r = desa.post(durl, {"tujuan": tree.rt1.pk})
    assert r.status_code == 302 and Unit.objects.get(pk=tree.anggrek.pk).parent_id == tree.rt1.pk
    assert desa.get(reverse("wilayah:unit_pindah", kwargs={"unit_id": tree.mawar.pk})).status_code == 404
