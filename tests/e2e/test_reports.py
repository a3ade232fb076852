"""Journeys (e) and (f): report pages at phone width, drill-down by row, and a subtree export job."""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.fixtures import assert_fits_phone, shot

TAHUN = dt.date.today().year


def _household(tree):
    """One rumah tangga in Mawar (two warga, a pregnancy), and the stored rekap rebuilt for this year."""
    from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
    from reporting import rollup

    rt = RumahTangga.objects.create(
        dasawisma=tree.mawar, kode="E2E-1", alamat="Jl. Mawar 7", sumber_air_sumur=True, tempat_sampah=True
    )
    kk = Keluarga.objects.create(rumah_tangga=rt, no_kk="3306101203040001")
    common = {
        "dasawisma": tree.mawar,
        "rumah_tangga": rt,
        "keluarga": kk,
        "no_kk": kk.no_kk,
        "status_perkawinan": "kawin",
        "agama": "islam",
        "pendidikan": "sma",
    }
    budi = Warga.objects.create(
        no_registrasi="3306102001202500901",
        nama="Budi Santoso",
        jenis_kelamin="L",
        tanggal_lahir=dt.date(1990, 4, 12),
        status_dalam_keluarga="kepala_keluarga",
        **common,
    )
    siti = Warga.objects.create(
        no_registrasi="3306102001202500902",
        nama="Siti Aminah",
        jenis_kelamin="P",
        tanggal_lahir=dt.date(1995, 8, 12),
        status_dalam_keluarga="istri",
        **common,
    )
    rt.kepala = budi
    rt.save(update_fields=["kepala"])
    Kehamilan.objects.create(warga=siti, dasawisma=tree.mawar, tanggal_mulai=dt.date.today() - dt.timedelta(days=60))
    rollup.rebuild(None, tahun=TAHUN)
    return rt


def _rows(page):
    return page.locator("table.table-rekap tbody tr")


def test_report_drills_down_from_desa_to_dasawisma(page, login, url, e2e_tree):
    _household(e2e_tree)
    login("desa")
    page.goto(url("/laporan/"))
    page.wait_for_load_state()
    assert re.search(rf"/laporan/{e2e_tree.kaliboto.pk}/tahunan/{TAHUN}/$", page.url), page.url
    table = page.locator("table.table-rekap")
    assert table.get_attribute("data-lampiran") == "4.17a"
    assert_fits_phone(page, "4.17a desa report")
    assert page.locator(".table-responsive").first.is_visible()
    shot(page, "laporan-4.17a-desa")

    # Desa -> dusun Krajan -> RW 01 -> RT 01 -> dasawisma Mawar: one row click per tier.
    path = [("Krajan", "4.16d"), ("01", "4.16c"), ("01", "4.16b"), ("Mawar", "4.16a")]
    for name, lampiran in path:
        row = _rows(page).filter(has=page.locator("td.name", has_text=re.compile(rf"\b{name}\b"))).first
        assert row.count(), f"no row {name!r} on {page.url}"
        row.click()  # a tap on the row (its stretched link covers it), not only on the name
        page.wait_for_load_state()
        assert table.get_attribute("data-lampiran") == lampiran, f"{name}: {page.url}"
        assert_fits_phone(page, f"{lampiran} report")
        shot(page, f"laporan-{lampiran}")
    assert page.locator("td.name", has_text="Budi Santoso").count() == 1  # 4.16a lists the household

    # The breadcrumb leads back up to the desa.
    page.locator(".breadcrumb a", has_text="Kaliboto").click()
    page.wait_for_load_state()
    assert table.get_attribute("data-lampiran") == "4.17a"


def test_monthly_report_and_period_picker(page, login, url, e2e_tree):
    _household(e2e_tree)
    login("kader")
    page.goto(url(f"/laporan/{e2e_tree.mawar.pk}/tahunan/{TAHUN}/"))
    page.get_by_role("link", name=re.compile("Buku III")).click()
    page.wait_for_load_state()
    assert "/bulanan/" in page.url
    assert page.locator("table.table-rekap").get_attribute("data-lampiran") == "4.18a"
    assert_fits_phone(page, "4.18a report")
    shot(page, "laporan-4.18a")
    page.fill("#pilih-bulan", f"{TAHUN - 1}-03")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/bulanan/{TAHUN - 1}-03/"), page.url


def test_outsider_kader_cannot_open_the_report_of_another_dasawisma(page, login, url, e2e_tree):
    login("kader_kp")
    resp = page.goto(url(f"/laporan/{e2e_tree.mawar.pk}/tahunan/{TAHUN}/"))
    assert resp.status == 404
    assert "tidak ditemukan" in page.content().lower()


def test_export_job_shows_progress_and_download_link(page, login, url, e2e_tree):
    from reporting.models import ExportJob

    _household(e2e_tree)
    login("desa")
    page.goto(url(f"/laporan/{e2e_tree.kaliboto.pk}/tahunan/{TAHUN}/"))
    page.select_option("#sampai", "dasawisma")
    page.get_by_role("button", name="Buat berkas").click()
    page.wait_for_load_state()
    assert re.search(r"/laporan/ekspor/\d+/$", page.url), page.url
    job = ExportJob.objects.get()
    assert job.requester == e2e_tree.desa
    status = page.locator("#job-status")
    # Celery runs eagerly in tests: the job may already be done; otherwise htmx polls until it is.
    status.and_(page.locator("[data-status=selesai]")).wait_for(timeout=20_000)
    shot(page, "ekspor-selesai")
    link = page.get_by_role("link", name="Unduh berkas")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as fh:
        assert fh.read(2) == b"PK"  # an xlsx is a zip
    assert_fits_phone(page, "export job page")


def test_export_job_page_polls_progress_until_the_file_is_ready(page, login, url, e2e_tree):
    """A job still running shows its progress and polls (htmx); when the worker finishes, the download link
    appears without a reload."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reporting.models import ExportJob

    job = ExportJob.objects.create(
        requester=e2e_tree.desa,
        unit=e2e_tree.kaliboto,
        kind="rekap_subtree",
        params={"buku": "tahunan", "tahun": TAHUN, "sampai": "desa"},
        status=ExportJob.Status.PROSES,
        progress=3,
        total=8,
        started_at=timezone.now(),
    )
    login("desa")
    page.goto(url(f"/laporan/ekspor/{job.pk}/"))
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == "37"
    assert "3 dari 8" in page.locator("#job-status").inner_text()
    assert page.get_by_role("link", name="Unduh berkas").count() == 0
    shot(page, "ekspor-proses")

    job.file.save("rekap-uji.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.status, job.progress, job.finished_at = ExportJob.Status.SELESAI, 8, timezone.now()
    job.expires_at = timezone.now() + dt.timedelta(hours=24)
    job.save()
    page.get_by_role("link", name="Unduh berkas").wait_for(timeout=10_000)  # htmx polls every 2 s
    assert "/laporan/ekspor/" in page.url  # no reload, the status fragment was swapped in
    assert "8 lembar" in page.locator("#job-status").inner_text()
