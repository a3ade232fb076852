"""Excel exports: the single sheet (synchronous, small) and the subtree workbook (a persisted ``ExportJob``
run by Celery).

Decisions where the spec is silent:

- A subtree job holds one sheet per unit, in tree order, from the job's unit down to each desa
  (``sampai=desa``) or down to each dasawisma (``sampai=dasawisma``, which adds the 4.16a/4.18a lists
  with names: logged in ``PersonalDataExportLog`` with channel ``job``).
- Claiming is one atomic ``UPDATE ... WHERE status='antri'`` (or a ``proses`` job whose worker died: no
  heartbeat for ``PKK_JOB_STALE_SECONDS``), so two workers never build the same file.
- While it runs the job beats a heartbeat (``pkk.heartbeat``: a thread, plus every progress update);
  ``pkk.sweep_stale_jobs`` marks a job whose worker went silent ``gagal`` with a message, and the page
  offers to start it again. A late redelivery of the task then finds it failed and does nothing.
- A transient database error puts the job back to ``antri`` and Celery retries it; any other error marks
  it ``gagal`` with the message shown on the page.
- Files expire ``PKK_EXPORT_TTL_HOURS`` after they are written; ``cleanup_exports`` deletes the file and
  keeps the job row (the page then says the file has expired).
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from pkk.heartbeat import beating, stale_q
from pkk.models import LEVEL_ORDER, Level, PersonalDataExportLog, Unit
from pkk.tasks_bridge import publish_on_commit

from .books import BUKU_II, BUKU_III, SEGMENT, JenisLaporan
from .excel import INDEX_TITLE, sheet_title, streaming_workbook, write_index_streamed, write_sheet_streamed
from .layouts import Layout, layout_for
from .models import ExportJob
from .periods import parse_bulan
from .selectors import Report, SubtreeData, periode_label, unit_path_label

log = logging.getLogger(__name__)

KIND_SUBTREE = "rekap_subtree"
SAMPAI_CHOICES = (Level.DESA.value, Level.DASAWISMA.value)
TIME_LIMIT = 60 * 60  # a whole kabupaten down to each dasawisma is thousands of sheets
SOFT_TIME_LIMIT = TIME_LIMIT - 120


# ----------------------------------------------------------------------------------- personal data


def log_personal_export(*, report: Report, user, channel: str, username: str = "") -> None:
    """4.16a / 4.18a carry names: every export of them is logged (UU 27/2022)."""
    if not report.layout.personal_data:
        return
    PersonalDataExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=username or getattr(user, "username", "") or "-",
        unit=report.unit,
        what=f"Lampiran {report.layout.lampiran} {report.periode_slug}",
        row_count=len(report.rows),
        channel=channel,
    )


def job_has_personal_data(job: ExportJob) -> bool:
    """A job down to each dasawisma holds 4.16a/4.18a, whose rows are names."""
    return bool(job.params.get("personal_rows")) or job.params.get("sampai") == Level.DASAWISMA


def log_job_download(*, job: ExportJob, user) -> None:
    """One log row per download of a job file with personal data: every download is a disclosure, not
    only the build (five users downloading one file used to leave a single row)."""
    if not job_has_personal_data(job):
        return
    periode = job.params.get("tahun") or job.params.get("bulan")
    PersonalDataExportLog.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "-",
        unit=job.unit,
        what=f"Unduh ekspor #{job.pk} sampai dasawisma {periode}",
        row_count=int(job.params.get("personal_rows") or 0),
        channel="unduh",
    )


# ------------------------------------------------------------------------------------ job service


def periode_from_params(params: dict[str, Any]) -> tuple[JenisLaporan, int | dt.date]:
    """The book and period of a stored job (its ``buku`` is the book's URL segment, ``books.SEGMENT``)."""
    if params["buku"] == SEGMENT[BUKU_II]:
        return BUKU_II, int(params["tahun"])
    return BUKU_III, parse_bulan(params["bulan"])


@transaction.atomic
def export_job_create(*, unit: Unit, buku: JenisLaporan, periode: int | dt.date, sampai: str, actor) -> ExportJob:
    """Queue a subtree export of ``unit`` (the caller checked the unit is in ``actor``'s scope)."""
    if buku not in (BUKU_II, BUKU_III):
        raise ValidationError({"buku": "Jenis buku tidak dikenal."})
    if sampai not in SAMPAI_CHOICES:
        raise ValidationError({"sampai": "Pilih sampai tingkat desa/kelurahan atau dasawisma."})
    if layout_for(buku, unit.level) is None:
        raise ValidationError({"unit": f"Tidak ada lampiran untuk tingkat {unit.get_level_display()}."})
    params: dict[str, Any] = {"buku": SEGMENT[buku], "sampai": sampai}
    if buku == BUKU_II:
        params["tahun"] = int(periode)  # type: ignore[arg-type]
    else:
        params["bulan"] = f"{periode:%Y-%m}"
    job = ExportJob(requester=actor, unit=unit, kind=KIND_SUBTREE, params=params)
    job.full_clean()
    job.save()
    # A broker that is down leaves the job queued (logged); the request still succeeds.
    publish_on_commit(lambda: run_export_job.delay(job.pk), f"run_export_job({job.pk})")
    return job


def export_job_claim(job_id: int) -> bool:
    """Atomically take the job; False when another worker has it (or it is finished)."""
    now = timezone.now()
    claimed = (
        ExportJob.objects.filter(pk=job_id)
        .filter(Q(status=ExportJob.Status.ANTRI) | stale_q(ExportJob.Status.PROSES, now))
        .update(status=ExportJob.Status.PROSES, started_at=now, heartbeat_at=now, progress=0, error="")
    )
    return claimed == 1


def sheets_of(data: SubtreeData) -> list[tuple[Layout, Unit]]:
    out = []
    for unit in data.units:
        layout = layout_for(data.buku, unit.level)
        if layout is not None:
            out.append((layout, unit))
    return out


def export_job_run(*, job_id: int) -> None:
    """Build the workbook of a claimed job, updating progress as sheets are written. Idempotent."""
    if not export_job_claim(job_id):
        log.info("export job %s not claimable (taken or finished)", job_id)
        return
    job = ExportJob.objects.select_related("unit", "requester").get(pk=job_id)
    try:
        with beating(ExportJob, job_id):
            _build(job)
    except OperationalError:
        # Transient (connection lost, deadlock): back to the queue, the task retries.
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PROSES).update(status=ExportJob.Status.ANTRI)
        raise
    except SoftTimeLimitExceeded:
        _fail(job_id, "Waktu pembuatan berkas habis. Coba lagi dengan wilayah yang lebih kecil.")
        raise
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        _fail(job_id, f"Gagal membuat berkas: {exc}")
        raise


