"""Template tags of the reporting cycle for pages of other apps.

``{% load reporting_cycle %}{% due_this_month dasawisma %}`` shows on the kader's dasawisma page (app
dasawisma) what that dasawisma has to submit now, with the same list and submit buttons as "Laporan
saya". The dasawisma app stays free of reporting imports: only its template loads this library.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from pkk.models import Role, Unit
from pkk.scope import can

from .. import cycle

register = template.Library()


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month


def due_now(unit: Unit, today: dt.date | None = None) -> list[cycle.DueItem]:
    """Items whose deadline falls in this month or the next (last month's and this month's Buku III,
    last year's Buku II in January, this year's in December), plus any overdue report that can still
    be submitted (never submitted, or returned)."""
    today = today or timezone.localdate()
    groups = cycle.jatuh_tempo([unit], today)
    items = groups[0][1] if groups else []
    now = _month_index(today)
    return [item for item in items if now <= _month_index(item.batas) <= now + 1 or (item.lewat and item.can_submit)]


@register.inclusion_tag("reporting/cycle/_due_this_month.html", takes_context=True)
def due_this_month(context, unit: Unit) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "items": due_now(unit),
        "can_submit": bool(user) and can(user, unit, Role.KADER),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
