"""Ask another app's Celery task for work by its name, so lower apps never import higher ones
(pkk and dasawisma never import reporting); and publish after commit without ever failing the request."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)


def publish_guarded(send: Callable[[], object], what: str) -> None:
    """Run ``send`` (a Celery publish); a broker that is down is logged, never raised.

    Every publish happens after the data has committed, so raising would answer 500 for a save that
    succeeded, and the client (draft.js, a user pressing again) would send it a second time. The work is
    not lost: the outbox row / the job row is already stored and a periodic sweep catches up.
    """
    from pkk.celery import app as celery_app

    if celery_app.conf.task_always_eager:
        send()  # in-process: errors are real bugs, let them show (tests, embedded default)
        return
    try:
        send()
    except Exception:  # noqa: BLE001 - any broker/transport error; the sweep catches up
        logger.exception("Publishing %s failed (broker unreachable?); left to the periodic sweep", what)


def publish_on_commit(send: Callable[[], object], what: str) -> None:
    """``transaction.on_commit`` around ``publish_guarded``."""
    transaction.on_commit(lambda: publish_guarded(send, what))


def send_task_by_name(name: str, args: list) -> None:
    """Send task ``name``; in eager mode (tests, embedded default without a broker) run it in-process.

    ``send_task`` would try to reach a broker in eager mode, so the registered task is applied instead;
    when it is not registered, nothing runs and the caller's safety net (an outbox sweep, the nightly
    rebuild) picks the work up. A broker that is down is logged, never raised (``publish_guarded``).
    """
    from pkk.celery import app as celery_app

    if celery_app.conf.task_always_eager:
        task = celery_app.tasks.get(name)
        if task is not None:
            task.apply(args=args)
        else:
            logger.info("%s is not registered; left to the periodic safety net (%s)", name, args)
        return
    publish_guarded(lambda: celery_app.send_task(name, args=args), f"{name}{args}")