@dataclass
class SubtreeWritten:
    sheets: int = 0
    personal_rows: int = 0
    personal_sheets: int = 0


def subtree_workbook_write(
    data: SubtreeData, out: Any, *, on_sheet: Callable[[int, int], None] | None = None
) -> SubtreeWritten:
    """Stream one sheet per unit of ``data`` into ``out`` (a path or a binary file), in tree order.

    A write-only workbook (``excel.write_sheet_streamed``): memory holds one sheet at a time, not the
    thousands of a whole kabupaten down to every dasawisma. ``on_sheet(i, total)`` after each sheet.
    """
    sheets = sheets_of(data)
    wb = streaming_workbook()
    # The index comes first: every sheet with its unit path and a link (titles are known before the sheets).
    used: set[str] = {INDEX_TITLE.lower()}
    titles, entries = [], []
    for layout, unit in sheets:
        chain = data.chain(unit)
        titles.append(sheet_title(layout.lampiran, unit_path_label(unit, chain), used))
        entries.append((titles[-1], layout.lampiran, " / ".join(u.label for u in chain)))
    label, value = periode_label(data.buku, data.periode)
    write_index_streamed(wb, entries, heading=f"Wilayah: {data.root.label}", periode=f"{label.title()}: {value}")
    written = SubtreeWritten(sheets=len(sheets))
    for i, ((layout, unit), title) in enumerate(zip(sheets, titles, strict=True), start=1):
        report = data.report(layout, unit)
        if layout.personal_data:
            written.personal_rows += len(report.rows)
            written.personal_sheets += 1
        write_sheet_streamed(wb, title, report)
        if on_sheet:
            on_sheet(i, len(sheets))
    wb.save(out)
    return written


