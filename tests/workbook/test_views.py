"""The workbook page: upload (TP PKK desa and up), errors as a table, export download, scope (404)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dasawisma.models import RumahTangga, Warga
from pkk.models import PersonalDataExportLog

from .conftest import counts, valid_rows

pytestmark = pytest.mark.django_db

PAGE = "dasawisma:workbook"


def upload(client, path):
    with open(path, "rb") as fh:
        return client.post(reverse(PAGE), {"berkas": fh})


def test_desa_imports_a_file_and_sees_the_summary_with_new_units(client, tree, book):
    client.force_login(tree.desa)
    resp = upload(client, book())
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Impor berhasil" in html and "4 warga" in html and "2 rumah tangga" in html
    assert "Desa Kaliboto › Dusun Krajan › RW 02 › RT 05 › Dasawisma Bougenville" in html
    assert Warga.objects.count() == 4


def test_errors_come_back_as_a_table_and_nothing_is_written(client, tree, book):
    rows = valid_rows()
    rows["warga"][1]["nik"] = "330610420190000"  # 15 digits
    rows["kehamilan"][0]["kek"] = "entah"
    before = counts()
    client.force_login(tree.desa)
    resp = upload(client, book(rows))
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Tidak ada data yang disimpan" in html and 'id="kesalahan-impor"' in html
    assert "<td>warga</td><td>3</td><td>nik</td><td>NIK harus 16 angka (tertulis 15 karakter).</td>" in html
    assert "<td>kehamilan</td><td>2</td><td>kek</td>" in html
    assert counts() == before


def test_an_outsider_desa_cannot_import_into_another_desa(client, tree, book):
    before = counts()
    client.force_login(tree.desa_kp)
    resp = upload(client, book())
    assert resp.status_code == 400
    assert "tidak ditemukan atau di luar wilayah Anda" in resp.content.decode()
    assert counts() == before


def test_a_file_that_is_not_xlsx_is_refused_by_the_form(client, tree, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    client.force_login(tree.desa)
    resp = upload(client, path)
    assert resp.status_code == 400 and ".xlsx" in resp.content.decode()


@pytest.mark.parametrize("persona", ["kader", "ketua_rt", "nobody"])
def test_who_may_not_import(client, tree, book, persona):
    client.force_login(getattr(tree, persona))
    assert upload(client, book()).status_code == 403
    assert RumahTangga.objects.count() == 0


def test_the_page_for_a_kader_offers_only_the_export_of_their_dasawisma(client, tree, django_assert_max_num_queries):
    client.force_login(tree.kader)
    with django_assert_max_num_queries(8):
        resp = client.get(reverse(PAGE))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert 'type="file"' not in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.mawar.pk}) in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.melati.pk}) not in html


def test_the_page_for_a_desa_has_the_upload_form(client, tree):
    client.force_login(tree.desa)
    html = client.get(reverse(PAGE)).content.decode()
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert reverse("dasawisma:workbook_export", kwargs={"unit_id": tree.kaliboto.pk}) in html


def _download(client, unit):
    return client.get(reverse("dasawisma:workbook_export", kwargs={"unit_id": unit.pk}))


def test_export_download_and_log(client, tree, book):
    client.force_login(tree.desa)
    assert upload(client, book()).status_code == 200
    resp = _download(client, tree.kaliboto)
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith("attachment") and ".xlsx" in resp["Content-Disposition"]
    wb = load_workbook(BytesIO(b"".join(resp.streaming_content)), read_only=True)
    assert len(list(wb["warga"].iter_rows())) == 5
    log = PersonalDataExportLog.objects.get()
    assert (log.user, log.unit, log.channel, log.row_count) == (tree.desa, tree.kaliboto, "web", 7)


def test_a_kader_exports_their_own_dasawisma_only(client, tree, book):
    client.force_login(tree.desa)
    upload(client, book())
    client.force_login(tree.kader)
    resp = _download(client, tree.mawar)
    assert resp.status_code == 200
    b"".join(resp.streaming_content)
    assert _download(client, tree.melati).status_code == 404
    assert _download(client, tree.kaliboto).status_code == 404
    assert PersonalDataExportLog.objects.filter(user=tree.kader).count() == 1


@pytest.mark.parametrize(("persona", "unit"), [("desa_kp", "kaliboto"), ("desa_kp", "mawar"), ("kader_kp", "mawar"),
                                               ("pembina_grabag", "bener"), ("kader_grabag", "kaliboto")])  # fmt: skip
def test_outsiders_get_404_on_export(client, tree, persona, unit):
    client.force_login(getattr(tree, persona))
    assert _download(client, getattr(tree, unit)).status_code == 404
    assert not PersonalDataExportLog.objects.exists()


def test_anonymous_is_sent_to_login(client, tree):
    resp = client.get(reverse(PAGE))
    assert resp.status_code == 302 and resp["Location"].startswith("/masuk/")
