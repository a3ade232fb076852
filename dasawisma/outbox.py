"""Ask reporting to refresh a dasawisma, by task name: dasawisma never imports reporting."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction

from pkk.models import Unit

from .models import DasawismaChange

REFRESH_TASK = "reporting.refresh_dasawisma"
logger = logging.getLogger(__name__)


def request_refresh(dasawisma_id: int) -> None:
    """Send ``reporting.refresh_dasawisma``.

    With ``task_always_eager`` (tests, dev without a broker) ``send_task`` would try to reach a broker,
    so the registered task is applied in-process instead; when reporting has not registered it, the
    outbox row stays and is consumed by reporting's periodic sweep.
    """
    from pkk.celery import app as celery_app

    if celery_app.conf.task_always_eager:
        task = celery_app.tasks.get(REFRESH_TASK)
        if task is not None:
            task.apply(args=[dasawisma_id])
        else:
            # No broker to send to in eager mode: the outbox row waits for reporting's sweep.
            logger.info("%s not registered; outbox kept for dasawisma %s", REFRESH_TASK, dasawisma_id)
        return
    celery_app.send_task(REFRESH_TASK, args=[dasawisma_id])


def record_change(dasawisma: Unit | int, since: dt.date) -> DasawismaChange:
    """Write the outbox row (inside the caller's transaction) and request a refresh after commit."""
    dasawisma_id = dasawisma if isinstance(dasawisma, int) else dasawisma.pk
    change = DasawismaChange.objects.create(dasawisma_id=dasawisma_id, since=since)
    transaction.on_commit(lambda: request_refresh(dasawisma_id))
    return change
