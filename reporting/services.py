"""Reporting writes: keeping the stored rekap current (``refresh_dasawisma``) and rebuilding it.

Flow: a data-entry service writes a ``DasawismaChange`` outbox row in its own transaction and, on commit,
sends the Celery task ``reporting.refresh_dasawisma`` (``dasawisma.outbox``). The task (``tasks.py``)
debounces and calls ``refresh_dasawisma`` below, which consumes *all* outbox rows of that dasawisma: a
task that comes later finds nothing and returns at once. A row is deleted only in the transaction that
recomputed its periods, so a lost task leaves it for ``sweep_outbox``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from dasawisma.models import DasawismaChange
from pkk.models import Level

from . import rollup
from .models import RekapTahunan

logger = logging.getLogger(__name__)


def refresh_dasawisma(dasawisma_id: int, *, today: dt.date | None = None) -> dict[str, Any]:
    """Bring the stored rekap of one dasawisma and of its ancestors up to date with its outbox.

    In one transaction: lock the dasawisma and its ancestors (top-down, see ``rollup.store.lock_chain``),
    read its outbox rows, recompute the dasawisma for the affected periods (``rollup.affected_periods``:
    from the earliest ``since`` to the current year and month), then each ancestor as the sum of its
    children's stored rows (one statement per ancestor and book), and delete exactly the outbox rows read.
    Locked periods are never changed. Idempotent: with an empty outbox it does nothing.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        chain = rollup.lock_and_load_chain(dasawisma_id)
        changes = list(DasawismaChange.objects.filter(dasawisma_id=dasawisma_id).values_list("id", "since"))
        if not changes:
            return {"dasawisma_id": dasawisma_id, "changes": 0}
        unit = chain[-1]
        if unit.level != Level.DASAWISMA:  # defensive: the outbox only names dasawisma
            DasawismaChange.objects.filter(id__in=[c[0] for c in changes]).delete()
            return {"dasawisma_id": dasawisma_id, "changes": 0}
        since = min(s for _, s in changes)
        years, months = rollup.affected_periods(unit, since, today)
        rollup.recompute_dasawisma(chain, years, months)
        DasawismaChange.objects.filter(id__in=[c[0] for c in changes]).delete()
    logger.info("rekap dasawisma %s: %d perubahan, tahun %s, %d bulan", dasawisma_id, len(changes), years, len(months))
    return {
        "dasawisma_id": dasawisma_id,
        "changes": len(changes),
        "years": years,
        "months": [m.isoformat() for m in months],
    }


def rebuild_unit_period(*, unit, jenis: str, periode: dt.date) -> dict[str, Any]:
    """Recompute one unit's subtree (and its ancestors) for one period: e.g. right after a period is
    unlocked, so that edits made while it was locked reach the stored rows. ``jenis``: buku2 | buku3;
    ``periode``: 1 January of the year (buku2) or the first of the month (buku3)."""
    if jenis == "buku2":
        result = rollup.rebuild_periods(unit, [periode.year], [])
    else:
        result = rollup.rebuild_periods(unit, [], [periode.replace(day=1)])
    return {"seconds": result["seconds"]}


def stale_outbox_dasawisma(*, older_than_seconds: int = 60) -> list[int]:
    """Dasawisma with an outbox row older than the given age (their task was lost or failed)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return sorted(set(DasawismaChange.objects.filter(created_at__lt=cutoff).values_list("dasawisma_id", flat=True)))


def rebuild_current(*, today: dt.date | None = None) -> dict[str, Any]:
    """The nightly safety net: Buku II of the current year and Buku III of the current month, everything.

    Up to the submission deadline day the previous month is rebuilt too: kader still complete it then.
    """
    from django.conf import settings

    today = today or timezone.localdate()
    months = [today.replace(day=1)]
    if today.day <= settings.PKK_DEADLINE_DAY:
        months.append((months[0] - dt.timedelta(days=1)).replace(day=1))
    result = rollup.rebuild_periods(None, [today.year], months)
    return {
        "years": result["years"],
        "months": [m.isoformat() for m in result["months"]],
        "seconds": round(result["seconds"], 3),
    }


def rebuild_structure(*, unit_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """After a structure change (an RT moved, a unit deactivated) under ``unit_id``: rebuild its subtree
    and ancestors for every year already stored for it and the current year (Buku II and the twelve months
    of Buku III each). Locked periods stay as they are."""
    from pkk.models import Unit

    today = today or timezone.localdate()
    unit = Unit.objects.get(pk=unit_id)
    years = set(RekapTahunan.objects.filter(unit_id=unit_id).values_list("tahun", flat=True)) | {today.year}
    seconds = 0.0
    for tahun in sorted(years):
        seconds += rollup.rebuild(unit, tahun=tahun)["seconds"]
    return {"years": sorted(years), "seconds": round(seconds, 3)}
