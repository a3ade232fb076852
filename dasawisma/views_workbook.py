"""The standard workbook in the browser: import (TP PKK desa only) and export (kader, desa, pembina, admin)."""

from __future__ import annotations

import tempfile

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from pkk.models import Role
from pkk.scope import get_unit_for_user, has_any_role, require_role, scope_units, scoped

from .workbook.exporter import workbook_export
from .workbook.importer import workbook_import
from .workbook.reader import IMPORT_ROLES

EXPORT_ROLES = (Role.KADER, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
MAX_UPLOAD_BYTES = 30 * 1024 * 1024


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
        **extra,
    }


@require_http_methods(["GET", "POST"])
@scoped(*EXPORT_ROLES)
def workbook_page(request: HttpRequest) -> HttpResponse:
    """GET: the upload form and the export links. POST (TP PKK desa and up): check and import the file."""
    form = WorkbookUploadForm()
    result = None
    if request.method == "POST":
        if not has_any_role(request.user, *IMPORT_ROLES):
            raise PermissionDenied
        form = WorkbookUploadForm(request.POST, request.FILES)
        if form.is_valid():
            berkas = form.cleaned_data["berkas"]
            result = workbook_import(source=berkas, actor=request.user, filename=berkas.name)
            if result.ok:
                form = WorkbookUploadForm()
    status = 400 if (result is not None and not result.ok) or (request.method == "POST" and form.errors) else 200
    return render(request, "dasawisma/workbook/page.html", _context(request, form=form, result=result), status=status)


@require_GET
@scoped(*EXPORT_ROLES)
def workbook_export_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The workbook of ``unit_id`` and everything under it (404 outside scope); logged as personal data."""
    unit = get_unit_for_user(request.user, unit_id)
    require_role(request.user, unit, *EXPORT_ROLES)
    out = tempfile.TemporaryFile()  # closed (and so deleted) by FileResponse when sent
    workbook_export(unit=unit, out=out, actor=request.user, channel="web")
    out.seek(0)
    name = f"dasawisma-{slugify(unit.code or unit.label)}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        out,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
