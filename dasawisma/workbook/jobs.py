"""The standard workbook as background jobs (issue 12: 35-60 s and ~320 MB inside a web request).

``workbook_import_job_create`` stores the upload in private storage and queues ``dasawisma.run_workbook_job``;
``workbook_export_job_create`` queues the export of a unit's subtree. The task claims the job with one
atomic UPDATE (two workers never run the same job), beats a heartbeat while it runs (``pkk.heartbeat``),
runs the same import/export as the command line, and stores the outcome on the row: the counts and every
issue (sheet, row, column, reason) of an import, the file of an export. Without a broker (``make run``)
the task runs eagerly right after the request's commit, so the page shows the outcome at once.

Decisions (the spec is silent):

- A refused import is a finished job (``selesai``) whose result lists the errors; ``gagal`` is kept for a
  job that could not run (a crash, a dead worker).
- The uploaded file is deleted when the import finished (it holds NIKs and is no longer needed).
- A job is seen only by the account that started it (and operators); the unit must still be in its scope.
- Building an export is not a disclosure; each download is, and writes a ``PersonalDataExportLog`` row.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from typing import Any

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from pkk.heartbeat import beating, stale_before
from pkk.models import PersonalDataExportLog, Unit

from ..models import WorkbookJob
from .exporter import workbook_export
from .importer import workbook_import

log = logging.getLogger(__name__)
Status = WorkbookJob.Status


def _enqueue(job_id: int) -> None:
    """Send the task after commit; a broker that is down must not fail the request (the sweep re-sends)."""
    from ..tasks import run_workbook_job

    def send() -> None:
        try:
            run_workbook_job.delay(job_id)
        except Exception:
            if current_app.conf.task_always_eager:
                raise
            log.exception("workbook job %s: could not reach the broker; the sweep will send it again", job_id)

    transaction.on_commit(send)


@transaction.atomic
def workbook_import_job_create(*, upload: Any, actor: Any) -> WorkbookJob:
    """Store ``upload`` (an UploadedFile, checked by the form) privately and queue its import."""
    job = WorkbookJob(
        requester=actor, kind=WorkbookJob.Kind.IMPOR, filename=upload.name[:255], stage="Menunggu giliran…"
    )
    job.upload.save(f"impor-{timezone.now():%Y%m%d%H%M%S}.xlsx", upload, save=False)
    job.full_clean()
    job.save()
    _enqueue(job.pk)
    return job


@transaction.atomic
def workbook_export_job_create(*, unit: Unit, actor: Any) -> WorkbookJob:
    """Queue the workbook of ``unit``'s subtree (the caller checked scope and role)."""
    job = WorkbookJob(requester=actor, unit=unit, kind=WorkbookJob.Kind.EKSPOR, stage="Menunggu giliran…")
    job.full_clean()
    job.save()
    _enqueue(job.pk)
    return job


def workbook_job_claim(job_id: int) -> bool:
    """Atomically take a queued job (or a running one whose worker stopped beating); False otherwise."""
    now = timezone.now()
    cutoff = stale_before(now)
    stale = Q(status=Status.PROSES) & (Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True))
    claimed = (
        WorkbookJob.objects.filter(pk=job_id)
        .filter(Q(status=Status.ANTRI) | stale)
        .update(status=Status.PROSES, started_at=now, heartbeat_at=now, error="")
    )
    return claimed == 1


def _stage(job_id: int, text: str) -> None:
    WorkbookJob.objects.filter(pk=job_id).update(stage=text[:100], heartbeat_at=timezone.now())


def workbook_job_run(*, job_id: int) -> None:
    """Run a job to its end. Idempotent: a job that is not claimable (taken, finished) is left alone."""
    if not workbook_job_claim(job_id):
        log.info("workbook job %s not claimable (taken or finished)", job_id)
        return
    job = WorkbookJob.objects.select_related("requester", "unit").get(pk=job_id)
    try:
        with beating(WorkbookJob, job_id):
            if job.kind == WorkbookJob.Kind.IMPOR:
                _run_import(job)
            else:
                _run_export(job)
    except OperationalError:
        # Transient (connection lost): back to the queue; the task retries. The import wrote nothing.
        WorkbookJob.objects.filter(pk=job_id, status=Status.PROSES).update(status=Status.ANTRI)
        raise
    except SoftTimeLimitExceeded:
        _fail(job_id, "Waktu habis. Bagi berkas per desa atau per dusun, lalu coba lagi.")
        raise
    except Exception as exc:
        log.exception("workbook job %s failed", job_id)
        _fail(job_id, f"Gagal: {exc}")
        raise


