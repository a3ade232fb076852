"""Rekap report pages, their Excel downloads and subtree export jobs. Thin views: every unit and job is
fetched through a scope helper, so anything outside the user's subtree answers 404."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pkk.models import Level
from pkk.scope import get_unit_for_user, home_unit, is_global, scoped, unit_in_scope

from .excel import XLSX_MIME, report_xlsx
from .exports import SAMPAI_CHOICES, export_job_create, export_job_is_expired, log_personal_export, subtree_levels
from .layouts import BULANAN, TAHUNAN, layout_for
from .models import ExportJob
from .periods import parse_bulan
from .selectors import breadcrumb, report_for_unit

MIN_TAHUN = 2000


def _tahun(value: int) -> int:
    if not MIN_TAHUN <= value <= timezone.localdate().year + 1:
        raise Http404
    return value


def _bulan(value: str) -> dt.date:
    try:
        bulan = parse_bulan(value)
    except (ValueError, TypeError):
        raise Http404 from None
    _tahun(bulan.year)
    return bulan


def _report_url(buku: str, unit_id: int, periode: int | dt.date, suffix: str = "") -> str:
    """``suffix``: "" (the page), "_xlsx" (single-sheet download) or "_ekspor" (start a subtree job)."""
    if buku == TAHUNAN:
        return reverse(f"reporting:rekap_tahunan{suffix}", kwargs={"unit_id": unit_id, "tahun": periode})
    return reverse(f"reporting:rekap_bulanan{suffix}", kwargs={"unit_id": unit_id, "bulan": f"{periode:%Y-%m}"})


def _load(request: HttpRequest, unit_id: int, buku: str, periode: int | dt.date):
    unit = get_unit_for_user(request.user, unit_id)
    layout = layout_for(buku, unit.level)
    if layout is None:
        raise Http404
    chain = unit.ancestors(include_self=True)
    return unit, layout, chain, report_for_unit(layout, unit, periode, chain=chain)


@require_GET
@scoped()
def laporan_home(request: HttpRequest) -> HttpResponse:
    """Each user lands on their own unit's Buku II report for the current year."""
    unit = home_unit(request.user)
    if unit is None:
        raise Http404
    return redirect(_report_url(TAHUNAN, unit.pk, timezone.localdate().year))


