"""Heartbeats of long jobs, so a job whose worker died is noticed (issue 12: "running" for an hour).

A job row with ``status``, ``started_at``, ``heartbeat_at``, ``finished_at`` and ``error`` is beaten by a
daemon thread (its own database connection) every ``PKK_JOB_HEARTBEAT_SECONDS`` while the task runs, and
by every progress update. ``stale_jobs_fail`` (run by a beat task) marks a running job whose heartbeat is
older than ``PKK_JOB_STALE_SECONDS`` as failed with a message; the page then says so and offers to start
again. A late redelivery of the same task finds the job failed and does nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery import current_app
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

log = logging.getLogger(__name__)

STALE_MESSAGE = (
    "Pekerjaan ini berhenti di tengah jalan (proses pekerja terhenti, mis. server dimulai ulang) dan "
    "ditandai gagal. Tidak ada yang setengah tersimpan. Silakan mulai lagi."
)


@contextmanager
def beating(model, pk: int, *, interval: float | None = None) -> Iterator[None]:
    """Update ``heartbeat_at`` of ``model`` row ``pk`` every ``interval`` seconds until the block ends.

    Not in eager mode (no broker, ``make run`` and most tests): the job runs inside the request there and
    a second connection could not see its uncommitted rows anyway.
    """
    if current_app.conf.task_always_eager:
        yield
        return
    interval = interval or settings.PKK_JOB_HEARTBEAT_SECONDS
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
        except Exception:  # a heartbeat must never break the job; the sweep will notice the silence
            log.exception("heartbeat of %s %s stopped", model.__name__, pk)
        finally:
            connection.close()  # the thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def stale_before(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.PKK_JOB_STALE_SECONDS)


def stale_q(running_status: str, now: dt.datetime | None = None) -> Q:
    """Running jobs whose worker stopped beating (a job without any heartbeat counts from its start)."""
    cutoff = stale_before(now)
    return Q(status=running_status) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))


def stale_jobs_fail(model, *, running_status: str, failed_status: str, now: dt.datetime | None = None) -> list[int]:
    """Mark every stale running job of ``model`` failed with ``STALE_MESSAGE``; return their ids."""
    now = now or timezone.now()
    ids = list(model.objects.filter(stale_q(running_status, now)).values_list("pk", flat=True))
    if ids:
        # The same condition again in the UPDATE: a job that beat in between keeps running.
        model.objects.filter(stale_q(running_status, now), pk__in=ids).update(
            status=failed_status, error=STALE_MESSAGE, finished_at=now
        )
        log.warning("%s: %d stale job(s) marked failed: %s", model.__name__, len(ids), ids)
    return ids