def _build(job: ExportJob) -> None:
    job_id = job.pk
    buku, periode = periode_from_params(job.params)
    data = SubtreeData(job.unit, buku, periode, down_to=job.params.get("sampai", Level.DESA))
    ExportJob.objects.filter(pk=job_id).update(total=len(sheets_of(data)))

    def on_sheet(i: int, total: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=i, heartbeat_at=timezone.now())

    slug = job.params.get("tahun") or job.params.get("bulan")
    code = (job.unit.code or str(job.unit.pk)).replace(".", "")  # one dot only: storage suffixes go before it
    name = f"rekap-{code}-{slug}-{job.pk}.xlsx"
    with tempfile.TemporaryFile() as out:
        written = subtree_workbook_write(data, out, on_sheet=on_sheet)
        out.seek(0)
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().select_related("unit", "requester").get(pk=job_id)
            if job.status != ExportJob.Status.PROSES:  # failed by the sweep meanwhile: it stays failed
                log.warning("export job %s finished after it was marked %s; file dropped", job_id, job.status)
                return
            job.file.save(name, File(out), save=False)
            now = timezone.now()
            job.status = ExportJob.Status.SELESAI
            job.finished_at = now
            job.expires_at = now + dt.timedelta(hours=settings.PKK_EXPORT_TTL_HOURS)
            # Every download of a file with names is logged (log_job_download): it needs the row count.
            job.params = {**job.params, "personal_rows": written.personal_rows}
            job.save(update_fields=["file", "status", "finished_at", "expires_at", "updated_at", "params"])
            if written.personal_sheets:
                PersonalDataExportLog.objects.create(
                    user=job.requester,
                    username=job.requester.username,
                    unit=job.unit,
                    what=f"Ekspor #{job.pk} sampai dasawisma {slug}",
                    row_count=written.personal_rows,
                    channel="job",
                )


def _fail(job_id: int, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.GAGAL, error=message[:2000], finished_at=timezone.now()
    )


def export_job_is_expired(job: ExportJob) -> bool:
    return bool(job.expires_at and job.expires_at <= timezone.now())


def exports_cleanup(*, now: dt.datetime | None = None) -> int:
    """Delete the files of expired jobs (the rows stay as a record). Returns how many were removed."""
    now = now or timezone.now()
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        try:
            job.file.delete(save=False)
        except OSError:
            log.warning("could not delete export file of job %s", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    return removed


# ------------------------------------------------------------------------------------------ tasks


@shared_task(
    name="reporting.run_export_job",
    bind=True,
    acks_late=True,
    time_limit=TIME_LIMIT,
    soft_time_limit=SOFT_TIME_LIMIT,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def run_export_job(self, job_id: int) -> None:
    export_job_run(job_id=int(job_id))


@shared_task(name="reporting.cleanup_exports", acks_late=True, soft_time_limit=9 * 60, time_limit=10 * 60)
def cleanup_exports() -> int:
    return exports_cleanup()


def subtree_levels(unit: Unit) -> list[str]:
    """``sampai`` options that make sense below ``unit``."""
    idx = LEVEL_ORDER.index(unit.level)
    return [lvl for lvl in SAMPAI_CHOICES if LEVEL_ORDER.index(lvl) >= idx]
