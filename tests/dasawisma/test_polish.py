"""QA findings on the data-entry pages: invalid fields marked, titles, riwayat, empty kegiatan."""

import datetime as dt
import re

from django.urls import reverse

from dasawisma import services

from .factories import make_rt
from .test_views import warga_post


def _input_tag(html: str, field_id: str) -> str:
    match = re.search(rf'<(input|select|textarea)[^>]*id="{field_id}"[^>]*>', html)
    assert match, field_id
    return match.group(0)


def test_invalid_field_gets_is_invalid_and_message_next_to_it(household, tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    resp = client.post(url, warga_post(keluarga=household["keluarga"].pk, nama="", nik="123"))
    html = resp.content.decode()
    assert resp.status_code == 200
    nama = _input_tag(html, "id_nama")
    assert "is-invalid" in nama and "form-control" in nama and 'aria-invalid="true"' in nama
    assert 'aria-describedby="id_nama_error"' in nama
    # The message sits in the field's own wrapper, right after its input.
    wrap = html[html.index('id="wrap_nama"') :]
    wrap = wrap[: wrap.index('id="wrap_', 10)]
    assert re.search(r'id="id_nama"[^>]*>\s*<div class="invalid-feedback d-block"[^>]*id="id_nama_error"', wrap)
    assert "is-invalid" in _input_tag(html, "id_nik")
    # Valid fields stay unmarked.
    assert "is-invalid" not in _input_tag(html, "id_tempat_lahir")


def test_service_error_marks_its_field(household, tree, client):
    """An error the service raises after form validation (a NIK already used) marks that field too."""
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    taken = household["siti"].nik
    html = client.post(url, warga_post(keluarga=household["keluarga"].pk, nik=taken)).content.decode()
    assert "is-invalid" in _input_tag(html, "id_nik")
    assert "is-invalid" not in _input_tag(html, "id_nama")


def test_radio_and_select_fields_marked(household, tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    html = client.post(url, warga_post(keluarga=household["keluarga"].pk, jenis_kelamin="", agama="")).content.decode()
    for match in re.finditer(r'<input[^>]*name="jenis_kelamin"[^>]*>', html):
        assert "is-invalid" in match.group(0)
    assert "is-invalid" in _input_tag(html, "id_agama")


def test_new_warga_title_names_household_once(tree, client):
    rt = make_rt(tree.mawar, tree.kader)
    client.force_login(tree.kader)
    html = client.get(reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk})).content.decode()
    assert f"Tambah warga – rumah tangga #{rt.pk}" in html
    assert "rumah tangga Rumah tangga" not in html
    detail = client.get(reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})).content.decode()
    assert f"<title>Rumah tangga #{rt.pk}" in detail or f"Rumah tangga #{rt.pk}</title>" in detail.replace("\n", "")
    assert "Rumah tangga Rumah tangga" not in detail


def test_new_warga_title_with_kepala(household, tree, client):
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": household["rt"].pk})
    assert "Tambah warga – rumah tangga Budi Santoso" in client.get(url).content.decode()


def test_kegiatan_shows_tidak_ada_when_none(tree, client):
    rt = make_rt(tree.mawar, tree.kader, pemanfaatan_pekarangan=False, kesehatan_lingkungan=False)
    client.force_login(tree.kader)
    url = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})
    html = client.get(url).content.decode()
    assert re.search(r'id="kegiatan">\s*Tidak ada\s*<', html)
    rt2 = make_rt(tree.mawar, tree.kader, up2k=True)
    html = client.get(reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt2.pk})).content.decode()
    assert re.search(r'id="kegiatan">UP2K, Pemanfaatan pekarangan, Kesehatan lingkungan<', html)


def test_riwayat_creation_is_one_line_and_update_lists_only_changes(household, tree, client):
    w = household["ani"]
    client.force_login(tree.kader)
    url = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})
    html = client.get(url).content.decode()
    section = html[html.index('id="riwayat"') :]
    assert "Dibuat</strong> oleh kader pada" in section
    assert "— &rarr;" not in section  # no "nothing -> value" lines for a creation
    assert "<details" in section and "Nama: Ani" in section  # the initial values, collapsed
    services.warga_update(warga=w, data={"pekerjaan": "Pelajar"}, version=w.version, actor=tree.desa)
    section = client.get(url).content.decode()
    section = section[section.index('id="riwayat"') :]
    update = section[section.index('data-aksi="ubah"') : section.index('data-aksi="buat"')]
    assert "Diubah</strong> oleh desa" in update
    assert update.count("&rarr;") == 1 and "Pekerjaan:" in update and "Pelajar" in update
    assert "— &rarr;" not in section


def test_riwayat_update_hides_unchanged_fields(tree, client):
    """A stored change whose values display the same (e.g. a date and its ISO text) is not listed."""
    from dasawisma.models import Riwayat

    rt = make_rt(tree.mawar, tree.kader)
    Riwayat.objects.create(
        model="rumah_tangga",
        object_id=rt.pk,
        dasawisma=tree.mawar,
        aksi=Riwayat.Aksi.UBAH,
        changes={"alamat": ["Jl. A", "Jl. B"], "jumlah_jamban": [1, "1"]},
        actor=tree.kader,
    )
    client.force_login(tree.kader)
    html = client.get(reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})).content.decode()
    section = html[html.index('data-aksi="ubah"') :]
    section = section[: section.index("</li>")]
    assert "Jl. A &rarr; Jl. B" in section
    assert "Jumlah jamban" not in section and "jumlah_jamban" not in section
    assert dt.date.today().strftime("%d-%m-%Y") in html


def test_pregnancy_history_is_its_own_section(household, tree, client):
    siti = household["siti"]
    services.kehamilan_create(
        warga=siti, data={"tanggal_mulai": dt.date.today() - dt.timedelta(days=30), "kek": False}, actor=tree.kader
    )
    client.force_login(tree.kader)
    html = client.get(reverse("dasawisma:warga_detail", kwargs={"warga_id": siti.pk})).content.decode()
    assert html.count('id="riwayat"') == 1 and html.count('id="riwayat-kehamilan"') == 1
    section = html[html.index('id="riwayat-kehamilan"') :]
    assert "Riwayat kehamilan" in section[:200] and "Dibuat</strong> oleh kader" in section
