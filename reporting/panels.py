"""What reporting shows on pages of the dasawisma app, registered in ``dasawisma.panels`` when the app
starts (``ReportingConfig.ready``): dasawisma stays free of reporting imports, and its view, not its
template, runs the queries."""

from __future__ import annotations

from typing import Any

from pkk.models import Role, Unit
from pkk.scope import can

from .selectors_cycle import due_now


def due_this_month(user, unit: Unit) -> tuple[str, dict[str, Any]]:
    """The dasawisma home's "Yang perlu diajukan": what ``unit`` has to submit now, with the same list and
    submit buttons (for its kader) as "Laporan saya"."""
    return "reporting/cycle/_due_this_month.html", {
        "items": due_now(unit),
        "can_submit": bool(user) and can(user, unit, Role.KADER),
    }
