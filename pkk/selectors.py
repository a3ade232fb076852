from django.db.models import Q

from .models import Unit
from .scope import accessible_units


def unit_search_for_user(user, q: str, *, level: str | None = None):
    qs = accessible_units(user).filter(is_active=True)
    if level:
        qs = qs.filter(level=level)
    if any(ch.isdigit() for ch in q) and "." in q:
        qs = qs.filter(code__startswith=q)
    else:
        qs = qs.filter(Q(name__icontains=q) | Q(code__startswith=q))
    return qs.order_by("level", "name")


def children_of(unit: Unit):
    return Unit.objects.filter(parent=unit).order_by("name")
