"""The report page in headless Chromium at 360 px: the table scrolls inside its box, a row opens the
child's report, a subtree export finishes and offers its download. Marked e2e (run with -m e2e)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.fixtures import assert_fits_phone, shot

from .conftest import seed_rekap

pytestmark = pytest.mark.e2e


@pytest.fixture
def rekap_tree(e2e_tree, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    today = timezone.localdate()
    seed_rekap(tahun=today.year, bulan=dt.date(today.year, today.month, 1))
    return e2e_tree


def test_report_page_at_phone_width(page, login, url, rekap_tree):
    login("admin")
    page.goto(url("/laporan/"))
    table = page.locator("table.table-rekap")
    table.wait_for()
    assert page.locator(".table-responsive table.table-rekap").count() == 1
    assert_fits_phone(page, "rekap 4.17c")
    box = page.evaluate(
        "() => { const b = document.querySelector('.table-responsive'); return [b.scrollWidth, b.clientWidth]; }"
    )
    assert box[0] > box[1], "the wide table scrolls inside .table-responsive"
    shot(page, "rekap-4.17c")
    page.locator("table.table-rekap tbody tr").first.click()
    page.wait_for_url(f"**/laporan/{rekap_tree.bener.pk}/tahunan/**")
    assert "LAMPIRAN 4.17b" in page.content()
    page.get_by_role("link", name="Buku III (bulanan)").click()
    page.wait_for_url("**/bulanan/**")
    assert "LAMPIRAN 4.19b" in page.content()
    assert_fits_phone(page, "rekap 4.19b")


def test_subtree_export_from_the_page(page, login, url, rekap_tree):
    login("pembina")
    page.goto(url("/laporan/"))
    page.get_by_role("button", name="Buat berkas").click()
    page.wait_for_url("**/laporan/ekspor/**")
    page.get_by_role("link", name="Unduh berkas").wait_for()
    assert "Selesai: 3 lembar." in page.content()  # Bener, Kaliboto, Kedungpucang
    assert_fits_phone(page, "export job")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh berkas").click()
    assert info.value.suggested_filename.endswith(".xlsx")
