"""The kegiatan card of the desa/kecamatan/kabupaten dashboards (one ``GROUP BY`` query)."""

from __future__ import annotations

from django import template

from ..selectors import LEVELS, kegiatan_per_pokja, may_report

register = template.Library()


@register.inclusion_tag("kegiatan/_dashboard_card.html", takes_context=True)
def kegiatan_card(context, unit, tahun):
    """Counts per pokja of the unit's subtree for ``tahun``. The dashboard has already checked that the
    user may read ``unit``; units that report no kegiatan (RT, dasawisma ...) get no card."""
    if unit is None or unit.level not in LEVELS:
        return {"show": False}
    counts = kegiatan_per_pokja(unit, int(tahun))
    user = context["request"].user
    return {
        "show": True,
        "unit": unit,
        "tahun": tahun,
        "counts": counts,
        "total": sum(c.jumlah for c in counts),
        "may_report": may_report(user, unit),
    }
