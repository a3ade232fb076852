"""``{% binaan_card unit %}``: a small desa binaan card on the dashboards of a kecamatan (pembina), a desa
(TP PKK desa) and a kabupaten (admin)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from pkk.models import Level, Role
from pkk.scope import can

register = template.Library()


@register.inclusion_tag("binaan/_dashboard_card.html", takes_context=True)
def binaan_card(context, unit):
    from binaan.models import DesaBinaan
    from binaan.progress import STATUS_LABEL, rows_for

    request = context.get("request")
    user = getattr(request, "user", None)
    tahun = timezone.localdate().year
    out = {"show": False, "tahun": tahun}
    if user is None or unit is None:
        return out
    qs = DesaBinaan.objects.filter(penetapan__tahun=tahun, is_active=True).select_related(
        "desa", "pembina", "penetapan"
    )
    if unit.level == Level.KECAMATAN and can(user, unit, Role.PEMBINA_KECAMATAN):
        qs = qs.filter(pembina=unit)
    elif unit.level == Level.KABUPATEN and can(user, unit, Role.ADMIN_KABUPATEN):
        qs = qs.filter(penetapan__kabupaten=unit)
    elif unit.level == Level.DESA and can(user, unit, Role.TP_PKK_DESA):
        qs = qs.filter(desa=unit)
        out.update({"show": True, "desa": True})
    else:
        return out
    rows = rows_for(list(qs), today=timezone.localdate())
    counts = {label: sum(1 for r in rows if r.status == key) for key, label in STATUS_LABEL.items()}
    out.update({"show": True, "rows": rows, "counts": counts, "overview": unit.level != Level.DESA})
    return out
