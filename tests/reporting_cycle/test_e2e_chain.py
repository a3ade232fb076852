"""The reporting chain end to end in a phone-sized Chromium (issue 10): the kader submits, the desa
accepts and submits its own report, the pembina returns it with a reason, the desa reopens the dasawisma
report, the kader fixes and resubmits, the desa accepts and resubmits, the pembina accepts, the kecamatan
submits and the kabupaten accepts. Marked e2e."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.e2e.fixtures import assert_fits_phone, shot

pytestmark = pytest.mark.e2e


def _as(page, login, username):
    page.context.clear_cookies()
    login(username)


def _detail_of(page, url, laporan):
    page.goto(url(f"/laporan/pengajuan/{laporan.pk}/"))


def test_the_chain_from_kader_to_kabupaten(page, login, url, e2e_tree):
    from reporting.models import Laporan
    from reporting.periods import previous_month

    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations of static/js/confirm.js
    bulan = previous_month(timezone.localdate())
    key = f"{bulan:%Y-%m}"
    kaliboto, bener = e2e_tree.kaliboto, e2e_tree.bener

    # 1. The kader submits last month (the running month has no button).
    _as(page, login, "kader")
    page.goto(url("/laporan/saya/"))
    page.locator(f"form:has(input[name=periode][value='{key}']) button").first.click()
    page.wait_for_load_state()
    mawar = Laporan.objects.get(unit=e2e_tree.mawar, periode=bulan)
    assert mawar.status == "diajukan"

    # 2. The desa accepts it in its inbox and submits its own report from the completeness page.
    _as(page, login, "desa")
    page.goto(url("/laporan/verifikasi/"))
    assert "Dasawisma Mawar" in page.content() and "Desa Kaliboto" in page.content()
    assert_fits_phone(page, "verifikasi desa")
    page.locator(f"input[name=laporan][value='{mawar.pk}']").check()
    page.get_by_role("button", name="Terima yang dipilih").click()
    page.wait_for_load_state()
    mawar.refresh_from_db()
    assert mawar.status == "diterima"
    kelengkapan = url(f"/laporan/kelengkapan/{kaliboto.pk}/bulanan/{key}/")
    page.goto(kelengkapan)
    assert_fits_phone(page, "kelengkapan desa")
    page.get_by_role("button", name="Ajukan laporan desa").click()
    page.wait_for_load_state()
    desa = Laporan.objects.get(unit=kaliboto, periode=bulan)
    assert desa.status == "diajukan"

    # 3. The pembina returns the desa report with a reason.
    _as(page, login, "pembina")
    page.goto(url("/laporan/verifikasi/"))
    assert "Desa Kaliboto" in page.content() and "Dasawisma Mawar" not in page.content()
    page.get_by_role("link", name="Desa Kaliboto").first.click()
    page.wait_for_load_state()
    page.fill("#id_alasan", "Jumlah ibu hamil Mawar belum sesuai posyandu")
    page.get_by_role("button", name="Kembalikan").click()
    page.wait_for_load_state()
    desa.refresh_from_db()
    assert desa.status == "dikembalikan"
    shot(page, "chain-dikembalikan")

    # 4. The desa sees the reason and reopens Mawar's report for correction.
    _as(page, login, "desa")
    page.goto(kelengkapan)
    assert "Jumlah ibu hamil Mawar belum sesuai posyandu" in page.content()
    _detail_of(page, url, mawar)
    page.fill("#id_alasan_buka", "Sesuaikan ibu hamil dengan posyandu")
    page.get_by_role("button", name="Buka kembali").click()
    page.wait_for_load_state()
    mawar.refresh_from_db()
    assert mawar.status == "dikembalikan"

    # 5. The kader sees the reason and submits again.
    _as(page, login, "kader")
    page.goto(url("/laporan/saya/"))
    assert "Sesuaikan ibu hamil dengan posyandu" in page.content()
    page.get_by_role("button", name="Ajukan ulang").first.click()
    page.wait_for_load_state()
    mawar.refresh_from_db()
    assert mawar.status == "diajukan"

    # 6. The desa accepts it and submits its report again.
    _as(page, login, "desa")
    _detail_of(page, url, mawar)
    page.get_by_role("button", name="Terima laporan").click()
    page.wait_for_load_state()
    page.goto(kelengkapan)
    page.get_by_role("button", name="Ajukan ulang").click()
    page.wait_for_load_state()
    desa.refresh_from_db()
    assert desa.status == "diajukan"

    # 7. The pembina accepts and submits the kecamatan report.
    _as(page, login, "pembina")
    _detail_of(page, url, desa)
    page.get_by_role("button", name="Terima laporan").click()
    page.wait_for_load_state()
    desa.refresh_from_db()
    assert desa.status == "diterima"
    page.goto(url(f"/laporan/kelengkapan/{bener.pk}/bulanan/{key}/"))
    assert_fits_phone(page, "kelengkapan kecamatan")
    page.get_by_role("button", name="Ajukan laporan kecamatan").click()
    page.wait_for_load_state()
    kec = Laporan.objects.get(unit=bener, periode=bulan)
    assert kec.status == "diajukan"

    # 8. The kabupaten accepts.
    _as(page, login, "admin")
    page.goto(url("/laporan/verifikasi/"))
    assert "Kecamatan Bener" in page.content()
    page.get_by_role("link", name="Kecamatan Bener").first.click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Terima laporan").click()
    page.wait_for_load_state()
    kec.refresh_from_db()
    assert kec.status == "diterima"
    assert_fits_phone(page, "laporan kecamatan")
    shot(page, "chain-diterima-kabupaten")
    assert not page.js_errors
