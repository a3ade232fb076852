"""Accounts: an admin kabupaten manages the accounts of its kabupaten, a TP PKK desa the kader of its desa."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .forms import AccountCreateForm, AccountUpdateForm, role_choices_for
from .models import Role, RoleAssignment, SandiSementara
from .scope import assignments, is_global, scoped
from .selectors import MANAGER_ROLES, account_roots, accounts_for_user, get_account_for_user, may_manage_account


def _require_manager(request: HttpRequest) -> None:
    if not (is_global(request.user) or account_roots(request.user)):
        raise PermissionDenied


def _with_assignments(qs):
    return qs.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit").order_by("role"))
    )


@require_GET
@scoped()
def akun_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    q = request.GET.get("q", "").strip()[:60]
    qs = accounts_for_user(request.user)
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(username__icontains=q) | Q(first_name__icontains=q))
    users = list(_with_assignments(qs)[:200])
    rows = [(u, list(u.role_assignments.all())) for u in users]
    return render(request, "pkk/akun_list.html", {"rows": rows, "q": q, "truncated": len(users) >= 200})


@require_http_methods(["GET", "POST"])
@scoped()
def akun_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    viewer_roles = {a.role for a in assignments(request.user) if a.role in MANAGER_ROLES}
    choices = role_choices_for(viewer_roles, is_global=is_global(request.user))
    if not choices:
        raise PermissionDenied
    if not is_global(request.user) and Role.ADMIN_KABUPATEN not in viewer_roles:
        # A TP PKK desa picks units within its own desa only (kader of its dasawisma).
        roots = account_roots(request.user)
        within = roots[0] if len(roots) == 1 else None
    else:
        within = None
    initial = {"unit": request.GET.get("unit")} if request.method == "GET" else None
    form = AccountCreateForm(
        request.POST or None, viewer=request.user, role_choices=choices, unit_within=within, initial=initial
    )
    form.fields["unit"].widget.next_url = request.path
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.account_create(
                username=d["username"],
                name=d["name"],
                password=d["password1"],
                role=d["role"],
                unit=d["unit"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("password1", exc)
        else:
            messages.success(request, f"Akun {user.username} dibuat.")
            return redirect("akun:detail", user_id=user.pk)
    return render(request, "pkk/akun_form.html", {"form": form})


@require_GET
@scoped()
def akun_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    # No role check first: outside the viewer's account scope (e.g. a kader) the answer is 404.
    target = get_account_for_user(request.user, user_id)
    target_assignments = list(target.role_assignments.select_related("unit").order_by("role"))
    return render(
        request,
        "pkk/akun_detail.html",
        {
            "target": target,
            "target_assignments": target_assignments,
            "may_manage": may_manage_account(request.user, target, target_assignments),
            "sandi_sementara": SandiSementara.objects.filter(user=target).first(),
        },
    )


def _set_active(request: HttpRequest, user_id: int, active: bool) -> HttpResponse:
    target = get_account_for_user(request.user, user_id)
    if not may_manage_account(request.user, target, list(target.role_assignments.select_related("unit"))):
        raise PermissionDenied
    try:
        services.account_set_active(user=target, active=active, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Akun {target.username} {'diaktifkan kembali' if active else 'dinonaktifkan'}.")
    return redirect("akun:detail", user_id=target.pk)


@require_POST
@scoped()
def akun_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _set_active(request, user_id, False)


@require_POST
@scoped()
def akun_activate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _set_active(request, user_id, True)


# --------------------------------------------------------------------------- reset password, edit (issue 10)


def _managed_target(request: HttpRequest, user_id: int):
    """The account if the viewer manages it: 404 outside the viewer's accounts, 403 inside without the right."""
    target = get_account_for_user(request.user, user_id)
    target_assignments = list(target.role_assignments.select_related("unit").order_by("role"))
    if not may_manage_account(request.user, target, target_assignments):
        raise PermissionDenied
    return target, target_assignments


@require_POST
@scoped()
def akun_reset_sandi(request: HttpRequest, user_id: int) -> HttpResponse:
    """Set a one-time password and show it once, in this answer only (never stored in clear, not cached)."""
    target, _ = _managed_target(request, user_id)
    try:
        password = services.account_reset_password(user=target, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("akun:detail", user_id=target.pk)
    response = render(request, "pkk/akun_sandi_sementara.html", {"target": target, "password": password})
    response["Cache-Control"] = "no-store"
    return response


def _edit_scope(request: HttpRequest):
    viewer_roles = {a.role for a in assignments(request.user) if a.role in MANAGER_ROLES}
    choices = role_choices_for(viewer_roles, is_global=is_global(request.user))
    within = None
    if not is_global(request.user) and Role.ADMIN_KABUPATEN not in viewer_roles:
        roots = account_roots(request.user)
        within = roots[0] if len(roots) == 1 else None
    return choices, within


@require_http_methods(["GET", "POST"])
@scoped()
def akun_update(request: HttpRequest, user_id: int) -> HttpResponse:
    target, target_assignments = _managed_target(request, user_id)
    choices, within = _edit_scope(request)
    assignment = target_assignments[0] if len(target_assignments) == 1 else None
    if assignment is not None and assignment.role not in {r for r, _ in choices}:
        assignment = None  # e.g. a desa editing a kader always fits; anything else: name only
    initial = {"name": target.first_name}
    if assignment is not None:
        initial.update({"role": assignment.role, "unit": request.GET.get("unit") or assignment.unit_id})
    form = AccountUpdateForm(
        request.POST or None,
        viewer=request.user,
        role_choices=choices,
        unit_within=within,
        with_assignment=assignment is not None,
        initial=initial,
    )
    if "unit" in form.fields:
        form.fields["unit"].widget.next_url = request.path
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.account_update(
                user=target,
                name=d["name"],
                assignment=assignment,
                role=d.get("role"),
                unit=d.get("unit"),
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Akun {target.username} diperbarui.")
            return redirect("akun:detail", user_id=target.pk)
    return render(
        request,
        "pkk/akun_ubah.html",
        {"form": form, "target": target, "assignment": assignment, "others": len(target_assignments) > 1},
    )
