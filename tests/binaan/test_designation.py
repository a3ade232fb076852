"""Designation by the admin kabupaten: decree, desa list, pembina per desa, and every change recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from binaan import services
from binaan.models import DesaBinaan, Penetapan, PenetapanRiwayat
from tests.binaan.factories import PDF, penetapan

pytestmark = pytest.mark.django_db


def test_admin_creates_a_decree_adds_desa_and_every_change_is_recorded(tree, as_user):
    c = as_user(tree.admin)
    resp = c.post(
        reverse("binaan:penetapan_baru"),
        {
            "tahun": 2026,
            "nomor_sk": "400/77/2026",
            "tanggal_sk": "2026-01-20",
            "scan_sk": SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf"),
        },
    )
    p = Penetapan.objects.get(tahun=2026)
    assert resp.status_code == 302 and resp["Location"] == reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk})
    assert p.scan_sk.name.endswith(".pdf") and p.kabupaten == tree.kab
    resp = c.post(reverse("binaan:desa_tambah", kwargs={"penetapan_id": p.pk}), {"desa": tree.kaliboto.pk})
    assert resp.status_code == 302
    db = DesaBinaan.objects.get(penetapan=p, desa=tree.kaliboto)
    assert db.pembina == tree.bener  # default: its own kecamatan
    c.post(
        reverse("binaan:desa_tambah", kwargs={"penetapan_id": p.pk}),
        {"desa": tree.kedungpucang.pk, "pembina": tree.grabag.pk},
    )
    assert DesaBinaan.objects.get(desa=tree.kedungpucang).pembina == tree.grabag
    c.post(reverse("binaan:binaan_pembina", kwargs={"binaan_id": db.pk}), {"pembina": tree.grabag.pk})
    c.post(reverse("binaan:binaan_hapus", kwargs={"binaan_id": db.pk}))
    db.refresh_from_db()
    assert db.pembina == tree.grabag and not db.is_active
    c.post(
        reverse("binaan:penetapan_ubah", kwargs={"penetapan_id": p.pk}),
        {"nomor_sk": "400/78/2026", "tanggal_sk": "2026-01-21"},
    )
    log = list(
        PenetapanRiwayat.objects.filter(penetapan=p).order_by("pk").values_list("username", "aksi", "keterangan")
    )
    assert [a for _, a, _ in log] == ["buat", "tambah", "tambah", "pembina", "hapus", "ubah"]
    assert all(u == "admin" for u, _, _ in log)
    assert log[3][2] == "Pembina Desa Kaliboto: Kecamatan Bener → Kecamatan Grabag"
    assert log[5][2] == "nomor SK 400/77/2026 → 400/78/2026; tanggal SK 20-01-2026 → 21-01-2026"
    page = c.get(reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk})).content.decode()
    assert "Pembina Desa Kaliboto: Kecamatan Bener → Kecamatan Grabag" in page


def test_a_desa_outside_the_kabupaten_or_twice_is_refused(tree):
    p = penetapan(tree, tahun=2026)
    services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    with pytest.raises(ValidationError, match="sudah menjadi desa binaan"):
        services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    with pytest.raises(ValidationError, match="Pilih desa"):
        services.desa_binaan_add(penetapan=p, desa=tree.bener, actor=tree.admin)
    with pytest.raises(ValidationError, match="Pembina harus kecamatan"):
        services.desa_binaan_add(penetapan=p, desa=tree.kedungpucang, pembina=tree.kaliboto, actor=tree.admin)
    with pytest.raises(ValidationError, match="sudah ada"):
        penetapan(tree, tahun=2026)


def test_decree_scan_must_be_a_pdf_with_the_message_shown(tree, as_user):
    c = as_user(tree.admin)
    resp = c.post(
        reverse("binaan:penetapan_baru"),
        {
            "tahun": 2026,
            "nomor_sk": "1",
            "tanggal_sk": "2026-01-20",
            "scan_sk": SimpleUploadedFile("sk.pdf", b"MZ not a pdf", content_type="application/pdf"),
        },
    )
    assert resp.status_code == 200
    assert "Scan SK: berkas „sk.pdf“ bukan PDF (namanya berakhiran .pdf" in resp.content.decode()
    assert not Penetapan.objects.exists()


def test_designation_pages_are_for_the_admin_only(tree, as_user):
    p = penetapan(tree, tahun=2026)
    for persona in ("pembina", "desa", "kader"):
        c = as_user(getattr(tree, persona))
        assert c.get(reverse("binaan:penetapan_baru")).status_code == 403
        assert c.get(reverse("binaan:penetapan_ubah", kwargs={"penetapan_id": p.pk})).status_code == 403
        assert (
            c.post(reverse("binaan:desa_tambah", kwargs={"penetapan_id": p.pk}), {"desa": tree.kaliboto.pk}).status_code
            == 403
        )
    assert not DesaBinaan.objects.exists()
    # A pembina not named for any desa of this decree does not see it at all.
    assert as_user(tree.pembina).get(reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk})).status_code == 404
    assert as_user(tree.admin).get(reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk})).status_code == 200


def test_an_admin_of_another_kabupaten_gets_404(tree, as_user):
    from pkk.models import Level, Role
    from pkk.services import unit_create
    from tests.builders import make_user

    other = unit_create(
        level=Level.KABUPATEN, name="Kabupaten Magelang", parent=tree.prov, code="33.08", kind="kabupaten"
    )
    outsider = make_user("admin.magelang", Role.ADMIN_KABUPATEN, other)
    p = penetapan(tree, tahun=2026)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    c = as_user(outsider)
    for name, kw in (
        ("binaan:penetapan", {"penetapan_id": p.pk}),
        ("binaan:penetapan_ubah", {"penetapan_id": p.pk}),
        ("binaan:penetapan_sk", {"penetapan_id": p.pk}),
        ("binaan:detail", {"binaan_id": db.pk}),
    ):
        assert c.get(reverse(name, kwargs=kw)).status_code == 404, name
    for name, kw in (
        ("binaan:desa_tambah", {"penetapan_id": p.pk}),
        ("binaan:binaan_hapus", {"binaan_id": db.pk}),
        ("binaan:binaan_pembina", {"binaan_id": db.pk}),
    ):
        assert (
            c.post(reverse(name, kwargs=kw), {"desa": tree.kedungpucang.pk, "pembina": tree.grabag.pk}).status_code
            == 404
        ), name
    db.refresh_from_db()
    assert db.is_active and db.pembina == tree.bener
    # Its own decree cannot take a desa of Purworejo (changed id in a form field).
    own = services.penetapan_create(
        kabupaten=other, tahun=2026, nomor_sk="9", tanggal_sk=dt.date(2026, 1, 2), actor=outsider
    )
    c.post(reverse("binaan:desa_tambah", kwargs={"penetapan_id": own.pk}), {"desa": tree.kedungpucang.pk})
    assert not DesaBinaan.objects.filter(penetapan=own).exists()


def test_kecamatan_sees_only_its_own_desa_binaan_and_desa_sees_its_page(tree, as_user):
    p = penetapan(tree, tahun=2026)
    kal = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    hb = services.desa_binaan_add(penetapan=p, desa=tree.harjobinangun, actor=tree.admin)
    assert as_user(tree.pembina).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).status_code == 200
    assert as_user(tree.pembina).get(reverse("binaan:detail", kwargs={"binaan_id": hb.pk})).status_code == 404
    assert as_user(tree.pembina_grabag).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).status_code == 404
    assert as_user(tree.desa).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).status_code == 200
    assert as_user(tree.desa_kp).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).status_code == 404
    assert as_user(tree.kader).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).status_code == 403
    # desa Kedungpucang is not a desa binaan: its index says so
    page = as_user(tree.desa_kp).get(reverse("binaan:index")).content.decode()
    assert "bukan desa binaan" in page
    anon = reverse("binaan:detail", kwargs={"binaan_id": kal.pk})
    from django.test import Client

    assert Client().get(anon)["Location"].startswith("/masuk/")


def test_a_pembina_from_another_kecamatan_takes_over_and_the_own_kecamatan_loses_access(tree, as_user):
    p = penetapan(tree, tahun=2026)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    detail = reverse("binaan:detail", kwargs={"binaan_id": db.pk})
    assert as_user(tree.pembina_grabag).get(detail).status_code == 404
    services.desa_binaan_set_pembina(desa_binaan=db, pembina=tree.grabag, actor=tree.admin)
    assert as_user(tree.pembina).get(detail).status_code == 404
    grabag = as_user(tree.pembina_grabag)
    assert grabag.get(detail).status_code == 200
    resp = grabag.post(reverse("binaan:kunjungan_baru", kwargs={"binaan_id": db.pk}), {"tanggal": "2026-11-02"})
    assert resp.status_code == 302 and db.kunjungan.count() == 1
    assert as_user(tree.desa).get(detail).status_code == 200  # the desa keeps its page
    # The Grabag pembina now also sees the decree; the Bener pembina no longer does.
    sk = reverse("binaan:penetapan", kwargs={"penetapan_id": p.pk})
    assert grabag.get(sk).status_code == 200 and as_user(tree.pembina).get(sk).status_code == 404


def test_the_page_of_a_desa_links_its_other_years_and_the_list_counts_active_desa(tree, as_user):
    old = services.desa_binaan_add(penetapan=penetapan(tree, tahun=2025), desa=tree.kaliboto, actor=tree.admin)
    p = penetapan(tree, tahun=2026)
    new = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    gone = services.desa_binaan_add(penetapan=p, desa=tree.kedungpucang, actor=tree.admin)
    services.desa_binaan_remove(desa_binaan=gone, actor=tree.admin)
    page = as_user(tree.desa).get(reverse("binaan:detail", kwargs={"binaan_id": new.pk})).content.decode()
    assert reverse("binaan:detail", kwargs={"binaan_id": old.pk}) in page
    page = as_user(tree.admin).get(reverse("binaan:penetapan_list")).content.decode()
    # 2026 counts Kaliboto only (Kedungpucang was removed); 2025 has Kaliboto
    assert page.count('<td class="text-end">1</td>') == 2 and '<td class="text-end">2</td>' not in page
