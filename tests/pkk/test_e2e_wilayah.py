"""Browser journeys for the unit picker, the structure page and accounts (Chromium at 360 px)."""

import pytest

from tests.builders import PASSWORD
from tests.e2e.fixtures import assert_fits_phone, shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_in(page, url):
    def _signed_in(username):
        page.goto(url("/masuk/"))
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()
        assert "/masuk/" not in page.url
        return page

    return _signed_in


def test_desa_creates_kader_with_the_picker(signed_in, url, e2e_tree):
    from django.contrib.auth import get_user_model

    tab = signed_in("desa")
    tab.goto(url("/akun/baru/"))
    assert_fits_phone(tab, "akun baru")
    tab.fill("#id_username", "kader.anggrek")
    tab.fill("#id_name", "Sri Wahyuni")
    tab.fill("#id_password1", "Kembang-Sepatu-77")
    tab.fill("#id_password2", "Kembang-Sepatu-77")
    tab.locator("[data-unit-picker] input[type=search]").fill("Angg")
    option = tab.locator("[data-unit-id]").first
    option.wait_for()
    assert tab.locator("[data-unit-id]").count() == 1  # Kenanga (other desa) never offered
    option.click()
    assert "Anggrek" in tab.locator("[data-unit-picker-label]").inner_text()
    shot(tab, "akun-baru-picker")
    tab.get_by_role("button", name="Buat akun").click()
    tab.wait_for_load_state()
    assert "/akun/" in tab.url and "Akun kader.anggrek dibuat" in tab.content()
    user = get_user_model().objects.get(username="kader.anggrek")
    assert user.role_assignments.get().unit == e2e_tree.anggrek
    assert not tab.js_errors, tab.js_errors


def test_struktur_page_fits_a_phone(signed_in, url, e2e_tree):
    tab = signed_in("desa")
    tab.goto(url("/wilayah/struktur/"))
    assert "Struktur Desa Kaliboto" in tab.content()
    assert_fits_phone(tab, "struktur")
    shot(tab, "struktur-desa")
    tab.locator(f"#unit-{e2e_tree.rt2.pk} a", has_text="Pindah").click()
    tab.wait_for_load_state()
    assert_fits_phone(tab, "pindah RT")
