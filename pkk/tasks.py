"""The sweep of long jobs (issue 12): a job whose worker died must not stay "running".

Every job model listed in ``JOB_MODELS`` has ``status`` (antri/proses/selesai/gagal), ``created_at``,
``started_at``, ``heartbeat_at``, ``finished_at`` and ``error``, and a task that runs it by id (claimed
atomically, so sending it twice is harmless). pkk names them by string and never imports the apps.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import current_app, shared_task
from django.apps import apps
from django.utils import timezone

from .heartbeat import stale_before, stale_jobs_fail

log = logging.getLogger(__name__)

# (app_label.Model, task that runs one job by id)
JOB_MODELS = (
    ("dasawisma.WorkbookJob", "dasawisma.run_workbook_job"),
    ("reporting.ExportJob", "reporting.run_export_job"),
)


def jobs_sweep(*, now=None) -> dict[str, Any]:
    """Fail running jobs without a recent heartbeat; send queued jobs whose message may be lost again."""
    now = now or timezone.now()
    out: dict[str, Any] = {}
    for label, task in JOB_MODELS:
        model = apps.get_model(label)
        if not any(f.name == "heartbeat_at" for f in model._meta.get_fields()):
            continue
        failed = stale_jobs_fail(model, running_status="proses", failed_status="gagal", now=now)
        queued = list(
            model.objects.filter(status="antri", created_at__lt=stale_before(now)).values_list("pk", flat=True)
        )
        for job_id in queued if not current_app.conf.task_always_eager else []:  # eager: no broker, no worker
            try:
                current_app.send_task(task, args=[job_id])
            except Exception:  # broker down: try again at the next sweep
                log.exception("sweep: could not resend %s %s", label, job_id)
        out[label] = {"failed": failed, "resent": queued}
    return out


@shared_task(name="pkk.sweep_stale_jobs", acks_late=True, soft_time_limit=50, time_limit=60)
def sweep_stale_jobs() -> dict[str, Any]:
    return jobs_sweep()


@shared_task(name="pkk.prune_form_tokens", acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def prune_form_tokens() -> int:
    """Nightly: the form tokens of old saves go (``pkk.idempotency.form_tokens_prune``)."""
    from .idempotency import form_tokens_prune

    return form_tokens_prune()
