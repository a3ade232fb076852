import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.builders import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_sixth_login_after_five_failures_is_locked_out(tree, client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    url = reverse("login")
    for _ in range(4):
        r = client.post(url, {"username": "desa", "password": "salah-sandi"})
        assert r.status_code == 200 and "Nama pengguna atau kata sandi salah" in r.content.decode()
    r = client.post(url, {"username": "desa", "password": "salah-sandi"})  # the 5th failure locks
    assert r.status_code == 429
    r = client.post(url, {"username": "desa", "password": PASSWORD})
    html = r.content.decode()
    assert r.status_code in (403, 429)
    assert "Terlalu banyak percobaan masuk yang gagal" in html
    assert "_auth_user_id" not in client.session
    # another account from the same address is not locked (username + IP)
    r = client.post(url, {"username": "admin", "password": PASSWORD})
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(tree.admin.pk)


def test_correct_login_before_the_limit_works(tree, client):
    for _ in range(4):
        client.post(reverse("login"), {"username": "desa", "password": "salah"})
    r = client.post(reverse("login"), {"username": "desa", "password": PASSWORD})
    assert r.status_code == 302


def test_check_deploy_is_clean_with_production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "sipkk.example.go.id",
            "CSRF_TRUSTED_ORIGINS": "https://sipkk.example.go.id",
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "System check identified no issues (0 silenced)." in proc.stdout


def test_production_settings_refuse_missing_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"DEBUG": "0", "ALLOWED_HOSTS": "x.example"})
    proc = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stderr
