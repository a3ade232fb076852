"""Load: N kader sessions saving forms at once against gunicorn and a real Celery worker on loopback.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkk_load CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python -m bench.kader_load --clients 50 --seconds 60 [--web-workers 3]

The database named by DATABASE_URL is DROPPED and created again (use a scratch name). Then: migrate,
``seed_demo`` (small), one kader account per client (each on a dasawisma of the demo tree, several clients
share one), sessions made directly (no login throttling in the way). gunicorn (sync workers, DEBUG off)
and one worker (solo pool) run on a queue of their own. Each client loops for ``--seconds``: GET the
"tambah rumah tangga" form (its CSRF and once-only tokens), POST it; a save answers a redirect to the new
household. Afterwards: every request's status, how many households exist per client against the saves it
was told succeeded (no lost or doubled write), and the time until the outbox is empty and the stored rekap
equals a clean rebuild (refresh caught up). Prints one JSON document.
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
SECRET = "bench-load-" + "x" * 50


class _Inputs(html.parser.HTMLParser):
    """The form's hidden inputs (CSRF, once-only token, version)."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden[a["name"]] = a.get("value") or ""


def _setup(db_url: str, clients: int) -> dict:
    """Fresh database, demo data, one kader and one session per client. Returns {client: (cookie, unit id)}."""
    import psycopg

    parts = urllib.parse.urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk.settings")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from pkk.models import Level, Role, RoleAssignment, Unit

    call_command("migrate", verbosity=0)
    call_command("seed_demo", households=60, force=True, verbosity=0)
    dasawisma = list(Unit.objects.filter(level=Level.DASAWISMA, is_active=True).order_by("path")[:25])
    out = {}
    User = get_user_model()  # noqa: N806
    for i in range(clients):
        user = User.objects.create_user(f"kader.beban{i:02d}", password=None)
        unit = dasawisma[i % len(dasawisma)]
        RoleAssignment.objects.create(user=user, unit=unit, role=Role.KADER)
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        out[i] = (f"{settings.SESSION_COOKIE_NAME}={s.session_key}", unit.pk, user.pk)
    return out


