"""The standard workbook in the browser: import (TP PKK desa only) and export (kader, desa, pembina, admin).

Both run as background jobs (``dasawisma.workbook.jobs``): the request only stores the upload or queues the
export and redirects to the job's page, which polls with htmx until the outcome is there.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pkk.models import Role
from pkk.scope import get_unit_for_user, has_any_role, is_global, require_role, scope_units, scoped, unit_in_scope

from .models import WorkbookJob
from .workbook.jobs import (
    workbook_export_job_create,
    workbook_import_job_create,
    workbook_job_download_logged,
    workbook_job_is_expired,
)
from .workbook.plan import IMPORT_ROLES

EXPORT_ROLES = (Role.KADER, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
MAX_UPLOAD_BYTES = 30 * 1024 * 1024
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookUploadForm(forms.Form):
    berkas = forms.FileField(
        label="Berkas workbook (.xlsx)",
        help_text="Lembar rumah_tangga, warga dan kehamilan; baris pertama berisi nama kolom.",
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if not berkas.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Berkas harus workbook Excel berakhiran .xlsx.")
        if berkas.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Berkas terlalu besar (paling besar {MAX_UPLOAD_BYTES // 1024 // 1024} MB).")
        return berkas


def _context(request: HttpRequest, **extra) -> dict:
    return {
        "can_import": has_any_role(request.user, *IMPORT_ROLES),
        "export_units": scope_units(request.user),
        "recent_jobs": list(WorkbookJob.objects.filter(requester=request.user).select_related("unit")[:5]),  # type: ignore[misc]  # a signed-in user (@scoped)
        **extra,
    }


@require_http_methods(["GET", "POST"])
@scoped(*EXPORT_ROLES)
def workbook_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form, the export buttons and recent jobs. POST (TP PKK desa and up): queue an import."""
    form = WorkbookUploadForm()
    if request.method == "POST":
        if not has_any_role(request.user, *IMPORT_ROLES):
            raise PermissionDenied
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            job = workbook_import_job_create(upload=form.cleaned_data["berkas"], actor=request.user)
            return redirect("dasawisma:workbook_job", workbook_job_id=job.pk)
    status = 400 if form.errors else 200
    return render(request, "dasawisma/workbook/page.html", _context(request, form=form), status=status)


@require_POST
@scoped(*EXPORT_ROLES)
def workbook_export_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Queue the workbook of ``unit_id`` and everything under it (404 outside scope)."""
    unit = get_unit_for_user(request.user, unit_id)
    require_role(request.user, unit, *EXPORT_ROLES)
    job = workbook_export_job_create(unit=unit, actor=request.user)
    return redirect("dasawisma:workbook_job", workbook_job_id=job.pk)


def get_workbook_job_for_user(user, job_id: int) -> WorkbookJob:
    """Only the account that started a job sees it (operators too), and only while its unit is in scope."""
    job = WorkbookJob.objects.select_related("unit").filter(pk=job_id).first()
    if job is None or not (job.requester_id == user.pk or is_global(user)):
        raise Http404
    if job.unit is not None and not (is_global(user) or unit_in_scope(user, job.unit)):
        raise Http404
    return job


@require_GET
@scoped(*EXPORT_ROLES)
def workbook_job(request: HttpRequest, workbook_job_id: int) -> HttpResponse:
    job = get_workbook_job_for_user(request.user, workbook_job_id)
    context = {"job": job, "expired": workbook_job_is_expired(job) or (job.status == "selesai" and job.kind == "ekspor"
                                                                       and not job.file)}  # fmt: skip
    if request.headers.get("HX-Request"):
        return render(request, "dasawisma/workbook/job.html#status", context)
    return render(request, "dasawisma/workbook/job.html", context)


@require_GET
@scoped(*EXPORT_ROLES)
def workbook_job_download(request: HttpRequest, workbook_job_id: int) -> FileResponse:
    job = get_workbook_job_for_user(request.user, workbook_job_id)
    if job.kind != WorkbookJob.Kind.EKSPOR or job.status != WorkbookJob.Status.SELESAI or not job.file:
        raise Http404
    if workbook_job_is_expired(job):
        raise Http404
    workbook_job_download_logged(job=job, user=request.user)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=str(job.file.name).rsplit("/", 1)[-1], content_type=XLSX_MIME
    )
    response["Cache-Control"] = "no-store"
    return response
