"""Rekap report pages, their Excel downloads and subtree export jobs. Thin views: every unit and job is
fetched through a scope helper, so anything outside the user's subtree answers 404."""

from __future__ import annotations

import datetime as dt
from html import escape

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from pkk.fontmetrics import longest_word_width, text_width
from pkk.models import Level
from pkk.scope import get_unit_for_user, home_unit, is_global, scoped, unit_in_scope
from pkk.views_wilayah import can_edit_pengurus

from .books import BUKU_II, BUKU_III, SEGMENT, JenisLaporan
from .excel import DATA_PT, HEADER_PT, XLSX_MIME, report_xlsx
from .exports import (
    SAMPAI_CHOICES,
    export_job_create,
    export_job_is_expired,
    log_job_download,
    log_personal_export,
    subtree_levels,
)
from .layouts import layout_for, paper_for
from .models import ExportJob
from .periods import parse_bulan
from .selectors import Report, Row, breadcrumb, format_angka, report_for_unit

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


def _report_url(buku: JenisLaporan, unit_id: int, periode: int | dt.date, suffix: str = "") -> str:
    """``suffix``: "" (the page), "_xlsx" (single-sheet download) or "_ekspor" (start a subtree job)."""
    if buku == BUKU_II:
        return reverse(f"reporting:rekap_tahunan{suffix}", kwargs={"unit_id": unit_id, "tahun": periode})
    return reverse(f"reporting:rekap_bulanan{suffix}", kwargs={"unit_id": unit_id, "bulan": f"{periode:%Y-%m}"})


def _load(request: HttpRequest, unit_id: int, buku: JenisLaporan, periode: int | dt.date):
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
    return redirect(_report_url(BUKU_II, unit.pk, timezone.localdate().year))


