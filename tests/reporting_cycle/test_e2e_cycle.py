"""The reporting cycle in a phone-sized Chromium: a kader submits, the ketua RT verifies, the TP PKK desa
sees the completeness on its dashboard. Every page fits 360 px. Marked e2e (run with -m e2e)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.fixtures import assert_fits_phone, shot

pytestmark = pytest.mark.e2e


def test_submit_review_and_dashboard_on_a_phone(page, login, url, e2e_tree):
    from reporting.models import Laporan, RekapBulanan

    year = dt.date.today().year
    for m in range(1, 13):
        RekapBulanan.objects.create(
            unit=e2e_tree.kaliboto, bulan=dt.date(year, m, 1), ibu_hamil=10 + m, bayi_lahir_l=m % 3
        )

    login("kader")
    page.goto(url("/laporan/saya/"))
    assert_fits_phone(page, "laporan saya")
    shot(page, "cycle-laporan-saya")
    page.get_by_role("button", name="Ajukan").first.click()
    page.wait_for_load_state()
    assert "sudah diajukan" in page.content()
    assert Laporan.objects.filter(unit=e2e_tree.mawar, status="diajukan").count() == 1

    page.context.clear_cookies()
    login("ketua_rt")
    page.goto(url("/laporan/verifikasi/"))
    assert_fits_phone(page, "verifikasi")
    shot(page, "cycle-verifikasi")
    page.locator("input[name=laporan]").first.check()
    page.get_by_role("button", name="Terima yang dipilih").click()
    page.wait_for_load_state()
    assert "1 laporan diterima" in page.content()  # for a ketua kelompok: verified (issue 10)

    page.context.clear_cookies()
    login("desa")
    page.goto(url("/"))
    assert "Dasbor Desa Kaliboto" in page.content()
    assert page.locator("svg[role=img]").count() >= 4
    assert_fits_phone(page, "dasbor desa")
    shot(page, "cycle-dasbor-desa")
    page.get_by_role("link", name="Dusun Krajan").first.click()
    page.wait_for_load_state()
    assert "Kelengkapan laporan — Dusun Krajan" in page.content()
    assert_fits_phone(page, "kelengkapan")
    shot(page, "cycle-kelengkapan")
    page.goto(url(f"/laporan/kunci/{e2e_tree.kaliboto.pk}/"))
    assert_fits_phone(page, "kunci")
    shot(page, "cycle-kunci")
    assert not page.js_errors