@require_GET
@scoped()
def laporan_pilih(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The period picker (a plain GET form): redirect to the chosen report."""
    unit = get_unit_for_user(request.user, unit_id)
    if request.GET.get("bulan"):
        return redirect(_report_url(BULANAN, unit.pk, _bulan(request.GET["bulan"])))
    try:
        tahun = int(request.GET.get("tahun", ""))
    except ValueError:
        tahun = timezone.localdate().year
    return redirect(_report_url(TAHUNAN, unit.pk, _tahun(tahun)))


def _page(request: HttpRequest, unit_id: int, buku: str, periode: int | dt.date) -> HttpResponse:
    unit, layout, chain, report = _load(request, unit_id, buku, periode)
    today = timezone.localdate()
    tahun = periode if buku == TAHUNAN else periode.year  # type: ignore[union-attr]
    bulan = periode if buku == BULANAN else dt.date(int(tahun), min(today.month, 12), 1)  # type: ignore[arg-type]
    rows = [
        (row, _report_url(buku, row.unit_id, periode) if row.unit_id else "")
        for row in report.rows
    ]
    recent_jobs = ExportJob.objects.filter(requester=request.user, unit=unit).order_by("-created_at")[:3]
    context = {
        "unit": unit,
        "layout": layout,
        "report": report,
        "rows": rows,
        "buku": buku,
        "periode": periode,
        "crumbs": [
            (u, _report_url(buku, u.pk, periode)) for u in breadcrumb(request.user, chain) if layout_for(buku, u.level)
        ],
        "tahun": tahun,
        "bulan": bulan,
        "tahun_choices": list(range(today.year + 1, MIN_TAHUN - 1, -1))[:12],
        "tahunan_url": _report_url(TAHUNAN, unit.pk, tahun),
        "bulanan_url": _report_url(BULANAN, unit.pk, bulan),
        "xlsx_url": _report_url(buku, unit.pk, periode, "_xlsx"),
        "ekspor_url": _report_url(buku, unit.pk, periode, "_ekspor"),
        "sampai_choices": [(lvl, Level(lvl).label) for lvl in subtree_levels(unit)],
        "can_export_subtree": unit.level not in (Level.DASAWISMA, Level.RT),
        "recent_jobs": list(recent_jobs),
    }
    return render(request, "reporting/rekap.html", context)


@require_GET
@scoped()
def rekap_tahunan(request: HttpRequest, unit_id: int, tahun: int) -> HttpResponse:
    return _page(request, unit_id, TAHUNAN, _tahun(tahun))


@require_GET
@scoped()
def rekap_bulanan(request: HttpRequest, unit_id: int, bulan: str) -> HttpResponse:
    return _page(request, unit_id, BULANAN, _bulan(bulan))


def _xlsx(request: HttpRequest, unit_id: int, buku: str, periode: int | dt.date) -> HttpResponse:
    _unit, _layout, _chain, report = _load(request, unit_id, buku, periode)
    content = report_xlsx(report)
    log_personal_export(report=report, user=request.user, channel="web")
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@require_GET
@scoped()
def rekap_tahunan_xlsx(request: HttpRequest, unit_id: int, tahun: int) -> HttpResponse:
    return _xlsx(request, unit_id, TAHUNAN, _tahun(tahun))


@require_GET
@scoped()
def rekap_bulanan_xlsx(request: HttpRequest, unit_id: int, bulan: str) -> HttpResponse:
    return _xlsx(request, unit_id, BULANAN, _bulan(bulan))


def _create_job(request: HttpRequest, unit_id: int, buku: str, periode: int | dt.date) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    sampai = request.POST.get("sampai", Level.DESA)
    if sampai not in SAMPAI_CHOICES:
        sampai = Level.DESA
    try:
        job = export_job_create(unit=unit, buku=buku, periode=periode, sampai=sampai, actor=request.user)
    except ValidationError:
        raise Http404 from None
    return redirect("reporting:export_job", job_id=job.pk)


@require_POST
@scoped()
def rekap_tahunan_ekspor(request: HttpRequest, unit_id: int, tahun: int) -> HttpResponse:
    return _create_job(request, unit_id, TAHUNAN, _tahun(tahun))


@require_POST
@scoped()
def rekap_bulanan_ekspor(request: HttpRequest, unit_id: int, bulan: str) -> HttpResponse:
    return _create_job(request, unit_id, BULANAN, _bulan(bulan))


def get_job_for_user(user, job_id: int) -> ExportJob:
    """The requester, and users whose scope holds the job's unit, may see a job; others get 404."""
    try:
        job = ExportJob.objects.select_related("unit").get(pk=job_id, kind="rekap_subtree")
    except ExportJob.DoesNotExist:
        raise Http404 from None
    if job.requester_id == user.pk or is_global(user) or unit_in_scope(user, job.unit):
        return job
    raise Http404


def _job_report_url(job: ExportJob) -> str:
    try:
        if job.params.get("buku") == TAHUNAN:
            return _report_url(TAHUNAN, job.unit_id, int(job.params["tahun"]))
        return _report_url(BULANAN, job.unit_id, parse_bulan(job.params["bulan"]))
    except (KeyError, ValueError, TypeError):
        return reverse("reporting:laporan_home")


@require_GET
@scoped()
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    context = {
        "job": job,
        "expired": export_job_is_expired(job) or (job.status == ExportJob.Status.SELESAI and not job.file),
        "percent": int(100 * job.progress / job.total) if job.total else 0,
        "running": job.status in (ExportJob.Status.ANTRI, ExportJob.Status.PROSES),
        "report_url": _job_report_url(job),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reporting/export_job.html#status", context)
    return render(request, "reporting/export_job.html", context)


@require_GET
@scoped()
def export_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_job_for_user(request.user, job_id)
    if job.status != ExportJob.Status.SELESAI or not job.file or export_job_is_expired(job):
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1],
                        content_type=XLSX_MIME)
