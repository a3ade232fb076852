"""Issue 12: headers (CSP, Permissions-Policy, no-store, ...), fail-safe configuration, the login lock
behind a proxy, session expiry, and the Django admin for superusers only."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from pkk.http import client_ip
from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


def test_every_page_has_a_strict_content_security_policy(tree):
    c = Client()
    c.force_login(tree.kader)
    r = c.get(reverse("dasawisma:kader_home"), follow=True)
    csp = r["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Frame-Options"] == "DENY"
    assert r["Cache-Control"] == "no-store"
    # The login page (anonymous) too has the policy.
    assert "frame-ancestors 'none'" in Client().get(reverse("login"))["Content-Security-Policy"]


def test_full_nik_pages_and_xlsx_are_not_stored(tree):
    from tests.dasawisma.factories import make_rt, make_warga

    w = make_warga(make_rt(tree.mawar, tree.kader), tree.kader, jenis_kelamin="P")
    c = Client()
    c.force_login(tree.kader)
    assert c.get(reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk}))["Cache-Control"] == "no-store"
    r = c.get(reverse("dasawisma:warga_update", kwargs={"warga_id": w.pk}))  # the form holds the full NIK
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"


def test_no_template_has_inline_script_style_or_handler():
    """The policy forbids them: the browser would refuse them (tests/e2e fails on any violation)."""
    bad = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.I
    )
    found = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if bad.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}")
    assert not found, "\n".join(found)


def _run(env_over: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DEBUG", "SECRET_KEY"))}
    env.update(env_over)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


def test_debug_is_off_when_not_set(tmp_path):
    proc = _run({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "k" * 30 + "abcdefghij" * 3},
                "shell", "-c", "from django.conf import settings; print('DEBUG', settings.DEBUG)")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "DEBUG False" in proc.stdout


@pytest.mark.parametrize("key", ["", "short-key", "dev-only-insecure-key-do-not-use-in-production", "a" * 60,
                                 "django-insecure-" + "x1y2z3" * 10])  # fmt: skip
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "ALLOWED_HOSTS": "x.example"}
    if key:
        env["SECRET_KEY"] = key
    proc = _run(env, "check")
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stderr


def test_client_ip_through_the_trusted_proxy_count(settings):
    rf = RequestFactory()
    req = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.PKK_TRUSTED_PROXY_COUNT = 0
    assert client_ip(req) == "10.0.0.2"  # no proxy: the header is the client's own (forgeable) text
    settings.PKK_TRUSTED_PROXY_COUNT = 1
    assert client_ip(req) == "203.0.113.7"  # what our proxy saw; 6.6.6.6 was written by the client
    settings.PKK_TRUSTED_PROXY_COUNT = 2
    assert client_ip(req) == "6.6.6.6"
    settings.PKK_TRUSTED_PROXY_COUNT = 3
    assert client_ip(req) == "10.0.0.2"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")) == "10.0.0.2"


def test_a_stranger_behind_the_proxy_cannot_lock_a_kader_out(tree, settings):
    """Everyone reaches gunicorn from the proxy's address; the lock follows the client's own address."""
    settings.PKK_TRUSTED_PROXY_COUNT = 1
    url = reverse("login")
    stranger = Client(REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9")
    for _ in range(6):
        stranger.post(url, {"username": "kader", "password": "tebak-tebak"})
    r = stranger.post(url, {"username": "kader", "password": PASSWORD})
    assert r.status_code in (403, 429)  # the guesser is stopped, even with the right password
    kader = Client(REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    r = kader.post(url, {"username": "kader", "password": PASSWORD})
    assert r.status_code == 302 and kader.session["_auth_user_id"] == str(tree.kader.pk)


def test_session_expiry_setting(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_admin_is_for_superusers_only(tree):
    staff = tree.desa
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    c = Client()
    c.force_login(staff)
    r = c.get("/admin/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    c.force_login(root)
    assert c.get("/admin/").status_code == 200
