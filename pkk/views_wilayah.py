"""The unit picker and the structure below a desa (dusun, RW, RT, dasawisma)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import (
    CHILD_LEVELS,
    STRUCTURE_LEVELS,
    PengurusTpPkkForm,
    UnitCreateForm,
    UnitMoveForm,
    UnitRenameForm,
    UnitSearchForm,
)
from .models import Level, PengurusTpPkk, Role, Unit
from .scope import assignments, get_unit_for_user, is_global, require_role, scoped
from .selectors import SEARCH_LIMIT, structure_tree, unit_search_for_user

STRUCTURE_ROLES = (Role.TP_PKK_DESA, Role.ADMIN_KABUPATEN)


@require_GET
@scoped(*Role.values)  # an account without any role has no scope to search in
def unit_search(request: HttpRequest) -> HttpResponse:
    """The unit picker: matches by name or code, within the user's own scope only (at most 20).

    With htmx it answers the results fragment; without, a full search page whose results link back to
    ``next`` with ``?<field>=<unit id>``."""
    form = UnitSearchForm(request.GET)
    units: list[Unit] = []
    q, levels, field, nxt = "", [], "", ""
    if form.is_valid():
        q, levels, field, nxt = (form.cleaned_data[k] for k in ("q", "level", "field", "next"))
        if len(q) >= 2:
            units = list(unit_search_for_user(request.user, q, level=levels or None)[:SEARCH_LIMIT])
    context = {
        "form": form,
        "units": units,
        "q": q,
        "limit": SEARCH_LIMIT,
        "levels": levels,
        "field": field,
        "next": nxt,
    }
    if request.htmx:  # type: ignore[attr-defined]  # django-htmx middleware
        return render(request, "pkk/unit_search.html#results", context)
    sep = "&" if "?" in nxt else "?"
    context["picks"] = [(u, f"{nxt}{sep}{urlencode({field or 'unit': u.pk})}" if nxt else "") for u in units]
    return render(request, "pkk/unit_search.html", context)


def _structure_unit(request: HttpRequest, unit_id, levels) -> Unit:
    """404 outside scope (or wrong level), 403 inside scope without a structure-managing role."""
    unit = get_unit_for_user(request.user, unit_id, level=levels)
    require_role(request.user, unit, *STRUCTURE_ROLES)
    return unit


def _desa_of(unit: Unit) -> Unit:
    if unit.level == Level.DESA:
        return unit
    return Unit.objects.get(pk=unit.ancestor_ids()[services.DESA_DEPTH - 1])


def _back(unit: Unit):
    return redirect("wilayah:struktur", unit_id=_desa_of(unit).pk)


@require_GET
@scoped()
def struktur_index(request: HttpRequest) -> HttpResponse:
    """Entry point: a TP PKK desa goes straight to its desa; others pick a desa in their scope."""
    desa_units = [a.unit for a in assignments(request.user) if a.role == Role.TP_PKK_DESA]
    may = is_global(request.user) or any(a.role in STRUCTURE_ROLES for a in assignments(request.user))
    if not may:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if request.GET.get("desa"):  # picked on the search page
        picked = get_unit_for_user(request.user, request.GET["desa"], level=Level.DESA)
        return redirect("wilayah:struktur", unit_id=picked.pk)
    if len(desa_units) == 1 and not any(a.role == Role.ADMIN_KABUPATEN for a in assignments(request.user)):
        return redirect("wilayah:struktur", unit_id=desa_units[0].pk)
    return render(request, "pkk/struktur_index.html", {"desa_units": desa_units})


@require_GET
@scoped()
def struktur(request: HttpRequest, unit_id: int) -> HttpResponse:
    desa = _structure_unit(request, unit_id, Level.DESA)
    rows = structure_tree(desa)
    counts = {lv: sum(1 for u, _ in rows if u.level == lv and u.is_active) for lv in STRUCTURE_LEVELS}
    return render(
        request,
        "pkk/struktur.html",
        {
            "desa": desa,
            "rows": rows,
            "counts": counts,
            "child_levels": CHILD_LEVELS,
            "levels": Level,
        },
    )


def _saved(request: HttpRequest, form, save, default_field: str | None = None) -> bool:
    """POST: validate ``form`` and call ``save(cleaned_data)`` (the service, then the success message).
    False on GET, or when the form or the service refused (the service's errors are then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        _add_errors(form, exc, default_field=default_field)
        return False
    return True


def _unit_form_page(request: HttpRequest, form, *, unit: Unit, desa: Unit, title: str) -> HttpResponse:
    return render(request, "pkk/unit_form.html", {"form": form, "unit": unit, "desa": desa, "title": title})


@require_http_methods(["GET", "POST"])
@scoped()
def unit_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    parent = _structure_unit(request, unit_id, (Level.DESA, Level.DUSUN, Level.RW, Level.RT))
    form = UnitCreateForm(request.POST or None, parent=parent, initial={"level": request.GET.get("level")})

    def save(cd) -> None:
        unit = services.unit_create(level=cd["level"], name=cd["name"], parent=parent, actor=request.user)
        messages.success(request, f"{unit} ditambahkan di bawah {parent}.")

    if _saved(request, form, save):
        return _back(parent)
    return _unit_form_page(request, form, unit=parent, desa=_desa_of(parent), title=f"Tambah wilayah di bawah {parent}")


@require_http_methods(["GET", "POST"])
@scoped()
def unit_rename(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _structure_unit(request, unit_id, STRUCTURE_LEVELS)
    form = UnitRenameForm(request.POST or None, unit=unit, initial={"name": unit.name})

    def save(cd) -> None:
        old = str(unit)
        services.unit_rename(unit=unit, name=cd["name"], actor=request.user)
        messages.success(request, f"{old} diganti nama menjadi {unit}.")

    if _saved(request, form, save):
        return _back(unit)
    return _unit_form_page(request, form, unit=unit, desa=_desa_of(unit), title=f"Ganti nama {unit}")


@require_http_methods(["GET", "POST"])
@scoped()
def unit_move(request: HttpRequest, unit_id: int) -> HttpResponse:
    # A dasawisma moves through dasawisma:dasawisma_pindah, which records it in the data history.
    unit = _structure_unit(request, unit_id, (Level.RT, Level.RW))
    desa = _desa_of(unit)
    form = UnitMoveForm(request.POST or None, unit=unit, desa=desa)

    def save(cd) -> None:
        target = cd["new_parent"]
        services.unit_move(unit=unit, new_parent=target, actor=request.user)
        messages.success(request, f"{unit} dipindah ke {target}.")

    if _saved(request, form, save, default_field="new_parent"):
        return _back(unit)
    return _unit_form_page(request, form, unit=unit, desa=desa, title=f"Pindahkan {unit} (sekarang di {unit.parent})")


def _set_active(request: HttpRequest, unit_id: int, active: bool) -> HttpResponse:
    unit = _structure_unit(request, unit_id, STRUCTURE_LEVELS)
    try:
        services.unit_set_active(unit=unit, active=active, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, f"{unit} diaktifkan kembali beserta wilayah di bawahnya.")
        else:
            messages.success(request, f"{unit} dinonaktifkan beserta wilayah di bawahnya (data tetap tersimpan).")
    return _back(unit)


@require_POST
@scoped()
def unit_deactivate(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _set_active(request, unit_id, False)


@require_POST
@scoped()
def unit_activate(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _set_active(request, unit_id, True)


def _add_errors(form, exc: ValidationError, default_field: str | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field, exc)


# ----------------------------------------------------------------------------- TP PKK office holders


def can_edit_pengurus(user, unit: Unit) -> bool:
    """The unit's own admin: TP PKK desa for its desa, pembina for its kecamatan, admin for its kabupaten."""
    role = services.PENGURUS_ROLE.get(unit.level)
    if role is None:
        return False
    if is_global(user):
        return True
    return any(a.role == role and a.unit_id == unit.pk for a in assignments(user))


@require_http_methods(["GET", "POST"])
@scoped(Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
def pengurus(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The names of the unit's ketua and sekretaris TP PKK (printed under the signature lines)."""
    unit = get_unit_for_user(request.user, unit_id)  # 404 outside scope
    if not can_edit_pengurus(request.user, unit):
        raise PermissionDenied
    current = PengurusTpPkk.objects.filter(unit=unit).first()
    form = PengurusTpPkkForm(request.POST or None, instance=current)

    def save(cd) -> None:
        services.pengurus_set(unit=unit, ketua=cd["ketua"], sekretaris=cd["sekretaris"], actor=request.user)
        messages.success(request, f"Pengurus TP PKK {unit} disimpan.")

    if _saved(request, form, save):
        return redirect("wilayah:pengurus", unit_id=unit.pk)
    return render(request, "pkk/pengurus_form.html", {"form": form, "unit": unit})
