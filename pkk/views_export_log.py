"""The personal-data export log for the admin kabupaten (issue 10): who exported what, when, for which
unit, how many rows. Filterable, paged, without Django admin; only the logs of units in the admin's
kabupaten.

    /akun/log-ekspor/   export_log (URL name akun:log_ekspor)
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from .models import PATH_END, PersonalDataExportLog, Role
from .scope import assignments, is_global, scoped

PAGE_SIZE = 50
JENIS = {
    "workbook": ("Workbook dasawisma", Q(what__startswith="workbook")),
    "lampiran": ("Lampiran rekap (Excel)", Q(what__startswith="Lampiran")),
    "job": ("Ekspor sampai dasawisma (job)", Q(what__startswith="Ekspor")),
}
SALURAN = [("web", "Aplikasi (web)"), ("job", "Job ekspor"), ("command", "Perintah server")]


class ExportLogFilterForm(forms.Form):
    pengguna = forms.CharField(label="Pengguna", required=False, max_length=150)
    dari = forms.DateField(
        label="Dari tanggal",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Dari tanggal: tanggal tidak sah."},
    )
    sampai = forms.DateField(
        label="Sampai tanggal",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Sampai tanggal: tanggal tidak sah."},
    )
    jenis = forms.ChoiceField(
        label="Jenis", required=False, choices=[("", "Semua jenis")] + [(k, v[0]) for k, v in JENIS.items()]
    )
    saluran = forms.ChoiceField(label="Saluran", required=False, choices=[("", "Semua saluran"), *SALURAN])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("dari") and data.get("sampai") and data["dari"] > data["sampai"]:
            self.add_error("sampai", "Sampai tanggal tidak boleh sebelum dari tanggal.")
        return data


def export_logs_for_user(user):
    """Logs of units under the user's admin kabupaten assignments (operators: all)."""
    qs = PersonalDataExportLog.objects.select_related("unit", "user")
    if is_global(user):
        return qs
    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role == Role.ADMIN_KABUPATEN:
            q |= Q(unit__path__gte=a.unit.path, unit__path__lt=a.unit.path + PATH_END)
    return qs.filter(q)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@require_GET
@scoped(Role.ADMIN_KABUPATEN)
def export_log(request: HttpRequest) -> HttpResponse:
    form = ExportLogFilterForm(request.GET or None)
    qs = export_logs_for_user(request.user)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d["pengguna"]:
            qs = qs.filter(username__icontains=d["pengguna"].strip())
        if d["dari"]:
            qs = qs.filter(at__gte=_day_start(d["dari"]))
        if d["sampai"]:
            qs = qs.filter(at__lt=_day_start(d["sampai"] + dt.timedelta(days=1)))
        if d["jenis"]:
            qs = qs.filter(JENIS[d["jenis"]][1])
        if d["saluran"]:
            qs = qs.filter(channel=d["saluran"])
    elif form.is_bound:
        qs = qs.none()
    qs = qs.order_by("-at", "-id")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    labels = dict(SALURAN)
    for log in page.object_list:
        log.saluran_label = labels.get(log.channel, log.channel)
    total_rows = qs.aggregate(n=Sum("row_count"))["n"] or 0
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pkk/log_ekspor.html",
        {
            "form": form,
            "page": page,
            "total_rows": total_rows,
            "query": query.urlencode(),
        },
    )
