"""The kader's way in: the pick list of dasawisma, a dasawisma's page (its rumah tangga and what it has to
submit now), and the data-quality lists."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from pkk.models import Role
from pkk.scope import scoped

from .. import panels, selectors
from .flow import READERS, WRITERS

# The kader fixes the warnings of their own dasawisma (the selectors start from the user's scope).
QUALITY_ROLES = (Role.KADER, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
PAGE_SIZE = 50

_URL_SENTINEL = 987654321  # reverse() once per page, then the id of each row is put in


@require_GET
@scoped(*WRITERS)
def kader_home(request: HttpRequest) -> HttpResponse:
    units = selectors.dasawisma_for_user(request.user).order_by("path")
    first_two = list(units[:2])
    if len(first_two) == 1:
        return redirect("dasawisma:dasawisma_home", unit_id=first_two[0].pk)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dasawisma/pilih_dasawisma.html", {"page": page})


@require_GET
@scoped(*READERS)
def dasawisma_home(request: HttpRequest, unit_id: int) -> HttpResponse:
    dasawisma = selectors.get_dasawisma_for_user(request.user, unit_id)
    today = timezone.localdate()
    # A dasawisma holds 10-20 households: one query for all of them, paginated in Python (no COUNT query,
    # which aggregated the same rows a second time).
    households = list(selectors.rumah_tangga_list(dasawisma, today=today))
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    detail_url = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": _URL_SENTINEL})
    rows = [
        {
            "rt": rt,
            "url": detail_url.replace(f"/{_URL_SENTINEL}/", f"/{rt.pk}/"),
            "lengkap": selectors.is_complete(rt),
            "diubah": selectors.last_update(rt),
        }
        for rt in page.object_list
    ]
    return render(
        request,
        "dasawisma/dasawisma_home.html",
        {
            "dasawisma": dasawisma,
            "ancestors": dasawisma.ancestors(),
            "page": page,
            "rows": rows,
            "may_write": selectors.may_write(request.user, dasawisma),
            # What it has to submit now (reporting's panel, see dasawisma.panels).
            "due": panels.panel_for_user(panels.DASAWISMA_HOME_DUE, request.user, dasawisma),
        },
    )


@require_GET
@scoped(*QUALITY_ROLES)
def data_quality(request: HttpRequest) -> HttpResponse:
    jenis = request.GET.get("jenis") or "nik"
    if jenis not in selectors.DATA_QUALITY_CHECKS:
        jenis = "nik"
    tabs = [
        {"key": key, "label": label, "count": fn(request.user).count()}
        for key, (label, fn) in selectors.DATA_QUALITY_CHECKS.items()
    ]
    label, fn = selectors.DATA_QUALITY_CHECKS[jenis]
    page = Paginator(fn(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dasawisma/data_quality.html",
        {
            "tabs": tabs,
            "jenis": jenis,
            "label": label,
            "page": page,
        },
    )
