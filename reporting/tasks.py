"""Celery adapters over ``reporting.services``: take ids, JSON only, idempotent, acks_late, retried.

Debounce (``reporting.refresh_dasawisma``): every save sends the task at once (``dasawisma.outbox``). The
first task of a burst sets a short-lived "pending" key (Redis SET NX on the broker when it is Redis, else
the Django cache) and re-sends itself with ``countdown = PKK_REFRESH_DEBOUNCE_SECONDS``; the other tasks of
the burst see the key and return. The delayed run deletes the key *before* it reads the outbox and then
consumes every outbox row of the dasawisma, so a save committed after that read sends a fresh task, and
a task that finds an empty outbox returns at once. Whatever slips through (a lost task, a failed retry)
is picked up by ``reporting.sweep_outbox``.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

from . import services

logger = logging.getLogger(__name__)

PENDING_KEY = "pkk:rekap:pending:{}"

# Tasks that write the rekap: acknowledged after they ran (a worker lost mid-task hands it on) and retried
# when the database fails.
DB_TASK_OPTIONS: dict[str, Any] = {"acks_late": True, "autoretry_for": (DatabaseError,)}
# Rebuilding one unit's subtree (for one period or after a structure change).
UNIT_REBUILD_OPTIONS: dict[str, Any] = {
    **DB_TASK_OPTIONS,
    "retry_backoff": 30,
    "max_retries": 5,
    "soft_time_limit": 1800,
    "time_limit": 1900,
}


def _redis():
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis

        return redis.Redis.from_url(url)
    return None


def _claim_pending(dasawisma_id: int, seconds: int) -> bool:
    """True when no delayed refresh is pending for the dasawisma (and mark one as pending)."""
    key, timeout = PENDING_KEY.format(dasawisma_id), max(1, seconds * 3)
    client = _redis()
    if client is not None:
        return bool(client.set(key, 1, nx=True, ex=timeout))
    return cache.add(key, 1, timeout=timeout)


def _release_pending(dasawisma_id: int) -> None:
    key = PENDING_KEY.format(dasawisma_id)
    client = _redis()
    if client is not None:
        client.delete(key)
    else:
        cache.delete(key)


@shared_task(
    name="reporting.refresh_dasawisma",
    bind=True,
    **DB_TASK_OPTIONS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=300,
    time_limit=360,
)
def refresh_dasawisma(self, dasawisma_id: int, debounced: bool = False) -> dict[str, Any]:
    delay = int(settings.PKK_REFRESH_DEBOUNCE_SECONDS)
    if delay > 0 and not debounced and not self.request.is_eager:
        if _claim_pending(dasawisma_id, delay):
            queue = (self.request.delivery_info or {}).get("routing_key") or None  # stay on the same queue
            self.apply_async(args=[dasawisma_id], kwargs={"debounced": True}, countdown=delay, queue=queue)
            return {"dasawisma_id": dasawisma_id, "scheduled_in": delay}
        return {"dasawisma_id": dasawisma_id, "skipped": "pending"}
    if debounced:
        _release_pending(dasawisma_id)
    return services.refresh_dasawisma(int(dasawisma_id))


@shared_task(name="reporting.sweep_outbox", acks_late=True, soft_time_limit=240, time_limit=300)
def sweep_outbox(older_than_seconds: int = 60) -> dict[str, Any]:
    """Refresh every dasawisma whose outbox row is older than a minute (its task was lost)."""
    ids = services.stale_outbox_dasawisma(older_than_seconds=older_than_seconds)
    for dasawisma_id in ids:
        refresh_dasawisma.apply_async(args=[dasawisma_id], kwargs={"debounced": True})
    if ids:
        logger.warning("sweep_outbox: %d dasawisma with stale outbox rows", len(ids))
    return {"dasawisma": ids}


@shared_task(
    name="reporting.rebuild_current",
    **DB_TASK_OPTIONS,
    retry_backoff=60,
    max_retries=3,
    soft_time_limit=3 * 3600,
    time_limit=3 * 3600 + 300,
)
def rebuild_current() -> dict[str, Any]:
    """Nightly: rebuild the current year and month for every unit."""
    return services.rebuild_current()


@shared_task(name="reporting.rebuild_unit_period", **UNIT_REBUILD_OPTIONS)
def rebuild_unit_period(unit_id: int, jenis: str, periode: str) -> dict[str, Any]:
    """Recompute one unit's subtree and ancestors for one period (e.g. right after an unlock)."""
    import datetime as dt

    from pkk.models import Unit

    unit = Unit.objects.get(pk=unit_id)
    return services.rebuild_unit_period(unit=unit, jenis=jenis, periode=dt.date.fromisoformat(periode))


@shared_task(name="reporting.rebuild_structure", **UNIT_REBUILD_OPTIONS)
def rebuild_structure(unit_id: int) -> dict[str, Any]:
    """Rebuild the stored rekap under a unit after its structure changed (pkk sends this by name)."""
    return services.rebuild_structure(unit_id=unit_id)
