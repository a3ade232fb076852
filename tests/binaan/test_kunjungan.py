"""Visits: draft and finish, read-only once finished, photos (checked, resized, served in scope), deleting a
draft deletes its files, and ids changed in URLs and form fields."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binaan import services
from binaan.models import BukuWajib, FokusArea, Kunjungan, KunjunganFoto, TindakLanjut
from tests.binaan.factories import jpeg_bytes, penetapan

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_kaliboto(tree):
    p = penetapan(tree, tahun=2026)
    return services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)


def _post_data(k, *, aksi="draft", status="baik", tl=(), extra=None):
    data = {"tanggal": k.tanggal.isoformat(), "tim_lain": "Bu Sri", "catatan": "Catatan umum", "aksi": aksi}
    for a in FokusArea.values:
        if status:
            data[f"fokus_{a}"] = status
        data[f"fokus_{a}_catatan"] = ""
    for b in BukuWajib.values:
        if status:
            data[f"buku_{b}_ada"] = "ya"
            data[f"buku_{b}_mutakhir"] = "tidak"
    for i, (apa, siapa, batas) in enumerate(tl):
        data.update({f"tl{i}_apa": apa, f"tl{i}_siapa": siapa, f"tl{i}_batas": batas})
    data.update(extra or {})
    return data


def _new_visit(c, db, tanggal="2026-11-20"):
    resp = c.post(reverse("binaan:kunjungan_baru", kwargs={"binaan_id": db.pk}), {"tanggal": tanggal})
    k = Kunjungan.objects.latest("pk")
    assert resp["Location"] == reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk})
    return k


def test_draft_then_finish_then_read_only(tree, db_kaliboto, as_user):
    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    url = reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk})
    # A draft with half the areas and one follow-up; saved through draft.js (204 + location).
    data = _post_data(
        k,
        status="",
        tl=[("Perbaiki papan data", "Ketua RW 01", "2026-12-20")],
        extra={"fokus_posyandu": "proses", "fokus_posyandu_catatan": "Meja 5 belum jalan"},
    )
    resp = c.post(url, data, HTTP_X_DRAFT_SUBMIT="1")
    assert resp.status_code == 204 and resp["X-Draft-Location"] == url
    k.refresh_from_db()
    assert k.is_draft and k.fokus.get(area="posyandu").status == "proses"
    assert k.fokus.get(area="posyandu").catatan == "Meja 5 belum jalan"
    tl = TindakLanjut.objects.get(kunjungan=k)
    assert (tl.apa, tl.siapa, tl.batas_waktu) == ("Perbaiki papan data", "Ketua RW 01", dt.date(2026, 12, 20))
    # The desa does not see a draft.
    assert as_user(tree.desa).get(url).status_code == 404
    # The page shows the saved draft (the same follow-up is row tl0 with its id).
    page = c.get(url).content.decode()
    assert 'value="Perbaiki papan data"' in page and f'name="tl0_id" value="{tl.pk}"' in page
    # Finishing with areas left empty is refused, naming the area.
    resp = c.post(url, {**data, "aksi": "selesai", "tl0_id": tl.pk})
    assert resp.status_code == 200
    text = resp.content.decode()
    assert "Posyandu lansia: pilih status (belum, proses atau baik) sebelum menyelesaikan." in text
    k.refresh_from_db()
    assert k.is_draft
    # Complete, finish.
    resp = c.post(
        url,
        _post_data(
            k,
            aksi="selesai",
            tl=[("Perbaiki papan data", "Ketua RW 01", "2026-12-20")],
            extra={"tl0_id": tl.pk, "tim": [tree.pembina.pk]},
        ),
    )
    assert resp.status_code == 302
    k.refresh_from_db()
    assert not k.is_draft and k.finished_by == tree.pembina and list(k.tim.all()) == [tree.pembina]
    assert TindakLanjut.objects.filter(kunjungan=k).count() == 1  # edited, not duplicated
    # Read-only: a further POST changes nothing.
    resp = c.post(url, _post_data(k, status="belum"))
    assert resp.status_code == 302
    assert k.fokus.get(area="posyandu").status == "baik"
    assert as_user(tree.desa).get(url).status_code == 200


def test_team_accounts_come_from_the_kecamatan_only(tree, db_kaliboto, as_user):
    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    url = reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk})
    resp = c.post(url, _post_data(k, extra={"tim": [tree.pembina_grabag.pk]}))
    assert resp.status_code == 200
    assert "Anggota tim bukan akun kecamatan ini." in resp.content.decode()
    assert not k.tim.exists()


def test_changed_follow_up_ids_in_form_fields_are_refused(tree, db_kaliboto, as_user):
    c = as_user(tree.pembina)
    k1 = _new_visit(c, db_kaliboto)
    c.post(reverse("binaan:kunjungan", kwargs={"kunjungan_id": k1.pk}), _post_data(k1, tl=[("A", "B", "2026-12-01")]))
    other_tl = TindakLanjut.objects.get(kunjungan=k1)
    k2 = _new_visit(c, db_kaliboto)
    url = reverse("binaan:kunjungan", kwargs={"kunjungan_id": k2.pk})
    resp = c.post(url, _post_data(k2, tl=[("Dibajak", "X", "2026-12-02")], extra={"tl0_id": other_tl.pk}))
    assert resp.status_code == 200
    assert "Tindak lanjut tidak ditemukan pada kunjungan ini." in resp.content.decode()
    other_tl.refresh_from_db()
    assert other_tl.apa == "A"
    # ticking a follow-up of another desa binaan as done on this visit
    resp = c.post(url, _post_data(k2, extra={f"selesai_{other_tl.pk}": "on"}))
    other_tl.refresh_from_db()
    # an unknown field is ignored: a follow-up of a draft visit is not an "earlier" one
    assert other_tl.selesai_di_kunjungan is None


def test_outsider_pembina_and_desa_get_404_on_a_visit(tree, db_kaliboto, as_user):
    k = _new_visit(as_user(tree.pembina), db_kaliboto)
    url = reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk})
    assert as_user(tree.pembina_grabag).get(url).status_code == 404
    assert as_user(tree.pembina_grabag).post(url, _post_data(k, status="belum")).status_code == 404
    assert (
        as_user(tree.pembina_grabag)
        .post(reverse("binaan:kunjungan_hapus", kwargs={"kunjungan_id": k.pk}), {"yakin": "1"})
        .status_code
        == 404
    )
    assert Kunjungan.objects.filter(pk=k.pk).exists()
    assert as_user(tree.kader).get(url).status_code == 403
    assert (
        as_user(tree.pembina_grabag)
        .post(reverse("binaan:kunjungan_baru", kwargs={"binaan_id": db_kaliboto.pk}), {"tanggal": "2026-11-01"})
        .status_code
        == 404
    )
    # The admin reads the draft but cannot edit it.
    resp = as_user(tree.admin).post(url, _post_data(k, status="belum"))
    assert resp.status_code == 403
    assert Kunjungan.objects.get(pk=k.pk).fokus.get(area="posyandu").status == ""


def _upload(c, k, content: bytes, name="foto.jpg", ctype="image/jpeg"):
    return c.post(
        reverse("binaan:foto_upload", kwargs={"kunjungan_id": k.pk}),
        {"foto": SimpleUploadedFile(name, content, content_type=ctype), "keterangan": "Posyandu"},
        follow=True,
    )


def test_photo_is_resized_served_in_scope_and_deleted_with_the_draft(
    tree, db_kaliboto, as_user, settings, django_capture_on_commit_callbacks
):
    from PIL import Image

    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    resp = _upload(c, k, jpeg_bytes(size=(4000, 3000)))
    assert "Foto tersimpan." in resp.content.decode()
    foto = KunjunganFoto.objects.get(kunjungan=k)
    with foto.file.open("rb") as fh:
        img = Image.open(io.BytesIO(fh.read()))
        assert img.format == "JPEG" and max(img.size) == 1600 and img.size == (1600, 1200)
    url = reverse("binaan:foto", kwargs={"kunjungan_foto_id": foto.pk})
    resp = c.get(url)
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert resp["Cache-Control"] == "private, no-store"
    assert as_user(tree.pembina_grabag).get(url).status_code == 404
    assert as_user(tree.desa).get(url).status_code == 404  # a draft's photo
    assert as_user(tree.kader).get(url).status_code == 403
    name, storage = foto.file.name, foto.file.storage
    assert storage.exists(name) and not name.startswith("binaan/kunjungan/1/")  # a name that reveals nothing
    resp = c.post(reverse("binaan:kunjungan_hapus", kwargs={"kunjungan_id": k.pk}), follow=True)
    assert "untuk menghapus draf kunjungan" in resp.content.decode()  # the confirmation box was not ticked
    assert Kunjungan.objects.filter(pk=k.pk).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # files go after the commit
        resp = c.post(reverse("binaan:kunjungan_hapus", kwargs={"kunjungan_id": k.pk}), {"yakin": "1"})
    assert resp.status_code == 302 and len(callbacks) == 1
    assert not Kunjungan.objects.filter(pk=k.pk).exists()
    assert not storage.exists(name), "deleting a draft visit deletes its photo files"


@pytest.mark.parametrize(
    "content,name,message",
    [
        (
            b"x" * (10 * 1024 * 1024 + 1),
            "besar.jpg",
            "Foto: berkas „besar.jpg“ terlalu besar (10,0 MB); paling besar 10 MB.",
        ),
        (
            b"%PDF-1.4 a pdf renamed",
            "foto.jpg",
            "Foto: berkas „foto.jpg“ bukan gambar (namanya berakhiran .jpg, tetapi isinya bukan gambar: "
            "berkas lain yang diganti namanya?). Kirim foto JPEG, PNG atau WebP.",
        ),
        (b"just some text", "catatan.txt", "Foto: berkas „catatan.txt“ bukan gambar"),
    ],
)
def test_photo_refusals_show_a_message_naming_the_field(tree, db_kaliboto, as_user, content, name, message):
    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    resp = _upload(c, k, content, name=name)
    assert message in resp.content.decode()
    assert not KunjunganFoto.objects.exists()


def test_a_gif_is_refused_by_type(tree, db_kaliboto, as_user):
    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    resp = _upload(c, k, jpeg_bytes(fmt="GIF"), name="a.gif", ctype="image/gif")
    assert "Foto: jenis gambar GIF („a.gif“) tidak didukung; kirim JPEG, PNG atau WebP." in resp.content.decode()


def test_a_finished_visit_takes_no_photos_and_cannot_be_deleted(tree, db_kaliboto, as_user):
    from tests.binaan.factories import full_data

    c = as_user(tree.pembina)
    k = _new_visit(c, db_kaliboto)
    services.kunjungan_save(kunjungan=k, data=full_data(k.tanggal), actor=tree.pembina, selesai=True)
    resp = _upload(c, k, jpeg_bytes())
    assert "Kunjungan ini sudah selesai; foto tidak dapat ditambah lagi." in resp.content.decode()
    resp = c.post(reverse("binaan:kunjungan_hapus", kwargs={"kunjungan_id": k.pk}), {"yakin": "1"}, follow=True)
    assert "Kunjungan yang sudah selesai tidak dapat dihapus." in resp.content.decode()
    assert Kunjungan.objects.filter(pk=k.pk).exists()


def test_a_visit_lies_in_the_year_of_the_designation(tree, db_kaliboto, as_user):
    c = as_user(tree.pembina)
    resp = c.post(
        reverse("binaan:kunjungan_baru", kwargs={"binaan_id": db_kaliboto.pk}), {"tanggal": "2025-12-31"}, follow=True
    )
    assert "Tanggal kunjungan harus di tahun 2026 (tahun penetapan desa binaan)." in resp.content.decode()
    assert not Kunjungan.objects.exists()
    k = _new_visit(c, db_kaliboto)
    resp = c.post(
        reverse("binaan:kunjungan", kwargs={"kunjungan_id": k.pk}), {**_post_data(k), "tanggal": "2025-06-01"}
    )
    assert "Tanggal kunjungan harus di tahun 2026" in resp.content.decode()
    k.refresh_from_db()
    assert k.tanggal == dt.date(2026, 11, 20)