def _fail(job_id: int, message: str) -> None:
    WorkbookJob.objects.filter(pk=job_id).update(status=Status.GAGAL, error=message[:2000], finished_at=timezone.now())


def _run_import(job: WorkbookJob) -> None:
    with job.upload.open("rb") as fh:
        result = workbook_import(
            source=fh, actor=job.requester, filename=job.filename, progress=lambda text: _stage(job.pk, text)
        )
    outcome = {
        "ok": result.ok,
        "rumah_tangga": result.rumah_tangga,
        "keluarga": result.keluarga,
        "warga": result.warga,
        "kehamilan": result.kehamilan,
        "new_units": result.new_units,
        "nik_warnings": result.nik_warnings,
        "issues": [[i.sheet, i.row, i.column, i.reason] for i in result.issues],
        "more_issues": result.more_issues,
        "unchecked_rows": result.unchecked_rows,
        "overflow": result.overflow,
    }
    updated = WorkbookJob.objects.filter(pk=job.pk, status=Status.PROSES).update(
        status=Status.SELESAI, result=outcome, stage="", finished_at=timezone.now()
    )
    if updated:
        job.upload.delete(save=False)
        WorkbookJob.objects.filter(pk=job.pk).update(upload="")


def _run_export(job: WorkbookJob) -> None:
    unit = job.unit
    _stage(job.pk, "Menulis workbook…")
    with tempfile.TemporaryFile() as out:
        result = workbook_export(unit=unit, out=out, actor=job.requester, channel="job", log=False)
        out.seek(0)
        name = f"dasawisma-{slugify(unit.code or unit.label)}-{timezone.localdate():%Y%m%d}-{job.pk}.xlsx"
        with transaction.atomic():
            locked = WorkbookJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != Status.PROSES:  # failed by the sweep meanwhile: leave it failed
                return
            locked.file.save(name, File(out), save=False)
            now = timezone.now()
            locked.status = Status.SELESAI
            locked.stage = ""
            locked.result = {"ok": True, "rumah_tangga": result.rumah_tangga, "warga": result.warga,
                             "kehamilan": result.kehamilan, "rows": result.rows}  # fmt: skip
            locked.finished_at = now
            locked.expires_at = now + dt.timedelta(hours=settings.PKK_EXPORT_TTL_HOURS)
            locked.save(update_fields=["file", "status", "stage", "result", "finished_at", "expires_at", "updated_at"])


def workbook_job_download_logged(*, job: WorkbookJob, user: Any) -> None:
    """Every download of an export is a disclosure of personal data: one log row each (UU 27/2022)."""
    PersonalDataExportLog.objects.create(
        user=user,
        username=user.username,
        unit=job.unit,
        what=f"workbook dasawisma (berkas #{job.pk})",
        row_count=int(job.result.get("rows", 0)),
        channel="web",
    )


def workbook_job_is_expired(job: WorkbookJob) -> bool:
    return bool(job.expires_at and job.expires_at <= timezone.now())


def workbook_jobs_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete expired export files and uploads left by jobs that never finished (rows stay as a record)."""
    now = now or timezone.now()
    removed = 0
    for job in WorkbookJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        WorkbookJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    old = now - dt.timedelta(hours=settings.PKK_EXPORT_TTL_HOURS)
    for job in WorkbookJob.objects.filter(status=Status.GAGAL, finished_at__lte=old).exclude(upload=""):
        job.upload.delete(save=False)
        WorkbookJob.objects.filter(pk=job.pk).update(upload="")
        removed += 1
    return removed