@require_GET
@scoped()
def laporan_pick(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The period picker (a plain GET form): redirect to the chosen report."""
    unit = get_unit_for_user(request.user, unit_id)
    if request.GET.get("bulan"):
        return redirect(_report_url(BUKU_III, unit.pk, _bulan(request.GET["bulan"])))
    try:
        tahun = int(request.GET.get("tahun", ""))
    except ValueError:
        tahun = timezone.localdate().year
    return redirect(_report_url(BUKU_II, unit.pk, _tahun(tahun)))


# ------------------------------------------------------------------------------ the table as HTML
# The report table is built here as one escaped string instead of nested template loops: a 4.17b page has
# ~40 rows x ~45 cells, and a template ``{% for %}``/``{% if %}`` per cell cost most of the request's CPU
# (docs/performance.md, "Report pages"). The markup is the one the template used to produce.

_THEAD: dict[tuple[int, str], tuple[object, str]] = {}
_URL_SENTINEL = 987654321


def _thead_html(report: Report) -> str:
    """Header rows and column numbers: the same for every page of a layout (and name label)."""
    layout = report.layout
    key = (id(layout), report.name_label)
    hit = _THEAD.get(key)
    if hit is None or hit[0] is not layout:
        parts = []
        for header_row in report.header_rows:
            parts.append("<tr>")
            for label, cell in header_row:
                span = f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
                if cell.rowspan > 1:
                    span += f' rowspan="{cell.rowspan}"'
                if _prints_upright(layout, cell):
                    span += ' class="v"'
                parts.append(f'<th scope="col"{span}>{escape(str(label))}</th>')
            parts.append("</tr>\n")
        numbers = "".join(f'<th scope="col">{n}</th>' for n in report.column_numbers)
        parts.append(f'<tr class="colnum">{numbers}</tr>')
        hit = (layout, "".join(parts))
        _THEAD[key] = hit  # the layout is kept in the value, so its id cannot be reused while cached
    return hit[1]


def _prints_upright(layout, cell) -> bool:
    """On paper a numeric column whose header has a word wider than a 6-digit figure prints its label
    upright, as the Excel sheet does (print.css: ``th.v``)."""
    if cell.colspan != 1 or cell.row + cell.rowspan != layout.header_depth:
        return False
    leaf = layout.leaves[cell.col]
    return leaf.is_numeric and longest_word_width(leaf.label, HEADER_PT, bold=True) > text_width("999.999", DATA_PT)


def _display(value) -> str:
    """``Cell.display``, escaped: numbers with Indonesian thousand separators."""
    if value is None:
        return ""
    if isinstance(value, int):
        return format_angka(value)
    return escape(str(value))


def _tbody_html(report: Report, rows: list[tuple[Row, str]]) -> str:
    layout = report.layout
    if not rows:
        if layout.is_list and layout.buku == BUKU_III:  # 4.18a: a month without events is reported as NIHIL
            return f'<tr><td colspan="{layout.width}" class="nihil">NIHIL</td></tr>'
        what = "catatan" if layout.is_list else f"unit terdaftar di bawah {escape(report.unit.label)}"
        return f'<tr><td colspan="{layout.width}" class="text-muted">Belum ada {what}.</td></tr>'
    opens: list[str | None] = []  # the opening tag of each column's <td>, by kind
    for col in layout.leaves:
        if col.kind == "name":
            opens.append(None)
        elif col.kind == "no":
            opens.append('<td class="no">')
        elif col.kind == "mark":
            opens.append('<td class="num tick">')
        elif col.is_numeric:
            opens.append('<td class="num">')
        else:
            opens.append("<td>")
    parts = []
    for row, url in rows:
        parts.append(f'<tr class="rekap-link" data-row="{row.no}">' if url else f'<tr data-row="{row.no}">')
        for open_td, cell in zip(opens, row.cells, strict=True):
            text = "\u2713" if cell.col.kind == "mark" and cell.value else _display(cell.value)
            if open_td is not None:
                parts.append(f"{open_td}{text}</td>")
            elif url:
                parts.append(f'<td class="name"><a class="stretched-link" href="{escape(url)}">{text}</a></td>')
            else:
                parts.append(f'<td class="name">{text}</td>')
        parts.append("</tr>\n")
    return "".join(parts)


def _tfoot_html(report: Report) -> str:
    cells = "".join(
        f'<td class="num">{_display(c.value)}</td>' if c.numeric else f"<td>{_display(c.value)}</td>"
        for c in report.jumlah
    )
    return f'<tr class="fw-bold jumlah">{cells}</tr>'


def _row_urls(buku: JenisLaporan, periode: int | dt.date, rows) -> list[tuple[Row, str]]:
    """Each row with the URL of its unit's report (one ``reverse`` for all rows)."""
    pattern = _report_url(buku, _URL_SENTINEL, periode)
    sentinel = f"/{_URL_SENTINEL}/"
    return [(row, pattern.replace(sentinel, f"/{row.unit_id}/") if row.unit_id else "") for row in rows]


def _page(request: HttpRequest, unit_id: int, buku: JenisLaporan, periode: int | dt.date) -> HttpResponse:
    unit, layout, chain, report = _load(request, unit_id, buku, periode)
    today = timezone.localdate()
    tahun = periode if buku == BUKU_II else periode.year  # type: ignore[union-attr]
    bulan = periode if buku == BUKU_III else dt.date(int(tahun), min(today.month, 12), 1)  # type: ignore[arg-type]
    rows = _row_urls(buku, periode, report.rows)
    recent_jobs = ExportJob.objects.filter(requester=request.user, unit=unit).order_by("-created_at")[:3]  # type: ignore[misc]  # a signed-in user (@scoped)
    context = {
        "unit": unit,
        "layout": layout,
        "report": report,
        "rows": rows,
        "table_head": mark_safe(_thead_html(report)),  # noqa: S308 - every text in it went through escape()
        "table_body": mark_safe(_tbody_html(report, rows)),  # noqa: S308 - idem
        "table_foot": mark_safe(_tfoot_html(report)),  # noqa: S308 - idem
        "buku": buku,
        "periode": periode,
        "crumbs": [
            (u, _report_url(buku, u.pk, periode)) for u in breadcrumb(request.user, chain) if layout_for(buku, u.level)
        ],
        "tahun": tahun,
        "bulan": bulan,
        "tahun_choices": list(range(today.year + 1, MIN_TAHUN - 1, -1))[:12],
        "tahunan_url": _report_url(BUKU_II, unit.pk, tahun),
        "bulanan_url": _report_url(BUKU_III, unit.pk, bulan),
        "xlsx_url": _report_url(buku, unit.pk, periode, "_xlsx"),
        "ekspor_url": _report_url(buku, unit.pk, periode, "_ekspor"),
        "sampai_choices": [(lvl, Level(lvl).label) for lvl in subtree_levels(unit)],
        "can_export_subtree": unit.level not in (Level.DASAWISMA, Level.RT),
        "recent_jobs": list(recent_jobs),
        "paper": paper_for(layout).lower(),
        "pengurus_url": (
            reverse("wilayah:pengurus", kwargs={"unit_id": unit.pk}) if can_edit_pengurus(request.user, unit) else ""
        ),
    }
    return render(request, "reporting/rekap.html", context)


def _periode(buku: JenisLaporan, tahun: int | None, bulan: str | None) -> int | dt.date:
    """The period named by the URL: ``tahun`` for BUKU_II, ``bulan`` for BUKU_III (``urls.py`` maps the
    segment to the book)."""
    return _tahun(tahun) if buku == BUKU_II else _bulan(bulan)  # type: ignore[arg-type]


@require_GET
@scoped()
def rekap(
    request: HttpRequest, unit_id: int, buku: JenisLaporan, tahun: int | None = None, bulan: str | None = None
) -> HttpResponse:
    return _page(request, unit_id, buku, _periode(buku, tahun, bulan))


def _xlsx(request: HttpRequest, unit_id: int, buku: JenisLaporan, periode: int | dt.date) -> HttpResponse:
    _unit, _layout, _chain, report = _load(request, unit_id, buku, periode)
    content = report_xlsx(report)
    log_personal_export(report=report, user=request.user, channel="web")
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@require_GET
@scoped()
def rekap_xlsx(
    request: HttpRequest, unit_id: int, buku: JenisLaporan, tahun: int | None = None, bulan: str | None = None
) -> HttpResponse:
    return _xlsx(request, unit_id, buku, _periode(buku, tahun, bulan))


def _create_job(request: HttpRequest, unit_id: int, buku: JenisLaporan, periode: int | dt.date) -> HttpResponse:
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
def rekap_export(
    request: HttpRequest, unit_id: int, buku: JenisLaporan, tahun: int | None = None, bulan: str | None = None
) -> HttpResponse:
    return _create_job(request, unit_id, buku, _periode(buku, tahun, bulan))


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
        if job.params.get("buku") == SEGMENT[BUKU_II]:
            return _report_url(BUKU_II, job.unit_id, int(job.params["tahun"]))
        return _report_url(BUKU_III, job.unit_id, parse_bulan(job.params["bulan"]))
    except (KeyError, ValueError, TypeError):
        return reverse("reporting:laporan_home")


def _job_restart_url(job: ExportJob) -> str:
    """Where a failed job is started again with the same options ("" when its options are unreadable)."""
    try:
        if job.params.get("buku") == SEGMENT[BUKU_II]:
            kwargs = {"unit_id": job.unit_id, "tahun": int(job.params["tahun"])}
            return reverse("reporting:rekap_tahunan_ekspor", kwargs=kwargs)
        parse_bulan(job.params["bulan"])
        return reverse("reporting:rekap_bulanan_ekspor", kwargs={"unit_id": job.unit_id, "bulan": job.params["bulan"]})
    except (KeyError, ValueError, TypeError):
        return ""


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
        "restart_url": _job_restart_url(job),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reporting/export_job.html#status", context)
    return render(request, "reporting/export_job.html", context)


@require_GET
@scoped()
def export_job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_job_for_user(request.user, job_id)
    if job.status != ExportJob.Status.SELESAI or not job.file or export_job_is_expired(job):
        raise Http404
    log_job_download(job=job, user=request.user)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=str(job.file.name).rsplit("/", 1)[-1], content_type=XLSX_MIME
    )
    response["Cache-Control"] = "no-store"
    return response
