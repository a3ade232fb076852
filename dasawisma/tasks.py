"""Celery adapters over ``dasawisma.workbook.jobs``: ids only, JSON, acks_late, idempotent."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from .workbook import jobs

# A 100,000-row workbook checks and imports in about two minutes here; a kecamatan export in under one.
TIME_LIMIT = 20 * 60


@shared_task(
    name="dasawisma.run_workbook_job",
    acks_late=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=TIME_LIMIT - 60,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_workbook_job(job_id: int) -> None:
    jobs.workbook_job_run(job_id=int(job_id))


@shared_task(name="dasawisma.cleanup_workbook_jobs", acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def cleanup_workbook_jobs() -> int:
    return jobs.workbook_jobs_cleanup()