def _client(port: int, cookie: str, unit_id: int, until: float, result: dict) -> None:
    path = f"/data/dasawisma/{unit_id}/rumah-tangga/baru/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    jar = {"session": cookie}
    n = 0
    while time.monotonic() < until:
        try:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": "; ".join(jar.values()), "Host": "127.0.0.1"})
            resp = conn.getresponse()
            body = resp.read().decode()
            for header in resp.headers.get_all("Set-Cookie") or []:
                if header.startswith("csrftoken="):
                    jar["csrf"] = header.split(";", 1)[0]
            result["get"].append((resp.status, time.perf_counter() - t0))
            parser = _Inputs()
            parser.feed(body)
            n += 1
            fields = {**parser.hidden, "alamat": f"Jl. Beban {n}", "kriteria_rumah": "sehat", "jumlah_jamban": "1",
                      "makanan_pokok": "beras", "sumber_air": "pdam"}  # fmt: skip
            data = urllib.parse.urlencode(fields)
            t0 = time.perf_counter()
            conn.request("POST", path, body=data, headers={
                "Cookie": "; ".join(jar.values()), "Host": "127.0.0.1", "Referer": "http://127.0.0.1" + path,
                "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
            resp = conn.getresponse()
            resp.read()
            saved = resp.status == 302 and "/rumah-tangga/" in (resp.getheader("Location") or "")
            result["post"].append((resp.status, time.perf_counter() - t0))
            result["saved"] += saved
        except Exception as exc:  # noqa: BLE001 - counted and reported
            result["errors"].append(repr(exc))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.close()


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(len(xs) * p / 100))] * 1000) if xs else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument(
        "--out",
        default=str(BASE / "bench" / "results" / "kader-load.json"),
        help="where the JSON of the run goes (BENCHMARKS.md is written from it); '' for none",
    )
    opts = parser.parse_args(argv)
    loadavg_at_start = [round(x, 2) for x in os.getloadavg()]
    db_url, broker = os.environ.get("DATABASE_URL", ""), os.environ.get("CELERY_BROKER_URL", "")
    if not db_url.startswith("postgres") or not broker:
        print("needs DATABASE_URL (a scratch PostgreSQL database: it is recreated) and CELERY_BROKER_URL")
        return 2
    from bench.load import gunicorn  # gunicorn on loopback, as the other benches

    queue = f"load-{uuid.uuid4().hex[:8]}"
    # The same settings here and in gunicorn: the sessions made below are signed with this SECRET_KEY.
    os.environ.update({"DEBUG": "0", "SECRET_KEY": SECRET, "ALLOWED_HOSTS": "127.0.0.1,localhost",
                       "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
                       "STATIC_ROOT": str(BASE / "staticfiles"), "LOG_LEVEL": "WARNING",
                       "CELERY_TASK_DEFAULT_QUEUE": queue, "WEB_CONCURRENCY": str(opts.web_workers)})  # fmt: skip
    env = dict(os.environ)
    t_setup = time.perf_counter()
    sessions = _setup(db_url, opts.clients)
    setup_s = time.perf_counter() - t_setup
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=BASE, env=env,
                   check=True)  # fmt: skip
    worker_log = Path(f"/tmp/{queue}-worker.log")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pkk", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE, env=env, stdout=worker_log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    from dasawisma.models import DasawismaChange, RumahTangga

    results = {i: {"get": [], "post": [], "saved": 0, "errors": []} for i in sessions}
    try:
        with gunicorn(BASE, env, workers=opts.web_workers, log=Path(f"/tmp/{queue}-web.log")) as port:
            until = time.monotonic() + opts.seconds
            threads = [threading.Thread(target=_client, args=(port, c, u, until, results[i]), daemon=True)
                       for i, (c, u, _) in sessions.items()]  # fmt: skip
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=opts.seconds + 300)
            wall = time.perf_counter() - t0
        # Refresh caught up: the outbox empties; then the stored rekap equals a clean rebuild.
        t1 = time.perf_counter()
        while DasawismaChange.objects.exists() and time.perf_counter() - t1 < 600:
            time.sleep(1)
        caught_up_s = time.perf_counter() - t1
        outbox_left = DasawismaChange.objects.count()
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    from reporting import rollup
    from reporting.models import RekapBulanan, RekapTahunan

    def stored() -> list:
        rows = []
        for model in (RekapTahunan, RekapBulanan):
            rows += sorted(json.dumps({k: v for k, v in r.items() if k not in ("id", "computed_at")}, default=str)
                           for r in model.objects.values())  # fmt: skip
        return rows

    after_load = stored()
    year = RekapTahunan.objects.order_by("-tahun").values_list("tahun", flat=True).first()
    rollup.rebuild(None, tahun=year)
    equal = after_load == stored()
    gets = [x for r in results.values() for x in r["get"]]
    posts = [x for r in results.values() for x in r["post"]]
    statuses: dict[str, int] = {}
    for code, _ in gets + posts:
        statuses[str(code)] = statuses.get(str(code), 0) + 1
    told: dict[int, int] = {}
    for i, (_, u, _) in sessions.items():
        told[u] = told.get(u, 0) + results[i]["saved"]
    rows = {u: RumahTangga.objects.filter(dasawisma_id=u, alamat__startswith="Jl. Beban ").count() for u in told}
    lost = {u: {"told_saved": told[u], "rows": rows[u]} for u in told if told[u] != rows[u]}
    saves = sum(told.values())
    out = {
        "clients": opts.clients, "seconds": opts.seconds, "web_workers": opts.web_workers,
        "setup_s": round(setup_s), "wall_s": round(wall, 1), "requests": len(gets) + len(posts), "saves": saves,
        "saves_per_s": round(saves / wall, 1), "statuses": statuses,
        "errors": sum(len(r["errors"]) for r in results.values()),
        "error_samples": [e for r in results.values() for e in r["errors"]][:3],
        "get_p50_ms": _pct([t for _, t in gets], 50), "get_p95_ms": _pct([t for _, t in gets], 95),
        "post_p50_ms": _pct([t for _, t in posts], 50), "post_p95_ms": _pct([t for _, t in posts], 95),
        "rows_differing_from_saves": lost, "outbox_left": outbox_left, "caught_up_s": round(caught_up_s, 1),
        "rekap_equals_clean_rebuild": equal,
    }  # fmt: skip
    out["run_at"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    out["loadavg_at_start"] = loadavg_at_start
    print(json.dumps(out, indent=1))
    if opts.out:
        Path(opts.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0 if not lost and not out["errors"] and equal and not outbox_left else 1


if __name__ == "__main__":
    raise SystemExit(main())
