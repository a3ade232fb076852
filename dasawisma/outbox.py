"""Ask reporting to refresh a dasawisma, by task name: dasawisma never imports reporting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from pkk.models import Unit
from pkk.tasks_bridge import send_task_by_name

from .models import DasawismaChange

REFRESH_TASK = "reporting.refresh_dasawisma"


def request_refresh(dasawisma_id: int) -> None:
    """Send ``reporting.refresh_dasawisma`` (in-process in eager mode); when reporting has not registered
    it, the outbox row stays and is consumed by reporting's periodic sweep."""
    send_task_by_name(REFRESH_TASK, [dasawisma_id])


def record_change(dasawisma: Unit | int, since: dt.date) -> DasawismaChange:
    """Write the outbox row (inside the caller's transaction) and request a refresh after commit."""
    dasawisma_id = dasawisma if isinstance(dasawisma, int) else dasawisma.pk
    change = DasawismaChange.objects.create(dasawisma_id=dasawisma_id, since=since)
    transaction.on_commit(lambda: request_refresh(dasawisma_id))
    return change
