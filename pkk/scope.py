"""Scope: every account sees exactly the subtrees of the units it is assigned to.

Views declare how they are scoped with ``@scoped(...)`` (or ``@scope_exempt`` for pages that hold no
unit data, such as login). ``ScopeDeclaredMiddleware`` refuses any other view to a scoped user, so a
view nobody made scope-aware is unreachable (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import PATH_END, Level, Role, RoleAssignment, Unit

_CACHE_ATTR = "_pkk_assignments"


def assignments(user) -> list[RoleAssignment]:
    """Active role assignments of ``user`` (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=True).select_related("unit")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def inactive_assignments(user) -> list[RoleAssignment]:
    """Assignments that still stand but whose unit was deactivated (e.g. a kader's dasawisma): they grant
    nothing, and the pages say so instead of a bare 403 (one query, only on the pages that show it)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return list(
        RoleAssignment.objects.filter(user=user, is_active=True, unit__is_active=False)
        .select_related("unit", "unit__parent")
        .order_by("unit__path")
    )


def is_global(user) -> bool:
    """Superusers (operators) are not bound to a unit."""
    return bool(getattr(user, "is_superuser", False))


def scope_units(user) -> list[Unit]:
    units: dict[int, Unit] = {}
    for a in assignments(user):
        units[a.unit.pk] = a.unit
    # Drop units already covered by an ancestor assignment.
    ordered = sorted(units.values(), key=lambda u: u.path)
    roots: list[Unit] = []
    for u in ordered:
        if not any(u.path.startswith(r.path) for r in roots):
            roots.append(u)
    return roots


def accessible_units(user):
    """Units the user may read: the subtrees of their assignments."""
    if is_global(user):
        return Unit.objects.all()
    return Unit.objects.subtree_of_any(scope_units(user))


def path_q(user, field: str = "path"):
    """A Q object restricting ``<field>`` (a Unit path, e.g. ``dasawisma__path``) to the user's scope."""
    from django.db.models import Q

    if is_global(user):
        return Q()
    q = Q(pk__in=[])
    for unit in scope_units(user):
        q |= Q(**{f"{field}__gte": unit.path, f"{field}__lt": unit.path + PATH_END})
    return q


def unit_in_scope(user, unit: Unit) -> bool:
    if is_global(user):
        return True
    return any(unit.path.startswith(root.path) for root in scope_units(user))


def get_unit_for_user(user, pk: Any, *, level: str | Iterable[str] | None = None) -> Unit:
    """The unit ``pk`` if the user may read it, else 404 (never reveal that it exists)."""
    try:
        unit = Unit.objects.get(pk=int(pk))
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if level is not None:
        levels = {level} if isinstance(level, str) else set(level)
        if unit.level not in levels:
            raise Http404
    if not unit_in_scope(user, unit):
        raise Http404
    return unit


def roles_over(user, unit: Unit) -> set[str]:
    """Roles the user holds on ``unit`` or on one of its ancestors."""
    if is_global(user):
        return {r.value for r in Role}
    return {a.role for a in assignments(user) if unit.path.startswith(a.unit.path)}


def can(user, unit: Unit, *roles: str) -> bool:
    return bool(roles_over(user, unit) & set(roles))


def require_role(user, unit: Unit, *roles: str) -> None:
    """404 outside scope, 403 inside scope without a fitting role."""
    if not unit_in_scope(user, unit):
        raise Http404
    if not can(user, unit, *roles):
        raise PermissionDenied


def has_any_role(user, *roles: str) -> bool:
    if is_global(user):
        return True
    return any(a.role in roles for a in assignments(user))


def home_unit(user) -> Unit | None:
    """The highest unit the user is assigned to (their landing unit)."""
    units = scope_units(user)
    if not units:
        if is_global(user):
            return Unit.objects.filter(level=Level.KABUPATEN).order_by("path").first()
        return None
    return min(units, key=lambda u: (u.depth, u.path))


# Roles that may edit dasawisma data (rumah tangga, warga, kehamilan) in their scope.
DATA_WRITERS = (Role.KADER, Role.TP_PKK_DESA)
# Roles that manage the structure below a desa and kader accounts.
STRUCTURE_MANAGERS = (Role.TP_PKK_DESA,)


def scoped(*roles: str) -> Callable:
    """Declare a view scope-aware. With roles, the user must hold one of them somewhere.

    The view itself still fetches every object through a scope helper (404 outside scope).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any):
            if roles and not has_any_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.pkk_scoped = True  # type: ignore[attr-defined]
        return wrapper

    return decorator


def scope_exempt(view: Callable) -> Callable:
    """For views holding no unit data (login, logout, password change, static pages)."""
    view.pkk_scoped = True  # type: ignore[attr-defined]
    return view
