"""The demo desa binaan: made once (idempotent), with real content on every page."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from binaan.models import DesaBinaan, Kunjungan, KunjunganFoto, Penetapan, TindakLanjut
from binaan.progress import PERHATIAN, TERTINGGAL, rows_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


def test_seed_demo_binaan_is_idempotent_and_shows_every_kind_of_follow_up(tree, settings, as_user):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo_binaan", "--today", TODAY.isoformat(), stdout=out)
    assert "Kaliboto dan Kedungpucang" in out.getvalue()
    counts = (
        Penetapan.objects.count(),
        DesaBinaan.objects.count(),
        Kunjungan.objects.count(),
        KunjunganFoto.objects.count(),
        TindakLanjut.objects.count(),
    )
    call_command("seed_demo_binaan", "--today", TODAY.isoformat(), stdout=out)
    assert "sudah ada" in out.getvalue()
    assert (
        counts
        == (1, 2, 3, 4, 6)
        == (
            Penetapan.objects.count(),
            DesaBinaan.objects.count(),
            Kunjungan.objects.count(),
            KunjunganFoto.objects.count(),
            TindakLanjut.objects.count(),
        )
    )
    p = Penetapan.objects.get()
    assert p.tahun == 2026 and p.scan_sk.name and p.tanggal_sk == dt.date(2026, 1, 6)
    kal = DesaBinaan.objects.get(desa=tree.kaliboto)
    assert kal.pembina == tree.bener
    assert Kunjungan.objects.filter(desa_binaan=kal, status="selesai").count() == 2
    tl = {t.apa: t for t in TindakLanjut.objects.filter(desa_binaan=kal)}
    assert tl["Tanam sayur di pekarangan balai desa"].status == "selesai"  # answered, then confirmed
    assert tl["Tanam sayur di pekarangan balai desa"].jawaban_foto.name
    assert tl["Bentuk kelompok pemantauan balita stunting"].selesai_di_kunjungan.tanggal == dt.date(2026, 11, 3)
    assert tl["Rekap buku kegiatan triwulan"].status == "dijawab"
    assert tl["Buat buku inventaris TP PKK desa"].is_overdue(TODAY)
    assert tl["Sosialisasi PAAREDI untuk orang tua"].status == "terbuka"
    [row] = rows_for([kal], today=TODAY)
    assert row.overdue == 1 and row.status in (PERHATIAN, TERTINGGAL)
    assert "1 tindak lanjut melewati batas waktu" in [r.text for r in row.reasons]
    # The pages show it.
    page = as_user(tree.pembina).get(reverse("binaan:detail", kwargs={"binaan_id": kal.pk})).content.decode()
    assert "Buat buku inventaris TP PKK desa" in page and "melewati batas" in page
    # open follow-ups first, then answered ones waiting for the pembina, then done ones
    assert (
        page.index("Buat buku inventaris")
        < page.index("Sosialisasi PAAREDI")
        < page.index("Rekap buku kegiatan")
        < page.index("Tanam sayur di pekarangan")
    )


def test_seed_demo_binaan_refuses_without_debug(tree, settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("seed_demo_binaan", stdout=StringIO())
