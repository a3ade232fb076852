"""Browser tests: Playwright (sync API) driving Debian's Chromium at a phone viewport.

Run with ``.venv/bin/python -m pytest -m e2e``. Registered once for the whole suite as a plugin by
``tests/conftest.py`` (``pytest_plugins``), so test modules in any folder use these fixtures by name.
The Django app is served by pytest-django's ``live_server`` (transactional database). Screenshots of
failed tests, and the page shots taken with ``shot()``, go to ``$E2E_ARTIFACTS`` (default
``<tmp>/sipkk-e2e``).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM refuses to run inside a running
# loop unless told it is safe. It is: the test thread and the live server thread each use their own
# connection, and Playwright never calls into Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", Path(tempfile.gettempdir()) / "sipkk-e2e"))
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
    "timezone_id": "Asia/Jakarta",
}
DEFAULT_TIMEOUT_MS = 15_000
# Chromium prints "Refused to ... because it violates the following Content Security Policy directive";
# the event also names what was blocked (an inline style attribute, a script, a frame).
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked ' +
                (e.blockedURI || 'inline') + ' at ' + (e.sourceFile || location.pathname) + ':' + e.lineNumber);
});
"""


class _Shared:
    """One Playwright driver and one Chromium per test session (a second ``sync_playwright()`` in the same
    thread would fail); released when the last user of the session fixture is done."""

    users = 0
    playwright = None
    browser = None

    @classmethod
    def acquire(cls):
        if cls.browser is None:
            from playwright.sync_api import sync_playwright

            if not Path(CHROMIUM).exists():
                pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set E2E_CHROMIUM)")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for old in ARTIFACTS.glob("FAILED-*.png"):  # screenshots of an earlier run's failures
                old.unlink()
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
            )
        cls.users += 1
        return cls.browser

    @classmethod
    def release(cls):
        cls.users -= 1
        if cls.users == 0 and cls.browser is not None:
            cls.browser.close()
            cls.playwright.stop()
            cls.browser = cls.playwright = None


@pytest.fixture(scope="session")
def _playwright():
    """Kept for modules that import it by name; the driver itself lives in ``_Shared``."""
    yield None


@pytest.fixture(scope="session")
def browser(_playwright):
    yield _Shared.acquire()
    _Shared.release()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(**PHONE)
    ctx.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    # Content-Security-Policy (issue 12): any violation on any page of a browser test fails that test.
    violations: list[str] = []
    page.add_init_script(CSP_REPORTER)
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.csp_violations = violations  # type: ignore[attr-defined]
    failed_before = request.session.testsfailed
    yield page
    if violations and request.session.testsfailed == failed_before:
        page.close()
        pytest.fail("Content-Security-Policy violations in the browser:\n" + "\n".join(dict.fromkeys(violations)))
    # The call phase has been reported before fixtures are torn down: a new failure is this test's.
    if request.session.testsfailed > failed_before:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / f"FAILED-{_slug(request.node.nodeid)}.png"
        try:
            page.screenshot(path=str(target), full_page=True)
            print(f"\nscreenshot of the failure: {target}")
        except Exception as exc:  # the page may be gone; the test failure matters more
            print(f"\nno screenshot ({exc})")
    page.close()


@pytest.fixture
def e2e_tree(transactional_db, live_server):
    """The shared personas and unit tree, committed so the live server thread sees them."""
    from tests.builders import build_tree

    return build_tree()


@pytest.fixture
def login(page, live_server):
    """``login("kader")`` signs a persona in through the real login form and returns the page."""
    from tests.builders import PASSWORD

    def _login(username: str, password: str = PASSWORD):
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_load_state()
        assert "/masuk/" not in page.url, f"login of {username} failed: still on {page.url}"
        return page

    return _login


@pytest.fixture
def url(live_server):
    return lambda path: f"{live_server.url}{path}"


def shot(page, name: str) -> Path:
    """Full-page screenshot for the layout review at 360 px (kept in $E2E_ARTIFACTS)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def assert_fits_phone(page, what: str = "page") -> None:
    """No horizontal scrolling of the whole page (at 360 px unless the test set another viewport); tables
    scroll inside their .table-responsive box."""
    overflow = page.evaluate(
        """() => {
            const doc = document.documentElement;
            const wide = [];
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.table-responsive')) continue;
                const r = el.getBoundingClientRect();
                if (r.right > doc.clientWidth + 1 && r.width > 0) wide.push(el.tagName + '.' + el.className);
            }
            return {scroll: doc.scrollWidth, client: doc.clientWidth, wide: wide.slice(0, 5)};
        }"""
    )
    width = overflow["client"]
    assert overflow["scroll"] <= width + 1, f"{what} scrolls sideways at {width} px: {overflow}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)[-150:]
