"""Ask another app's Celery task for work by its name, so lower apps never import higher ones
(pkk and dasawisma never import reporting)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def send_task_by_name(name: str, args: list) -> None:
    """Send task ``name``; in eager mode (tests, embedded default without a broker) run it in-process.

    ``send_task`` would try to reach a broker in eager mode, so the registered task is applied instead;
    when it is not registered, nothing runs and the caller's safety net (an outbox sweep, the nightly
    rebuild) picks the work up.
    """
    from pkk.celery import app as celery_app

    if celery_app.conf.task_always_eager:
        task = celery_app.tasks.get(name)
        if task is not None:
            task.apply(args=args)
        else:
            logger.info("%s is not registered; left to the periodic safety net (%s)", name, args)
        return
    celery_app.send_task(name, args=args)
