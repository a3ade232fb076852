"""Browser journeys of issue 10 (people's work), Chromium at 360 px: the desa resets a kader's password (shown
once), the kader logs in with it and is held on the password change page until they choose their own;
deactivating a unit asks for confirmation, with JavaScript (window.confirm) and without (a required box)."""

import re

import pytest

from pkk.models import SandiSementara, Unit
from tests.builders import PASSWORD
from tests.e2e.fixtures import PHONE, assert_fits_phone, shot

pytestmark = pytest.mark.e2e


def _sign_in(page, url, username, password=PASSWORD):
    page.goto(url("/masuk/"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    assert "/masuk/" not in page.url, f"login of {username} failed"
    return page


def test_desa_resets_kader_password_and_kader_must_change_it(page, browser, url, e2e_tree):
    kader = e2e_tree.kader
    _sign_in(page, url, "desa")
    page.goto(url(f"/akun/{kader.pk}/"))
    assert_fits_phone(page, "akun detail")
    # First "Batal" in the confirmation: nothing happens.
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.locator("#btn-reset-sandi").click()
    page.wait_for_timeout(300)
    assert messages and "kata sandi sementara" in messages[0].lower()
    assert not SandiSementara.objects.exists() and f"/akun/{kader.pk}/" in page.url
    # Then "OK": the one-time password is shown, once.
    page.once("dialog", lambda d: d.accept())
    page.locator("#btn-reset-sandi").click()
    page.locator("#sandi-sementara").wait_for()
    password = page.locator("#sandi-sementara").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", password)
    assert "hanya ditampilkan sekali" in page.content()
    assert_fits_phone(page, "sandi sementara")
    shot(page, "people-sandi-sementara")
    page.goto(url(f"/akun/{kader.pk}/"))
    assert password not in page.content() and "belum diganti pemiliknya" in page.content()
    assert not page.js_errors, page.js_errors

    # The kader, on their own phone.
    ctx = browser.new_context(**PHONE)
    try:
        tab = ctx.new_page()
        tab.goto(url("/masuk/"))
        tab.fill("#id_username", "kader")
        tab.fill("#id_password", PASSWORD)  # the old password no longer works
        tab.get_by_role("button", name="Masuk").click()
        tab.wait_for_load_state()
        assert "/masuk/" in tab.url
        tab.fill("#id_username", "kader")
        tab.fill("#id_password", password)
        tab.get_by_role("button", name="Masuk").click()
        tab.wait_for_url("**/akun/sandi/")
        assert tab.locator("#wajib-ganti").is_visible()
        assert_fits_phone(tab, "ganti sandi wajib")
        shot(tab, "people-wajib-ganti-sandi")
        tab.goto(url("/data/"))  # anything else leads back
        assert tab.url.endswith("/akun/sandi/")
        tab.fill("#id_old_password", password)
        tab.fill("#id_new_password1", "Kebun-Mawar-2026")
        tab.fill("#id_new_password2", "Kebun-Mawar-2026")
        tab.get_by_role("button", name="Simpan").click()
        tab.wait_for_load_state()
        tab.goto(url("/data/"))
        assert "/akun/sandi/" not in tab.url and "Dasawisma Mawar" in tab.content()
    finally:
        ctx.close()
    assert not SandiSementara.objects.get(user=kader).must_change


def test_deactivating_a_unit_asks_first(page, url, e2e_tree):
    melati = e2e_tree.melati
    _sign_in(page, url, "desa")
    page.goto(url(f"/wilayah/{e2e_tree.kaliboto.pk}/struktur/"))
    assert_fits_phone(page, "struktur")
    button = page.locator(f"#unit-{melati.pk} button", has_text="Nonaktifkan")
    seen = []
    page.once("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    button.click()
    page.wait_for_timeout(300)
    assert seen and seen[0].startswith("Nonaktifkan Dasawisma Melati")
    assert Unit.objects.get(pk=melati.pk).is_active
    page.once("dialog", lambda d: d.accept())
    button.click()
    page.wait_for_load_state()
    page.locator(".alert-success").wait_for()
    assert not Unit.objects.get(pk=melati.pk).is_active
    assert not page.js_errors, page.js_errors


def test_without_javascript_a_required_box_asks(browser, url, e2e_tree):
    anggrek = e2e_tree.anggrek
    ctx = browser.new_context(**PHONE, java_script_enabled=False)
    try:
        tab = _sign_in(ctx.new_page(), url, "desa")
        tab.goto(url(f"/wilayah/{e2e_tree.kaliboto.pk}/struktur/"))
        form = tab.locator(f"#unit-{anggrek.pk} form")
        form.get_by_role("button", name="Nonaktifkan").click()  # the box is not ticked: the browser stops it
        tab.wait_for_timeout(300)
        assert Unit.objects.get(pk=anggrek.pk).is_active
        form.locator(f"#konfirmasi-{anggrek.pk}").check()
        form.get_by_role("button", name="Nonaktifkan").click()
        tab.wait_for_load_state()
        assert not Unit.objects.get(pk=anggrek.pk).is_active
    finally:
        ctx.close()
