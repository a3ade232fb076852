"""Panels that apps built on dasawisma show on its pages, without dasawisma importing them.

dasawisma never imports reporting (the import contract in pyproject.toml), yet its home page shows what
the dasawisma has to submit now. So reporting registers a panel for that slot when it starts
(``ReportingConfig.ready``): a callable ``(user, unit) -> (template, context)``. The view asks for it
(``panel_for_user``) and passes it to its template, which includes ``panel.template`` with
``panel.context``: the queries run in the view, none in the template.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pkk.models import Unit

# The "Yang perlu diajukan" section of the dasawisma home page.
DASAWISMA_HOME_DUE = "dasawisma_home.due"

Panel = Callable[[Any, Unit], tuple[str, dict[str, Any]]]

_panels: dict[str, Panel] = {}


def panel_register(slot: str, panel: Panel) -> None:
    """Show ``panel`` in ``slot`` (a second registration of one slot replaces the first)."""
    _panels[slot] = panel


def panel_for_user(slot: str, user, unit: Unit) -> dict[str, Any] | None:
    """``{"template": ..., "context": ...}`` of the panel registered for ``slot``, None when there is none."""
    panel = _panels.get(slot)
    if panel is None:
        return None
    template, context = panel(user, unit)
    return {"template": template, "context": context}
