"""docker-compose.yml and the Dockerfile describe production (no Docker engine in CI: read and check them)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml  # PyYAML, in requirements-dev.txt

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def command(service: dict) -> str:
    cmd = service["command"]
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def healthcheck(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else test


def test_services(compose):
    assert set(compose["services"]) == {"postgres", "redis", "migrate", "web", "worker", "beat"}


def test_postgres_and_redis_have_volumes_and_healthchecks(compose):
    pg, redis = compose["services"]["postgres"], compose["services"]["redis"]
    assert "pg_isready" in healthcheck(pg)
    assert "redis-cli ping" in healthcheck(redis)
    assert any(v.endswith(":/var/lib/postgresql/data") for v in pg["volumes"])
    assert any(v.endswith(":/data") for v in redis["volumes"])
    assert {"pgdata", "redisdata", "media"} <= set(compose["volumes"])


def test_migrate_is_a_one_shot_service(compose):
    migrate = compose["services"]["migrate"]
    assert command(migrate) == "python manage.py migrate --noinput"
    assert migrate["restart"] == "no"  # it runs once and exits; compose must not restart it
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert migrate["environment"]["DATABASE_URL"] == compose["services"]["web"]["environment"]["DATABASE_URL"]


def test_web_collects_static_then_runs_gunicorn(compose):
    cmd = command(compose["services"]["web"])
    collect = cmd.find("collectstatic --noinput")
    gunicorn = cmd.find("gunicorn")
    assert -1 < collect < gunicorn, cmd
    assert "migrate" not in cmd  # the migrate service's job, once, before any of web/worker/beat
    assert "pkk.wsgi" in cmd
    assert "&&" in cmd  # a failed collectstatic stops the start


def test_web_healthcheck_hits_healthz(compose):
    check = healthcheck(compose["services"]["web"])
    assert "/healthz" in check
    assert "X-Forwarded-Proto" in check  # else SECURE_SSL_REDIRECT answers 301 on plain HTTP


def test_web_healthcheck_code_is_valid_python(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    compile(test[3], "<healthcheck>", "exec")


def test_workers_run_celery(compose):
    services = compose["services"]
    assert re.search(r"celery -A pkk worker\b", command(services["worker"]))
    assert re.search(r"celery -A pkk beat\b", command(services["beat"]))


def test_production_environment(compose):
    for name in ("web", "worker", "beat"):
        env = compose["services"][name]["environment"]
        for key in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "ALLOWED_HOSTS"):
            assert key in env, f"{name} lacks {key}"
        assert str(env["DEBUG"]) == "0"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert ":?" in env["SECRET_KEY"], "SECRET_KEY must be required, never defaulted"


def test_depends_on_waits_for_healthy_services_and_the_migrations(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        deps = services[name]["depends_on"]
        for dep in ("postgres", "redis"):
            assert deps[dep]["condition"] == "service_healthy", f"{name} -> {dep}"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name, service in services.items():
        for dep, cond in service.get("depends_on", {}).items():
            if cond["condition"] == "service_healthy":
                assert "healthcheck" in services[dep], f"{name} waits for {dep}, which has no healthcheck"


def test_worker_and_beat_have_healthchecks(compose):
    services = compose["services"]
    assert "celery -A pkk inspect ping" in healthcheck(services["worker"])
    beat = services["beat"]["healthcheck"]["test"]
    assert beat[:3] == ["CMD", "python", "-c"]
    compile(beat[3], "<beat healthcheck>", "exec")
    assert "/app/var/celerybeat-schedule" in beat[3] and "--schedule" in services["beat"]["command"]


def test_media_volume_shared_by_web_and_worker(compose):
    services = compose["services"]
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"]
        assert services[name]["environment"]["MEDIA_ROOT"] == "/app/media"


def test_dockerfile_installs_the_production_lock_on_python_311_slim():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    assert "pip install --require-hashes -r requirements.lock" in text
    steps = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "requirements-dev" not in steps, "the image must not install the test tools"
    assert re.search(r"^USER (?!root)\S+", text, re.M), "the image must not run as root"


def test_private_uploads_volume_is_writable_by_the_image_user(compose):
    """Photos, scans and uploaded workbooks go to PKK_PRIVATE_MEDIA_ROOT: a volume in web and worker, a
    folder the image creates and gives to its user (else a fresh named volume is root-owned)."""
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"mkdir -p [^\n]*/app/private", text)
    assert re.search(r"chown -R sipkk:sipkk [^\n]*/app/private", text)
    assert "PKK_PRIVATE_MEDIA_ROOT=/app/private" in text
    for name in ("web", "worker"):
        service = compose["services"][name]
        assert "private:/app/private" in service["volumes"]
        assert service["environment"]["PKK_PRIVATE_MEDIA_ROOT"] == "/app/private"


def test_deploy_check_passes_with_production_values(tmp_path):
    """``manage.py check --deploy`` with the environment docker-compose.yml gives: no issue."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "uji-" + "x7Qp9" * 12,
        "ALLOWED_HOSTS": "sipkk.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_deploy_doc_lists_the_commands_of_each_service(compose):
    doc = (ROOT / "docs" / "deploy.md").read_text()
    for name in ("web", "worker", "beat"):
        words = shlex.split(command(compose["services"][name]).replace("&&", " "))
        program = "gunicorn" if name == "web" else f"celery -A pkk {name}"
        assert program in doc, f"docs/deploy.md does not show how to start {name} ({program})"
        assert words  # the compose command parses as shell words


def test_web_is_not_published_on_every_interface(compose):
    """Django trusts X-Forwarded-* from the proxy: only the proxy may reach gunicorn (issue 12)."""
    web = compose["services"]["web"]
    for port in web.get("ports", []):
        published = str(port)
        assert published.startswith("127.0.0.1:"), published
    assert "proxy" in web["networks"] and "proxy" in compose["networks"]
    assert compose["x-app-env"]["PKK_TRUSTED_PROXY_COUNT"].startswith("${PKK_TRUSTED_PROXY_COUNT:-1}")


def test_log_lines_carry_time_level_and_logger(capsys):
    """Every process logs ``<time> <LEVEL> <logger> <message>`` (web through LOGGING, Celery through its formats)."""
    import logging
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("reporting.tasks").warning("rekap siap")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} WARNING reporting\.tasks rekap siap", line), line
    for fmt in (settings.CELERY_WORKER_LOG_FORMAT, settings.CELERY_WORKER_TASK_LOG_FORMAT):
        assert all(key in fmt for key in ("%(asctime)s", "%(levelname)s", "%(name)s")), fmt


@pytest.mark.parametrize("debug, present", [("0", False), ("1", True)])
def test_benchmark_command_is_development_only(tmp_path, debug, present):
    """``manage.py bench`` (it drops and creates databases) exists with DEBUG on, not in production; the image
    leaves ``bench/`` out."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": debug,
        "SECRET_KEY": "uji-" + "x7Qp9" * 12,
        "ALLOWED_HOSTS": "sipkk.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
    }
    proc = subprocess.run(
        [sys.executable, "manage.py", "help", "--commands"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert ("bench" in proc.stdout.split()) is present
    assert "bench/" in (ROOT / ".dockerignore").read_text().split()
