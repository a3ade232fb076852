"""Browser checks of QA findings on the data-entry pages (phone viewport). Marked e2e (-m e2e)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.fixtures import assert_fits_phone, shot
from tests.e2e.fixtures import login as browser_login

# tests/dasawisma/conftest.py has a test-client ``login`` fixture; here the browser one is meant.
login = browser_login

pytestmark = pytest.mark.e2e

DANGER = "rgb(220, 53, 69)"  # Bootstrap 5 --bs-danger / form-invalid-border-color


def test_invalid_field_has_red_border_and_its_message_below_it(page, login, url, e2e_tree):
    from dasawisma.services import rumah_tangga_create

    rt = rumah_tangga_create(
        dasawisma=e2e_tree.mawar, data={"alamat": "Jl. Mawar 2", "kriteria_rumah": "sehat"}, actor=e2e_tree.kader
    )
    login("kader")
    page.goto(url(f"/data/rumah-tangga/{rt.pk}/warga/baru/"))
    page.fill("#id_no_kk_baru", "3306101203040001")
    page.fill("#id_nik", "330610490592000")  # 15 digits
    page.fill("#id_tanggal_lahir", dt.date(1992, 5, 9).isoformat())
    with page.expect_navigation():
        page.locator("#btn-simpan").click()
    page.wait_for_load_state()
    for field_id in ("id_nik", "id_nama"):
        field = page.locator(f"#{field_id}")
        assert "is-invalid" in (field.get_attribute("class") or ""), field_id
        assert field.evaluate("el => getComputedStyle(el).borderTopColor") == DANGER, field_id
        feedback = page.locator(f"#{field_id}_error")
        assert feedback.is_visible(), field_id
        box, fb = field.bounding_box(), feedback.bounding_box()
        assert 0 <= fb["y"] - (box["y"] + box["height"]) <= 12, f"{field_id}: message not right below the field"
    assert "16 angka" in page.locator("#id_nik_error").inner_text()
    # A radio group with an error: each radio is marked (red circle).
    radio = page.locator("input[name=jenis_kelamin]").first
    assert "is-invalid" in (radio.get_attribute("class") or "")
    assert radio.evaluate("el => getComputedStyle(el).borderTopColor") == DANGER
    assert page.locator("#id_jenis_kelamin_error").is_visible()
    # A valid field keeps its normal border.
    assert page.locator("#id_tempat_lahir").evaluate("el => getComputedStyle(el).borderTopColor") != DANGER
    assert_fits_phone(page, "warga form with errors")
    shot(page, "polish-invalid-fields")


def test_kader_landing_page_shows_what_is_due(page, login, url, e2e_tree):
    from reporting.models import Laporan

    login("kader")  # lands on /data/ -> the Mawar page
    section = page.locator("#jatuh-tempo")
    assert section.is_visible()
    # Issue 10: the running month is not submittable before it ends; last month is.
    last = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    assert section.locator(f"input[name=periode][value='{last:%Y-%m}']").count() == 1
    assert "Belum diajukan" in section.inner_text()
    with page.expect_navigation():
        section.get_by_role("button", name="Ajukan").first.click()
    page.wait_for_load_state()
    assert f"/data/dasawisma/{e2e_tree.mawar.pk}/" in page.url  # back on the same page
    assert "sudah diajukan" in page.content()
    assert Laporan.objects.filter(unit=e2e_tree.mawar, status="diajukan").count() == 1
    assert "Menunggu verifikasi" in page.locator("#jatuh-tempo").inner_text()
    assert_fits_phone(page, "dasawisma page with due list")
    shot(page, "polish-kader-home-due")
