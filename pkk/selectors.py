from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length

from .models import Role, RoleAssignment, Unit
from .scope import accessible_units, assignments, is_global

SEARCH_LIMIT = 20


def unit_search_for_user(user, q: str, *, level: str | list[str] | tuple[str, ...] | None = None, within=None):
    """Active units matching ``q`` (name or code) inside the user's scope, shallow tiers first.

    ``within`` (a Unit) narrows further to one subtree; it never widens the user's scope.
    """
    qs = accessible_units(user).filter(is_active=True)
    if within is not None:
        qs = qs.subtree(within)
    if level:
        qs = qs.filter(level__in=[level] if isinstance(level, str) else list(level))
    q = q.strip()
    if any(ch.isdigit() for ch in q) and "." in q:
        qs = qs.filter(code__startswith=q)
    else:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.select_related("parent", "parent__parent").order_by(Length("path"), "name", "path")


def children_of(unit: Unit):
    return Unit.objects.filter(parent=unit).order_by("name")


def structure_tree(desa: Unit) -> list[tuple[Unit, int]]:
    """The whole subtree of a desa (one query), as (unit, depth below the desa) in display order:
    each unit followed by its children sorted by level then name."""
    units = list(Unit.objects.subtree(desa, include_self=False))
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    order = {lv: i for i, lv in enumerate(["dusun", "rw", "rt", "dasawisma"])}
    out: list[tuple[Unit, int]] = []

    def walk(parent_id: int, depth: int) -> None:
        for child in sorted(children.get(parent_id, []), key=lambda u: (order.get(u.level, 9), u.name.lower())):
            out.append((child, depth))
            walk(child.pk, depth + 1)

    walk(desa.pk, 0)
    return out


MANAGER_ROLES = (Role.ADMIN_KABUPATEN, Role.TP_PKK_DESA)


def account_roots(viewer) -> list[Unit]:
    """Units whose accounts ``viewer`` manages (assignments as admin kabupaten or TP PKK desa)."""
    return [a.unit for a in assignments(viewer) if a.role in MANAGER_ROLES]


def _account_path_q(viewer, field: str) -> Q:
    from .models import PATH_END

    q = Q(pk__in=[])
    for unit in account_roots(viewer):
        q |= Q(**{f"{field}__gte": unit.path, f"{field}__lt": unit.path + PATH_END})
    return q


def accounts_for_user(viewer):
    """Accounts in the viewer's scope: at least one assignment, and every assignment inside the
    subtrees the viewer manages. Superusers see every account."""
    User = get_user_model()
    if is_global(viewer):
        return User.objects.all().order_by("username")
    inside = _account_path_q(viewer, "unit__path")
    mine = RoleAssignment.objects.filter(user=OuterRef("pk"))
    return User.objects.filter(Exists(mine.filter(inside))).exclude(Exists(mine.exclude(inside))).order_by("username")


def get_account_for_user(viewer, user_id):
    from django.http import Http404

    try:
        return accounts_for_user(viewer).get(pk=int(user_id))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_manage_account(viewer, target, target_assignments) -> bool:
    """Admin kabupaten: any account in scope; TP PKK desa: kader accounts only. Never oneself."""
    if viewer.pk == target.pk:
        return False
    if is_global(viewer):
        return True
    if not target_assignments:
        return False

    def within(role: str) -> bool:
        roots = [a.unit for a in assignments(viewer) if a.role == role]
        return all(any(a.unit.path.startswith(r.path) for r in roots) for a in target_assignments)

    if within(Role.ADMIN_KABUPATEN):
        return True
    return within(Role.TP_PKK_DESA) and all(a.role == Role.KADER for a in target_assignments)
