"""Issue 12 (UU 27/2022): drafts kept by static/js/draft.js are keyed by user, hold no NIK / No. KK, expire
(PKK_DRAFT_DAYS) and are removed at logout. In the browser."""

from __future__ import annotations

import json

import pytest

from tests.e2e.test_data_entry import choose, start_household

pytestmark = pytest.mark.e2e

NIK = "3306105208950002"
KK = "3306101203040001"


def drafts(page) -> dict[str, dict]:
    return page.evaluate(
        """() => {
            const out = {};
            for (let i = 0; i < localStorage.length; i++) {
                const k = localStorage.key(i);
                if (k.startsWith('sipkk:draft:')) out[k] = JSON.parse(localStorage.getItem(k));
            }
            return out;
        }"""
    )


def type_half_a_warga(page):
    page.locator("#btn-tambah-warga").click()
    page.wait_for_load_state()
    page.fill("#id_no_kk_baru", KK)
    page.fill("#id_nik", NIK)
    page.fill("#id_nama", "Sri Rahayu")
    choose(page, "jenis_kelamin", "P")
    page.locator("#id_nama").blur()
    page.wait_for_timeout(500)


def test_drafts_are_per_user_without_nik_and_gone_at_logout(page, login, url, context, e2e_tree):
    start_household(page, login)
    type_half_a_warga(page)
    form_url = page.url
    stored = drafts(page)
    assert len(stored) == 1, stored
    key, draft = next(iter(stored.items()))
    user_key = page.evaluate("document.body.dataset.draftUser")
    assert user_key and key.startswith(f"sipkk:draft:u:{user_key}:") and "kader" not in key
    text = json.dumps(draft)
    assert "Sri Rahayu" in text
    assert NIK not in text and KK not in text
    assert not {"nik", "no_kk", "no_kk_baru"} & set(draft["values"])

    # Someone else signs in on the same browser (the kader's session ended without a logout).
    context.clear_cookies()
    login("desa")
    page.goto(form_url)
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert not page.locator("#draft-notice").is_visible()  # never offered another user's draft
    assert page.locator("#id_nama").input_value() == ""

    # Logout removes every draft kept by this site in this browser.
    page.locator(".navbar-toggler").click()  # the menu is folded at 360 px
    with page.expect_navigation():
        page.get_by_role("button", name="Keluar (desa)").click()
    page.wait_for_load_state()
    assert drafts(page) == {}


def test_drafts_expire_after_the_setting(page, login, url, e2e_tree):
    start_household(page, login)
    type_half_a_warga(page)
    key = next(iter(drafts(page)))
    # Age the draft by 8 days (PKK_DRAFT_DAYS = 7).
    page.evaluate(
        """(key) => {
            const d = JSON.parse(localStorage.getItem(key));
            d.savedAt = new Date(Date.now() - 8 * 24 * 3600 * 1000).toISOString();
            localStorage.setItem(key, JSON.stringify(d));
        }""",
        key,
    )
    page.reload()
    page.wait_for_load_state()
    page.wait_for_timeout(300)
    assert not page.locator("#draft-notice").is_visible()
    assert key not in drafts(page)
