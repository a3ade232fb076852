"""Follow-ups: the desa answers ("sudah dilaksanakan", note + photo), the pembina confirms or reopens, a later
visit marks done; what is overdue; who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binaan import services
from binaan.models import TindakLanjut
from binaan.services import TindakLanjutBaru
from tests.binaan.factories import full_data, jpeg_bytes, penetapan

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tree):
    p = penetapan(tree, tahun=2026)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    k = services.kunjungan_create(desa_binaan=db, tanggal=dt.date(2026, 9, 1), actor=tree.pembina)
    services.kunjungan_save(
        kunjungan=k,
        actor=tree.pembina,
        selesai=True,
        today=dt.date(2026, 9, 1),
        data=full_data(
            dt.date(2026, 9, 1),
            tindak_lanjut=[
                TindakLanjutBaru(apa="Bentuk kelompok BKB", siapa="Pokja I", batas_waktu=dt.date(2026, 10, 1)),
                TindakLanjutBaru(apa="Tanam sayur di pekarangan", siapa="Pokja III", batas_waktu=dt.date(2026, 12, 31)),
            ],
        ),
    )
    a, b = TindakLanjut.objects.filter(kunjungan=k).order_by("batas_waktu")
    return db, k, a, b


def test_overdue_means_past_due_and_not_answered(setup):
    _db, _k, a, _b = setup
    assert not a.is_overdue(dt.date(2026, 10, 1))  # due today: not late yet
    assert a.is_overdue(dt.date(2026, 10, 2))
    a.status = TindakLanjut.Status.DIJAWAB  # the desa answered: with the pembina now
    assert not a.is_overdue(dt.date(2026, 10, 2))
    a.status = TindakLanjut.Status.SELESAI
    assert not a.is_overdue(dt.date(2027, 1, 1))


def test_desa_answers_with_a_photo_and_the_pembina_confirms(tree, setup, as_user, settings):
    db, _k, a, _b = setup
    desa = as_user(tree.desa)
    url = reverse("binaan:tl_jawab", kwargs={"tindak_lanjut_id": a.pk})
    assert desa.get(url).status_code == 200
    resp = desa.post(
        url,
        {
            "tanggal": "2026-09-20",
            "catatan": "Kelompok BKB Melati dibentuk, 12 anggota",
            "foto": SimpleUploadedFile("bkb.png", jpeg_bytes(fmt="PNG"), content_type="image/png"),
        },
    )
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.status == "dijawab" and a.jawaban_oleh == tree.desa and a.jawaban_tanggal == dt.date(2026, 9, 20)
    foto_url = reverse("binaan:tl_foto", kwargs={"tindak_lanjut_id": a.pk})
    assert as_user(tree.pembina).get(foto_url)["Content-Type"] == "image/jpeg"  # normalized to JPEG
    assert as_user(tree.pembina_grabag).get(foto_url).status_code == 404
    assert as_user(tree.desa_kp).get(foto_url).status_code == 404
    page = as_user(tree.pembina).get(reverse("binaan:detail", kwargs={"binaan_id": db.pk})).content.decode()
    assert "Kelompok BKB Melati dibentuk, 12 anggota" in page and f'id="btn-konfirmasi-{a.pk}"' in page
    resp = as_user(tree.pembina).post(reverse("binaan:tl_konfirmasi", kwargs={"tindak_lanjut_id": a.pk}))
    a.refresh_from_db()
    assert resp.status_code == 302 and a.status == "selesai" and a.selesai_oleh == tree.pembina
    # Reopening needs a reason (the message names it), then the follow-up is open again.
    buka = reverse("binaan:tl_buka", kwargs={"tindak_lanjut_id": a.pk})
    resp = as_user(tree.pembina).post(buka, {"alasan": ""}, follow=True)
    assert "Alasan dibuka kembali: Tuliskan alasan tindak lanjut dibuka kembali." in resp.content.decode()
    as_user(tree.pembina).post(buka, {"alasan": "Anggota belum terdaftar"})
    a.refresh_from_db()
    assert a.status == "terbuka" and a.selesai_tanggal is None and "Anggota belum terdaftar" in a.selesai_catatan


def test_answer_needs_a_note_and_refuses_a_bad_photo(tree, setup, as_user):
    _db, _k, a, _b = setup
    url = reverse("binaan:tl_jawab", kwargs={"tindak_lanjut_id": a.pk})
    resp = as_user(tree.desa).post(url, {"tanggal": "2026-09-20", "catatan": ""})
    assert "Tuliskan apa yang sudah dilaksanakan." in resp.content.decode()
    resp = as_user(tree.desa).post(
        url,
        {
            "tanggal": "2026-09-20",
            "catatan": "x",
            "foto": SimpleUploadedFile("bukti.jpg", b"not an image at all", content_type="image/jpeg"),
        },
    )
    assert "Foto bukti: berkas „bukti.jpg“ bukan gambar" in resp.content.decode()
    a.refresh_from_db()
    assert a.status == "terbuka"


def test_who_may_answer_confirm_and_reopen(tree, setup, as_user):
    _db, _k, a, _b = setup
    jawab = reverse("binaan:tl_jawab", kwargs={"tindak_lanjut_id": a.pk})
    konfirmasi = reverse("binaan:tl_konfirmasi", kwargs={"tindak_lanjut_id": a.pk})
    buka = reverse("binaan:tl_buka", kwargs={"tindak_lanjut_id": a.pk})
    answer = {"tanggal": "2026-09-20", "catatan": "x"}
    assert as_user(tree.desa_kp).post(jawab, answer).status_code == 404  # another desa
    assert as_user(tree.pembina).post(jawab, answer).status_code == 403  # only the desa answers
    assert as_user(tree.kader).post(jawab, answer).status_code == 403
    assert as_user(tree.pembina_grabag).post(konfirmasi).status_code == 404
    assert as_user(tree.desa).post(konfirmasi).status_code == 403  # the desa does not confirm itself
    assert as_user(tree.admin).post(konfirmasi).status_code == 403
    assert as_user(tree.pembina_grabag).post(buka, {"alasan": "x"}).status_code == 404
    a.refresh_from_db()
    assert a.status == "terbuka"


def test_the_desa_does_not_see_follow_ups_of_a_draft_visit(tree, setup, as_user):
    db, _k, _a, _b = setup
    k2 = services.kunjungan_create(desa_binaan=db, tanggal=dt.date(2026, 11, 1), actor=tree.pembina)
    services.kunjungan_save(
        kunjungan=k2,
        actor=tree.pembina,
        data=full_data(
            dt.date(2026, 11, 1),
            tindak_lanjut=[TindakLanjutBaru(apa="Rahasia draf", siapa="X", batas_waktu=dt.date(2026, 11, 30))],
        ),
    )
    draft_tl = TindakLanjut.objects.get(kunjungan=k2)
    page = as_user(tree.desa).get(reverse("binaan:detail", kwargs={"binaan_id": db.pk})).content.decode()
    assert "Rahasia draf" not in page and "Bentuk kelompok BKB" in page
    assert (
        as_user(tree.desa).get(reverse("binaan:tl_jawab", kwargs={"tindak_lanjut_id": draft_tl.pk})).status_code == 404
    )


def test_a_later_visit_marks_an_earlier_follow_up_done_when_it_is_finished(tree, setup, as_user):
    db, _k, a, b = setup
    c = as_user(tree.pembina)
    resp = c.post(reverse("binaan:kunjungan_baru", kwargs={"binaan_id": db.pk}), {"tanggal": "2026-11-15"})
    k2 = db.kunjungan.get(tanggal=dt.date(2026, 11, 15))
    url = resp["Location"]
    page = c.get(url).content.decode()
    assert f'name="selesai_{a.pk}"' in page and f'name="selesai_{b.pk}"' in page
    from tests.binaan.test_kunjungan import _post_data

    c.post(url, _post_data(k2, extra={f"selesai_{a.pk}": "on", f"selesai_{a.pk}_catatan": "Sudah berjalan"}))
    a.refresh_from_db()
    assert a.status == "terbuka" and a.selesai_di_kunjungan_id == k2.pk  # held on the draft
    c.post(
        url,
        _post_data(k2, aksi="selesai", extra={f"selesai_{a.pk}": "on", f"selesai_{a.pk}_catatan": "Sudah berjalan"}),
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.selesai_tanggal, a.selesai_catatan) == ("selesai", dt.date(2026, 11, 15), "Sudah berjalan")
    assert b.status == "terbuka"
    # A finished visit stays read-only, but its follow-ups can still be confirmed.
    resp = c.post(reverse("binaan:tl_konfirmasi", kwargs={"tindak_lanjut_id": b.pk}))
    b.refresh_from_db()
    assert b.status == "selesai"
