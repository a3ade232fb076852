"""The change history (``Riwayat``) as the detail pages show it to writers: who changed what, from what to
what, with choice labels and dates as the forms show them."""

from __future__ import annotations

from typing import Any

from ..forms import LABELS
from ..models import Kehamilan, Riwayat, RumahTangga, Warga
from .flow import display

_HISTORY_MODELS = {"rumah_tangga": RumahTangga, "warga": Warga, "kehamilan": Kehamilan}


def _choice_labels(model_name: str) -> dict[str, dict[Any, str]]:
    model = _HISTORY_MODELS.get(model_name)
    if model is None:
        return {}
    return {f.name: {str(k): str(v) for k, v in f.choices} for f in model._meta.concrete_fields if f.choices}


def _show_history_value(labels: dict[str, dict[str, str]], field: str, value: Any) -> str:
    if field in labels and value not in (None, ""):
        return labels[field].get(str(value), str(value))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}-{value[5:7]}-{value[:4]}"  # ISO date as dd-mm-yyyy
    return display(value)


def riwayat_rows(qs) -> list[dict[str, Any]]:
    """The newest 100 rows of ``qs`` (``selectors.riwayat_of*``) for the ``_riwayat.html`` partial."""
    rows = []
    labels_by_model: dict[str, dict] = {}
    for r in qs[:100]:
        labels = labels_by_model.setdefault(r.model, _choice_labels(r.model))
        created = r.aksi == Riwayat.Aksi.BUAT
        changes = []
        for field, v in r.changes.items():
            before, after = _show_history_value(labels, field, v[0]), _show_history_value(labels, field, v[1])
            if created:
                # A creation has no "before": list the initial values that were filled in.
                if after != "—":
                    changes.append({"field": LABELS.get(field, field), "after": after})
            elif before != after:
                changes.append({"field": LABELS.get(field, field), "before": before, "after": after})
        rows.append(
            {"r": r, "created": created, "changes": changes, "who": r.actor.get_username() if r.actor else "sistem"}
        )
    return rows
