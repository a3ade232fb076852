"""The roll-up after an edit, through a real Celery worker and the Redis broker (CI sets CELERY_BROKER_URL).

The worker is a subprocess (``celery -A pkk worker --pool=solo``) on its own queue, with DATABASE_URL
pointing at the pytest test database, so the test data is committed (``transaction=True``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from dasawisma.models import DasawismaChange
from pkk.models import Unit
from reporting import rollup, services
from reporting.models import RekapBulanan, RekapTahunan
from reporting.periods import months_of_year

from .data import D, hamil, outbox, rumah_tangga, warga
from .test_sums import assert_parent_is_sum_of_children

BASE_DIR = Path(settings.BASE_DIR)


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{auth}@{host}:{port}/{s['NAME']}"


def _needs_worker_setup() -> None:
    if not os.environ.get("CELERY_BROKER_URL"):
        pytest.skip("CELERY_BROKER_URL is not set: this test needs the Redis broker and a real worker (CI sets it)")
    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL DATABASE_URL: the worker process must see the committed test data")


@contextmanager
def running_worker():
    """A real Celery worker (solo pool) on its own queue against the test database: yields (queue, log file)."""
    from pkk.celery import app as celery_app

    queue = f"rollup-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "PKK_REFRESH_DEBOUNCE_SECONDS": "2"}
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pkk", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield queue, log
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
        log.close()
        os.unlink(log.name)
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_delete(queue)


def _monthly() -> dict:
    rows = RekapBulanan.objects.values("unit_id", "bulan", "ibu_hamil", "bayi_lahir_l")
    return {(r["unit_id"], r["bulan"]): r for r in rows}


def _worker_log(log) -> str:
    log.seek(0)
    return log.read()[-4000:]


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_rollup_after_edit_through_a_real_worker(units):
    _needs_worker_setup()
    from pkk.celery import app as celery_app

    mawar, kab = units["mawar"], units["kab"]
    today = timezone.localdate()
    rt = rumah_tangga(mawar, "01")
    warga(rt, "3306000000000001", "Ibu", "P", D(1990, 1, 1), status="istri", kawin="kawin")
    rollup.rebuild(None, tahun=today.year)
    bulan = today.replace(day=1)
    before = RekapBulanan.objects.get(unit=kab, bulan=bulan).bayi_lahir_p

    with running_worker() as (queue, log):
        # The edit: a baby born today, and its outbox row (as the entry services write them).
        warga(rt, "3306000000000001", "Bayi", "P", today, akta_kelahiran=True)
        outbox(mawar, today)
        # A burst: three sends, debounced into one delayed refresh that consumes the outbox.
        for _ in range(3):
            celery_app.send_task("reporting.refresh_dasawisma", args=[mawar.pk], queue=queue)
        deadline = time.monotonic() + 60
        done = False
        while time.monotonic() < deadline:
            row = RekapBulanan.objects.get(unit=kab, bulan=bulan)
            if row.bayi_lahir_p == before + 1 and not DasawismaChange.objects.exists():
                done = True
                break
            time.sleep(0.5)
        assert done, f"the worker did not refresh the rekap within 60 s; worker log:\n{_worker_log(log)}"
        assert RekapTahunan.objects.get(unit=kab, tahun=today.year).total_p == 2
        assert RekapBulanan.objects.get(unit=mawar, bulan=bulan).akte_ada == 1
        assert_parent_is_sum_of_children(today.year, [bulan])


@pytest.mark.celery_worker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_structure_rebuild_through_a_real_worker(units):
    """``reporting.rebuild_structure`` in the worker rebuilds a year and its twelve months of a subtree
    (one connection, one transaction) from inside the worker process."""
    _needs_worker_setup()
    from pkk.celery import app as celery_app

    today = timezone.localdate()
    for n, key in enumerate(("mawar", "melati", "kenanga")):
        rt = rumah_tangga(units[key], f"0{n}")
        ibu = warga(rt, f"330600000000010{n}", "Ibu", "P", D(1992, 5, 1), status="istri", kawin="kawin")
        warga(rt, f"330600000000010{n}", "Bayi", "L", D(today.year, 1 + n, 10))
        hamil(ibu, D(today.year, 2, 1))
    rollup.rebuild(None, tahun=today.year)
    good = _monthly()
    bener = units["bener"]
    subtree = list(Unit.objects.filter(path__gte=bener.path, path__lt=bener.path + "A").values_list("pk", flat=True))
    RekapBulanan.objects.filter(unit__in=subtree).update(ibu_hamil=99, bayi_lahir_l=99)

    with running_worker() as (queue, log):
        celery_app.send_task("reporting.rebuild_structure", kwargs={"unit_id": bener.pk}, queue=queue)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and RekapBulanan.objects.filter(ibu_hamil=99).exists():
            time.sleep(0.5)
        assert not RekapBulanan.objects.filter(ibu_hamil=99).exists(), f"not rebuilt in 90 s:\n{_worker_log(log)}"
        assert "rebuild_structure" in _worker_log(log) and "succeeded" in _worker_log(log)
    now = _monthly()
    assert now == good
    assert sum(now[(units["kab"].pk, m)]["bayi_lahir_l"] for m in months_of_year(today.year)) == 3
    assert_parent_is_sum_of_children(today.year, months_of_year(today.year))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_of_sibling_dasawisma_stay_consistent(units):
    """Mawar and Melati share every ancestor; refreshes running at once must not lose either edit."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers anyway")
    today = D(2025, 3, 20)
    rollup.rebuild(None, tahun=2025)
    households = {key: rumah_tangga(units[key], "01") for key in ("mawar", "melati")}
    rounds = 6
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(key: str) -> None:
        try:
            for i in range(rounds):
                warga(households[key], f"33060000000001{i:02d}", f"{key}{i}", "L", D(1990, 1, 1))
                outbox(units[key], D(2025, 1, 1))
                barrier.wait(timeout=30)
                services.refresh_dasawisma(units[key].pk, today=today)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(key,)) for key in ("mawar", "melati")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert RekapTahunan.objects.get(unit=units["rt1"], tahun=2025).total_l == 2 * rounds
    assert RekapTahunan.objects.get(unit=units["kab"], tahun=2025).total_l == 2 * rounds
    assert_parent_is_sum_of_children(2025, [D(2025, 3, 1)])
