import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pkk.models import Level, Unit
from pkk.scope import accessible_units
from pkk.services import unit_create, unit_move, unit_rename, unit_set_active

pytestmark = pytest.mark.django_db


def url(name, unit):
    return reverse(f"wilayah:{name}", kwargs={"unit_id": unit.pk})


def test_struktur_page_lists_tree_in_one_query(tree, login, django_assert_max_num_queries):
    c = login("desa")
    c.get(url("struktur", tree.kaliboto))
    with django_assert_max_num_queries(8) as small:
        c.get(url("struktur", tree.kaliboto))
    for i in range(10):
        unit_create(level=Level.DASAWISMA, name=f"Tambahan {i}", parent=tree.rt2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = c.get(url("struktur", tree.kaliboto))
    html = r.content.decode()
    assert r.status_code == 200
    order = [
        html.index(s)
        for s in ("Dusun Krajan", "RW 01", "RT 01", "Dasawisma Mawar", "Dasawisma Melati", "RT 02", "Dasawisma Anggrek")
    ]
    assert order == sorted(order)
    assert "Kenanga" not in html and "Tambahan 9" in html


def test_struktur_index_redirects_desa_to_its_desa(tree, login):
    r = login("desa").get(reverse("wilayah:struktur_index"))
    assert r.status_code == 302 and r["Location"] == url("struktur", tree.kaliboto)
    r = login("admin").get(reverse("wilayah:struktur_index"), {"desa": tree.kedungpucang.pk})
    assert r["Location"] == url("struktur", tree.kedungpucang)
    assert login("admin").get(reverse("wilayah:struktur_index")).status_code == 200
    assert login("desa").get(reverse("wilayah:struktur_index"), {"desa": tree.kedungpucang.pk}).status_code == 404
    assert login("kader").get(reverse("wilayah:struktur_index")).status_code == 403


def test_create_rw_directly_under_desa_and_under_dusun(tree, login):
    c = login("desa")
    assert c.get(url("unit_tambah", tree.kaliboto)).status_code == 200
    r = c.post(url("unit_tambah", tree.kaliboto), {"level": "rw", "name": "3"})
    assert r.status_code == 302
    rw3 = Unit.objects.get(parent=tree.kaliboto, level=Level.RW)
    assert rw3.name == "03" and rw3.path.startswith(tree.kaliboto.path)
    c.post(url("unit_tambah", tree.krajan), {"level": "rw", "name": "02"})
    assert Unit.objects.filter(parent=tree.krajan, level=Level.RW, name="02").exists()
    c.post(url("unit_tambah", tree.kaliboto), {"level": "dusun", "name": "Kauman"})
    assert Unit.objects.filter(parent=tree.kaliboto, level=Level.DUSUN, name="Kauman").exists()
    c.post(url("unit_tambah", tree.rt1), {"level": "dasawisma", "name": "Kamboja"})
    assert Unit.objects.get(name="Kamboja").parent == tree.rt1


def test_create_refuses_duplicate_and_wrong_level(tree, login):
    c = login("desa")
    r = c.post(url("unit_tambah", tree.rt1), {"level": "dasawisma", "name": "mawar"})
    assert r.status_code == 200 and "sudah ada" in r.content.decode()
    r = c.post(url("unit_tambah", tree.kaliboto), {"level": "rt", "name": "09"})  # RT directly under desa
    assert r.status_code == 200 and not Unit.objects.filter(name="09").exists()
    assert c.get(url("unit_tambah", tree.mawar)).status_code == 404  # nothing hangs under a dasawisma


def test_rename(tree, login):
    c = login("desa")
    assert c.get(url("unit_ubah_nama", tree.mawar)).status_code == 200
    r = c.post(url("unit_ubah_nama", tree.mawar), {"name": "Mawar Merah"})
    assert r.status_code == 302
    tree.mawar.refresh_from_db()
    assert tree.mawar.name == "Mawar Merah"
    r = c.post(url("unit_ubah_nama", tree.mawar), {"name": "Melati"})
    assert r.status_code == 200 and "Dasawisma Melati sudah ada di RT 01" in r.content.decode()


def test_move_rt_between_rws_of_same_desa_only(tree, login):
    rw2 = unit_create(level=Level.RW, name="02", parent=tree.kaliboto)
    c = login("desa")
    r = c.get(url("unit_pindah", tree.rt2))
    assert f'value="{rw2.pk}"' in r.content.decode()
    assert f'value="{tree.kp_rw1.pk}"' not in r.content.decode()
    r = c.post(url("unit_pindah", tree.rt2), {"new_parent": rw2.pk})
    assert r.status_code == 302
    tree.anggrek.refresh_from_db()
    assert tree.anggrek.path.startswith(rw2.path)
    # another desa's RW is not a choice, and the service refuses it too
    r = c.post(url("unit_pindah", tree.rt1), {"new_parent": tree.kp_rw1.pk})
    assert r.status_code == 200
    assert Unit.objects.get(pk=tree.rt1.pk).parent_id == tree.rw1.pk
    with pytest.raises(ValidationError):
        unit_move(unit=tree.rt1, new_parent=tree.kp_rw1)


def test_deactivate_and_reactivate_never_delete(tree, login):
    c = login("desa")
    n = Unit.objects.count()
    assert c.post(url("unit_nonaktifkan", tree.rt1)).status_code == 302
    assert Unit.objects.count() == n
    assert not Unit.objects.filter(pk__in=[tree.rt1.pk, tree.mawar.pk, tree.melati.pk], is_active=True).exists()
    # the kader of a deactivated dasawisma loses its scope
    tree.kader.refresh_from_db()
    assert not accessible_units(tree.kader).exists()
    assert c.post(url("unit_aktifkan", tree.mawar)).status_code == 302  # parent inactive: refused
    assert not Unit.objects.get(pk=tree.mawar.pk).is_active
    c.post(url("unit_aktifkan", tree.rt1))
    assert Unit.objects.get(pk=tree.mawar.pk).is_active
    assert c.get(url("unit_nonaktifkan", tree.rt1)).status_code == 405  # POST only


def test_services_validate(tree):
    unit_set_active(unit=tree.krajan, active=False)
    with pytest.raises(ValidationError):
        unit_create(level=Level.RW, name="05", parent=tree.krajan)  # under an inactive dusun
    with pytest.raises(ValidationError):
        unit_rename(unit=tree.hb_rt1, name="  ")
    twin = unit_create(level=Level.DASAWISMA, name="Dahlia", parent=tree.kp_rt1)
    with pytest.raises(ValidationError):
        unit_move(unit=twin, new_parent=tree.hb_rt1)  # other desa (and an active "Dahlia" is there)
    hb_rt2 = unit_create(level=Level.RT, name="02", parent=tree.hb_rw1)
    twin2 = unit_create(level=Level.DASAWISMA, name="Dahlia", parent=hb_rt2)
    with pytest.raises(ValidationError, match="sudah ada"):
        unit_move(unit=twin2, new_parent=tree.hb_rt1)


STRUCTURE_URLS = ["struktur", "unit_tambah", "unit_ubah_nama", "unit_pindah", "unit_nonaktifkan", "unit_aktifkan"]


@pytest.mark.parametrize("name", STRUCTURE_URLS)
def test_outsiders_get_404(tree, login, name):
    target = tree.kaliboto if name == "struktur" else tree.rt1
    for persona in ("desa_kp", "kader", "kader_kp", "pembina_grabag", "nobody"):
        c = login(persona)
        method = c.post if name in ("unit_nonaktifkan", "unit_aktifkan") else c.get
        assert method(url(name, target)).status_code == 404, persona
    assert Unit.objects.get(pk=tree.rt1.pk).is_active


@pytest.mark.parametrize("name", STRUCTURE_URLS)
def test_anonymous_redirected_to_login(tree, client, name):
    r = client.get(url(name, tree.rt1))
    assert r.status_code == 302 and reverse("login") in r["Location"]


def test_in_scope_without_structure_role_gets_403(tree, login):
    assert login("pembina").get(url("struktur", tree.kaliboto)).status_code == 403
    assert login("ketua_rt").post(url("unit_nonaktifkan", tree.mawar)).status_code == 403
    assert login("kader").post(url("unit_ubah_nama", tree.mawar), {"name": "X"}).status_code == 403
    assert Unit.objects.get(pk=tree.mawar.pk).name == "Mawar"


def test_admin_kabupaten_may_manage_structure(tree, login):
    c = login("admin")
    assert c.get(url("struktur", tree.kedungpucang)).status_code == 200
    c.post(url("unit_tambah", tree.kp_rt1), {"level": "dasawisma", "name": "Teratai"})
    assert Unit.objects.filter(name="Teratai", parent=tree.kp_rt1).exists()


def test_fill_missing_paths_after_bulk_create(tree):
    rt3 = Unit.objects.create(level=Level.RT, name="03", parent=tree.rw1)  # path not set yet
    kids = Unit.objects.bulk_create([Unit(level=Level.DASAWISMA, name=f"Bulk {i}", parent=rt3) for i in range(3)])
    from pkk.services import fill_missing_paths

    assert fill_missing_paths() == 4
    rt3.refresh_from_db()
    assert rt3.path == tree.rw1.path + str(rt3.pk).zfill(10)
    for kid in kids:
        kid.refresh_from_db()
        assert kid.path == rt3.path + str(kid.pk).zfill(10)
    assert set(Unit.objects.subtree(tree.rw1).filter(name__startswith="Bulk")) == set(kids)
    assert fill_missing_paths() == 0


def test_changes_by_a_person_are_audited(tree, login, caplog):
    with caplog.at_level("INFO", logger="pkk.audit"):
        login("desa").post(url("unit_ubah_nama", tree.melati), {"name": "Melati Putih"})
    assert any(
        "unit_rename by=desa" in r.getMessage() and f"unit={tree.melati.pk}" in r.getMessage() for r in caplog.records
    )
