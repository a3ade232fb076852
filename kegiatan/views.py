"""Kegiatan pages: list (filters, paging), report/edit/delete, photos, and the Buku Kegiatan (page and
Excel). Thin: every object comes through a scoped selector (404 outside scope); writes go through
services; writing is for the unit's own team only (403 inside scope otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pkk.models import Unit
from pkk.photos import serve_private_file
from pkk.scope import get_unit_for_user, home_unit, scoped

from . import services
from .buku import buku_kegiatan
from .excel import XLSX_MIME, buku_xlsx
from .forms import KegiatanEditForm, KegiatanFilterForm, KegiatanForm
from .selectors import (
    LEVELS,
    PEMBACA_ROLES,
    filter_kegiatan,
    get_foto_for_user,
    get_kegiatan_for_user,
    kegiatan_for_user,
    may_report,
    units_user_reports_for,
)

PER_PAGE = 20


def _tahun(value: int) -> int:
    if not 2000 <= value <= timezone.localdate().year + 1:
        raise Http404
    return value


@require_GET
@scoped(*PEMBACA_ROLES)
def kegiatan_list(request: HttpRequest) -> HttpResponse:
    form = KegiatanFilterForm(request.GET or None, user=request.user)
    qs = kegiatan_for_user(request.user)
    buku_units = units_user_reports_for(request.user)
    if form.is_bound and form.is_valid():
        picked = form.cleaned_data["unit"]
        if picked is not None and picked not in buku_units:
            buku_units = [picked, *buku_units]  # the Buku Kegiatan of the unit being looked at
        qs = filter_kegiatan(
            qs, unit=form.cleaned_data["unit"], pokja=form.cleaned_data["pokja"], bulan=form.cleaned_data["bulan"]
        )
    elif form.is_bound:
        qs = qs.none()
    qs = qs.annotate(jumlah_foto=Count("foto")).order_by("-tanggal", "-pk")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kegiatan/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_create": bool(units_user_reports_for(request.user)),
            "buku_units": buku_units,
            "tahun": timezone.localdate().year,
        },
    )


@require_http_methods(["GET", "POST"])
@scoped(*PEMBACA_ROLES)
def kegiatan_create(request: HttpRequest) -> HttpResponse:
    units = units_user_reports_for(request.user)
    if not units:
        raise PermissionDenied
    if request.method == "POST":
        form = KegiatanForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            try:
                kegiatan = services.kegiatan_create(
                    unit=form.chosen_unit(),
                    data=form.service_data(),
                    photos=form.cleaned_data["foto"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, f"Kegiatan „{kegiatan.judul}“ tersimpan.")
                return redirect(kegiatan)
    else:
        unit = units[0]
        form = KegiatanForm(
            units=units,
            initial={"tanggal": timezone.localdate(), "jabatan": services.jabatan_bawaan(request.user, unit)},
        )
    return render(request, "kegiatan/form.html", {"form": form, "title": "Laporkan kegiatan"})


@require_GET
@scoped(*PEMBACA_ROLES)
def kegiatan_detail(request: HttpRequest, kegiatan_id: int) -> HttpResponse:
    kegiatan = get_kegiatan_for_user(request.user, kegiatan_id)
    return render(
        request,
        "kegiatan/detail.html",
        {"kegiatan": kegiatan, "foto": list(kegiatan.foto.all()), "may_edit": may_report(request.user, kegiatan.unit)},
    )


def _writable(request: HttpRequest, kegiatan_id: int):
    kegiatan = get_kegiatan_for_user(request.user, kegiatan_id)
    if not may_report(request.user, kegiatan.unit):
        raise PermissionDenied  # in scope (a unit above reads it) but not its own
    return kegiatan


@require_http_methods(["GET", "POST"])
@scoped(*PEMBACA_ROLES)
def kegiatan_edit(request: HttpRequest, kegiatan_id: int) -> HttpResponse:
    kegiatan = _writable(request, kegiatan_id)
    if request.method == "POST":
        form = KegiatanEditForm(request.POST, request.FILES, instance=kegiatan)
        if form.is_valid():
            try:
                services.kegiatan_update(
                    kegiatan=kegiatan,
                    data=form.service_data(),
                    photos_add=form.cleaned_data["foto"],
                    photos_remove=form.cleaned_data["hapus_foto"],
                    actor=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Perubahan kegiatan tersimpan.")
                return redirect(kegiatan)
    else:
        form = KegiatanEditForm(instance=kegiatan)
    return render(
        request,
        "kegiatan/form.html",
        {"form": form, "title": "Ubah kegiatan", "kegiatan": kegiatan, "foto": list(kegiatan.foto.all())},
    )


@require_http_methods(["GET", "POST"])
@scoped(*PEMBACA_ROLES)
def kegiatan_delete(request: HttpRequest, kegiatan_id: int) -> HttpResponse:
    kegiatan = _writable(request, kegiatan_id)
    if request.method == "POST":
        judul = kegiatan.judul
        services.kegiatan_delete(kegiatan=kegiatan, actor=request.user)
        messages.success(request, f"Kegiatan „{judul}“ beserta fotonya dihapus.")
        return redirect("kegiatan:list")
    return render(request, "kegiatan/confirm_delete.html", {"kegiatan": kegiatan, "jumlah_foto": kegiatan.foto.count()})


@require_GET
@scoped(*PEMBACA_ROLES)
def foto(request: HttpRequest, foto_id: int) -> FileResponse:
    """A kegiatan photo, only to users whose scope holds the kegiatan's unit (404 otherwise)."""
    obj = get_foto_for_user(request.user, foto_id)
    return serve_private_file(obj.file, f"kegiatan-{obj.kegiatan_id}-foto-{obj.pk}.jpg")


@require_GET
@scoped(*PEMBACA_ROLES)
def buku_home(request: HttpRequest) -> HttpResponse:
    """The Buku Kegiatan of the user's own unit for this year (or ``?unit=`` and ``?tahun=`` as picked)."""
    tahun = timezone.localdate().year
    try:
        tahun = _tahun(int(request.GET.get("tahun", tahun)))
    except ValueError:
        raise Http404 from None
    unit: Unit | None
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"], level=LEVELS)
    else:
        units = units_user_reports_for(request.user)
        unit = units[0] if units else home_unit(request.user)
        if unit is None or unit.level not in LEVELS:
            raise PermissionDenied
    return redirect("kegiatan:buku", unit_id=unit.pk, tahun=tahun)


@require_GET
@scoped(*PEMBACA_ROLES)
def buku(request: HttpRequest, unit_id: int, tahun: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, level=LEVELS)
    data = buku_kegiatan(unit, _tahun(tahun))
    this_year = timezone.localdate().year
    return render(
        request,
        "kegiatan/buku.html",
        {
            "buku": data,
            "unit": unit,
            "tahun": tahun,
            "years": list(range(this_year, this_year - 5, -1)),
            "xlsx_url": reverse("kegiatan:buku_xlsx", kwargs={"unit_id": unit.pk, "tahun": tahun}),
        },
    )


@require_GET
@scoped(*PEMBACA_ROLES)
def buku_xlsx_view(request: HttpRequest, unit_id: int, tahun: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, level=LEVELS)
    data = buku_kegiatan(unit, _tahun(tahun))
    response = HttpResponse(buku_xlsx(data), content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{data.file_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
