"""Journey (a): login in Indonesian; a wrong password answers with an Indonesian error."""

from tests.builders import PASSWORD
from tests.e2e.fixtures import assert_fits_phone, shot


def test_login_page_is_indonesian_and_fits_a_phone(page, url, e2e_tree):
    page.goto(url("/"))
    assert page.url.endswith("/masuk/?next=/"), page.url  # anonymous users are sent to login
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_label("Nama pengguna").is_visible()
    assert page.get_by_label("Kata sandi").is_visible()
    button = page.get_by_role("button", name="Masuk")
    box = button.bounding_box()
    assert box["height"] >= 44, f"login button too small to tap: {box}"
    assert_fits_phone(page, "login page")
    shot(page, "login")


def test_wrong_password_shows_indonesian_error(page, url, e2e_tree):
    page.goto(url("/masuk/"))
    page.get_by_label("Nama pengguna").fill("kader")
    page.get_by_label("Kata sandi").fill(PASSWORD + "-salah")
    page.get_by_role("button", name="Masuk").click()
    alert = page.locator(".alert-danger")
    alert.wait_for()
    assert "kata sandi salah" in alert.inner_text().lower()
    assert "/masuk/" in page.url
    shot(page, "login-error")


def test_kader_logs_in_and_out(page, login, url, e2e_tree):
    login("kader")
    assert page.get_by_text("kader", exact=False).count() > 0
    # The menu collapses at phone width: open it, then log out.
    toggler = page.locator(".navbar-toggler")
    assert toggler.is_visible(), "navigation should collapse behind a toggler at 360 px"
    toggler.click()
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/masuk/**")
    page.goto(url("/"))
    assert "/masuk/" in page.url
