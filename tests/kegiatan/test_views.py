"""Kegiatan pages: who may read and write what (scope), reporting with photos, edit, delete."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kegiatan.models import Kegiatan, KegiatanFoto
from tests.photos_util import jpeg_upload, png_upload, upload

from .conftest import make_kegiatan

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _urls(k: Kegiatan) -> dict[str, str]:
    foto = k.foto.first()
    return {
        "detail": reverse("kegiatan:detail", kwargs={"kegiatan_id": k.pk}),
        "edit": reverse("kegiatan:edit", kwargs={"kegiatan_id": k.pk}),
        "delete": reverse("kegiatan:delete", kwargs={"kegiatan_id": k.pk}),
        "foto": reverse("kegiatan:foto", kwargs={"foto_id": foto.pk}),
        "buku": reverse("kegiatan:buku", kwargs={"unit_id": k.unit_id, "tahun": 2025}),
        "buku_xlsx": reverse("kegiatan:buku_xlsx", kwargs={"unit_id": k.unit_id, "tahun": 2025}),
    }


def _form(**over) -> dict:
    data = {
        "tanggal": "2025-03-04",
        "tempat": "Balai Desa Kaliboto",
        "pokja": "IV",
        "program_pokok": "7",
        "judul": "Posyandu balita",
        "uraian": "Penimbangan 40 balita.",
        "jumlah_peserta": "45",
        "jabatan": "",
    }
    data.update(over)
    return data


# ------------------------------------------------------------------------------------------ scope


@pytest.mark.parametrize("persona", ["desa_kp", "pembina_grabag"])
def test_outsiders_of_the_same_role_get_404_everywhere(tree, posyandu, persona):
    c = _client(getattr(tree, persona))
    for name, url in _urls(posyandu).items():
        assert c.get(url).status_code == 404, (persona, name)
        if name in ("edit", "delete"):
            assert c.post(url, _form()).status_code == 404, (persona, name)
    assert Kegiatan.objects.filter(pk=posyandu.pk).exists()


@pytest.mark.parametrize("persona", ["kader", "kader_kp", "ketua_rt", "nobody"])
def test_kader_and_others_without_a_kegiatan_role_get_403(tree, posyandu, persona):
    c = _client(getattr(tree, persona))
    for name, url in {
        **_urls(posyandu),
        "list": reverse("kegiatan:list"),
        "create": reverse("kegiatan:create"),
        "buku_home": reverse("kegiatan:buku_home"),
    }.items():
        assert c.get(url).status_code == 403, (persona, name)
    assert c.post(reverse("kegiatan:create"), _form()).status_code == 403
    assert c.post(_urls(posyandu)["delete"]).status_code == 403
    assert Kegiatan.objects.count() == 1


def test_anonymous_goes_to_login(posyandu):
    c = Client()
    for url in [*_urls(posyandu).values(), reverse("kegiatan:list"), reverse("kegiatan:create")]:
        resp = c.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith("/masuk/"), url


@pytest.mark.parametrize("persona", ["desa", "pembina", "admin"])
def test_the_desa_and_the_units_above_read_it_and_its_photo(tree, posyandu, persona):
    c = _client(getattr(tree, persona))
    urls = _urls(posyandu)
    assert "Posyandu" in c.get(urls["detail"]).content.decode()
    resp = c.get(urls["foto"])
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert resp["Cache-Control"] == "private, no-store" and resp["X-Content-Type-Options"] == "nosniff"
    assert b"".join(resp.streaming_content)[:3] == b"\xff\xd8\xff"
    assert c.get(urls["buku"]).status_code == 200
    assert c.get(urls["buku_xlsx"]).status_code == 200


@pytest.mark.parametrize("persona", ["pembina", "admin"])
def test_units_above_may_not_edit_or_delete_a_desa_kegiatan(tree, posyandu, persona):
    c = _client(getattr(tree, persona))
    urls = _urls(posyandu)
    assert c.get(urls["edit"]).status_code == 403
    assert c.post(urls["edit"], _form(judul="Diubah")).status_code == 403
    assert c.post(urls["delete"]).status_code == 403
    posyandu.refresh_from_db()
    assert posyandu.judul == "Posyandu"
    assert "Ubah</a>" not in c.get(urls["detail"]).content.decode()


def test_changed_ids_in_urls(tree, posyandu):
    """The desa of Kedungpucang's own kegiatan is hers; Kaliboto's ids answer 404 to her."""
    own = make_kegiatan(tree.kedungpucang, actor=tree.desa_kp, judul="Kerja bakti", pokja="I", program_pokok=2)
    c = _client(tree.desa_kp)
    assert c.get(reverse("kegiatan:edit", kwargs={"kegiatan_id": own.pk})).status_code == 200
    assert c.get(reverse("kegiatan:edit", kwargs={"kegiatan_id": posyandu.pk})).status_code == 404
    assert c.get(reverse("kegiatan:foto", kwargs={"foto_id": posyandu.foto.first().pk})).status_code == 404
    assert c.get(reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2025})).status_code == 404
    assert c.get(reverse("kegiatan:list") + f"?unit={tree.kaliboto.pk}").status_code == 200
    assert "Posyandu" not in c.get(reverse("kegiatan:list") + f"?unit={tree.kaliboto.pk}").content.decode()
    # A Buku Kegiatan only for desa, kecamatan, kabupaten.
    c = _client(tree.desa)
    assert c.get(reverse("kegiatan:buku", kwargs={"unit_id": tree.rw1.pk, "tahun": 2025})).status_code == 404
    assert c.get(reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 1999})).status_code == 404


def test_changed_photo_ids_in_the_edit_form_are_refused(tree, posyandu):
    other = make_kegiatan(
        tree.kaliboto,
        actor=tree.desa,
        judul="Lain",
        photos=[__import__("pkk.photos").photos.prepare_photo(jpeg_upload())],
    )
    other_foto = other.foto.get()
    c = _client(tree.desa)
    resp = c.post(_urls(posyandu)["edit"], _form(hapus_foto=[str(other_foto.pk)]))
    assert resp.status_code == 200
    assert "Hapus foto: foto yang dipilih bukan milik kegiatan ini." in resp.content.decode()
    assert KegiatanFoto.objects.filter(pk=other_foto.pk).exists()


def test_a_unit_field_changed_to_another_desa_is_refused(tree):
    c = _client(tree.desa)
    resp = c.post(reverse("kegiatan:create"), _form(unit=str(tree.kedungpucang.pk)))
    assert resp.status_code == 302  # a single-unit account has no unit field: the value is ignored
    assert Kegiatan.objects.get().unit == tree.kaliboto


def test_an_account_of_two_desa_picks_one_and_cannot_pick_a_third(tree):
    from pkk.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=tree.desa, role=Role.TP_PKK_DESA, unit=tree.kedungpucang)
    c = _client(tree.desa)
    html = c.get(reverse("kegiatan:create")).content.decode()
    assert "Desa Kaliboto" in html and "Desa Kedungpucang" in html and "Harjobinangun" not in html
    resp = c.post(reverse("kegiatan:create"), _form(unit=str(tree.harjobinangun.pk)))
    assert resp.status_code == 200 and "TP PKK: pilihan tidak tersedia." in resp.content.decode()
    assert not Kegiatan.objects.exists()
    resp = c.post(reverse("kegiatan:create"), _form(unit=str(tree.kedungpucang.pk)))
    assert resp.status_code == 302 and Kegiatan.objects.get().unit == tree.kedungpucang


# ------------------------------------------------------------------------------------------ writing


def test_desa_reports_a_kegiatan_with_photos(tree, settings):
    c = _client(tree.desa)
    resp = c.get(reverse("kegiatan:create"))
    html = resp.content.decode()
    assert 'capture="environment"' in html and 'accept="image/*"' in html and "multiple" in html
    resp = c.post(
        reverse("kegiatan:create"), {**_form(), "foto": [jpeg_upload("a.jpg", size=(3000, 2000)), png_upload("b.png")]}
    )
    k = Kegiatan.objects.get()
    assert resp.status_code == 302 and resp["Location"] == k.get_absolute_url()
    assert (k.unit, k.judul, k.jumlah_peserta, k.program_pokok) == (tree.kaliboto, "Posyandu balita", 45, 7)
    assert (k.nama, k.jabatan, k.dilaporkan_oleh) == ("desa", "TP PKK Desa Kaliboto", tree.desa)
    fotos = list(k.foto.all())
    assert len(fotos) == 2
    for f in fotos:
        path = Path(f.file.path)
        assert path.is_relative_to(settings.PKK_PRIVATE_MEDIA_ROOT) and path.suffix == ".jpg"
        assert len(path.stem) == 32 and int(path.stem, 16) >= 0  # a random name, not the upload's


def test_the_account_name_and_a_typed_jabatan(tree):
    tree.desa.first_name, tree.desa.last_name = "Sri", "Wahyuni"
    tree.desa.save()
    c = _client(tree.desa)
    c.post(reverse("kegiatan:create"), _form(jabatan="Ketua Pokja IV"))
    k = Kegiatan.objects.get()
    assert (k.nama, k.jabatan) == ("Sri Wahyuni", "Ketua Pokja IV")


def test_pembina_and_admin_report_for_their_own_unit(tree):
    _client(tree.pembina).post(
        reverse("kegiatan:create"), _form(judul="Rakor kecamatan", pokja="sekretariat", program_pokok="")
    )
    _client(tree.admin).post(reverse("kegiatan:create"), _form(judul="Lomba kabupaten", pokja="II", program_pokok="8"))
    got = {k.judul: (k.unit, k.jabatan) for k in Kegiatan.objects.all()}
    assert got == {
        "Rakor kecamatan": (tree.bener, "Pembina TP PKK Kecamatan Bener"),
        "Lomba kabupaten": (tree.kab, "Admin TP PKK Kabupaten Purworejo"),
    }


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"judul": ""}, "Judul kegiatan: wajib diisi."),
        ({"tanggal": ""}, "Tanggal: wajib diisi."),
        ({"tanggal": "2099-01-01"}, "Tanggal: kegiatan yang dilaporkan tidak boleh bertanggal di masa depan."),
        ({"jumlah_peserta": "-3"}, "Jumlah peserta"),
        ({"program_pokok": ""}, "Program pokok: wajib diisi untuk Pokja IV."),
        ({"program_pokok": "2"}, "Program pokok: „2. Gotong Royong“ termasuk Pokja I, bukan Pokja IV."),
        ({"pokja": "sekretariat"}, "Program pokok: kosongkan untuk Sekretariat / umum."),
        ({"foto": [upload("foto.jpg", b"bukan foto")]}, "Foto kegiatan: berkas „foto.jpg“ bukan gambar"),
    ],
)
def test_refusals_name_the_field(tree, over, message):
    resp = _client(tree.desa).post(reverse("kegiatan:create"), _form(**over))
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Kegiatan.objects.exists()


def test_edit_adds_and_removes_photos(tree, posyandu, django_capture_on_commit_callbacks):
    c = _client(tree.desa)
    old = posyandu.foto.get()
    old_path = Path(old.file.path)
    assert old_path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(
            _urls(posyandu)["edit"],
            {**_form(judul="Posyandu Maret"), "hapus_foto": [str(old.pk)], "foto": [jpeg_upload("b.jpg")]},
        )
    assert resp.status_code == 302
    posyandu.refresh_from_db()
    assert posyandu.judul == "Posyandu Maret"
    assert list(posyandu.foto.values_list("pk", flat=True)) != [old.pk] and posyandu.foto.count() == 1
    assert not old_path.exists()


def test_delete_removes_the_kegiatan_and_its_files(tree, posyandu, django_capture_on_commit_callbacks):
    path = Path(posyandu.foto.get().file.path)
    c = _client(tree.desa)
    assert "beserta 1 fotonya" in c.get(_urls(posyandu)["delete"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(_urls(posyandu)["delete"])
    assert resp.status_code == 302 and resp["Location"] == reverse("kegiatan:list")
    assert not Kegiatan.objects.exists() and not KegiatanFoto.objects.exists()
    assert not path.exists()


def test_edit_form_shows_the_photos_through_the_scoped_view(tree, posyandu):
    html = _client(tree.desa).get(_urls(posyandu)["edit"]).content.decode()
    assert f'src="{_urls(posyandu)["foto"]}"' in html
    assert "/media" not in html


def test_dashboards_show_the_kegiatan_card(tree, posyandu):
    today = dt.date.today()
    make_kegiatan(tree.kaliboto, actor=tree.desa, tanggal=today, pokja="I", program_pokok=1, judul="Hari ini")
    for persona in ("desa", "pembina", "admin"):
        html = _client(getattr(tree, persona)).get(reverse("home")).content.decode()
        assert f"Kegiatan {today.year} per pokja" in html, persona
    nav_link = f'href="{reverse("kegiatan:list")}">Kegiatan</a>'
    assert nav_link in _client(tree.desa).get(reverse("home")).content.decode()
    assert nav_link not in _client(tree.kader).get(reverse("dasawisma:kader_home"), follow=True).content.decode()


def test_a_failed_save_leaves_no_stored_photo(tree, settings, monkeypatch):
    """The second photo's row fails: the transaction rolls back and the first photo's file is removed."""
    from kegiatan import services
    from pkk.photos import prepare_photo

    calls = {"n": 0}
    real_save = KegiatanFoto.save

    def flaky_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("basis data putus")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(KegiatanFoto, "save", flaky_save)
    photos = [prepare_photo(jpeg_upload("a.jpg")), prepare_photo(jpeg_upload("b.jpg"))]
    data = {
        "tanggal": dt.date(2025, 3, 4),
        "tempat": "Balai",
        "pokja": "IV",
        "program_pokok": 7,
        "judul": "X",
        "uraian": "Y",
        "jumlah_peserta": 1,
    }
    with pytest.raises(RuntimeError):
        services.kegiatan_create(unit=tree.kaliboto, data=data, photos=photos, actor=tree.desa)
    assert not Kegiatan.objects.exists() and not KegiatanFoto.objects.exists()
    root = Path(settings.PKK_PRIVATE_MEDIA_ROOT)
    assert calls["n"] == 2 and root.exists()  # the first photo was written, then removed
    assert [p for p in root.rglob("*") if p.is_file()] == []


def test_the_list_links_the_buku_of_the_unit_looked_at(tree, posyandu):
    c = _client(tree.pembina)
    tahun = dt.date.today().year
    own = reverse("kegiatan:buku", kwargs={"unit_id": tree.bener.pk, "tahun": tahun})
    desa = reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": tahun})
    html = c.get(reverse("kegiatan:list")).content.decode()
    assert own in html and desa not in html
    html = c.get(reverse("kegiatan:list"), {"unit": tree.kaliboto.pk}).content.decode()
    assert own in html and desa in html


def test_buku_page_queries_do_not_grow_with_rows(tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = _client(tree.desa)
    url = reverse("kegiatan:buku", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2025})
    make_kegiatan(tree.kaliboto, actor=tree.desa)
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        assert c.get(url).status_code == 200
    for i in range(25):
        make_kegiatan(tree.kaliboto, actor=tree.desa, judul=f"K{i}", tanggal=dt.date(2025, 4, 1 + i))
    with CaptureQueriesContext(connection) as many:
        assert "K24" in c.get(url).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
