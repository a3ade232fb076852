"""Kunci serentak: an admin kabupaten locks one period for every desa of a kecamatan or of the kabupaten.

/laporan/kunci-serentak/<unit_id>/   GET: pick the period, see what would happen; POST: lock
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pkk.models import Level, Unit
from pkk.scope import get_unit_for_user, require_role, scoped

from . import periods
from .books import BUKU_II, BUKU_III, JenisLaporan
from .bulk_lock import BULK_LOCK_LEVELS, BULK_LOCK_ROLES, bulk_lock_plan, periode_bulk_lock


class BulkLockForm(forms.Form):
    jenis = forms.ChoiceField(
        label="Laporan",
        choices=JenisLaporan.choices,
        initial=BUKU_III,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    bulan = forms.CharField(
        label="Bulan (Buku III)", required=False, max_length=7, widget=forms.DateInput(attrs={"type": "month"})
    )
    tahun = forms.IntegerField(label="Tahun (Buku II)", required=False, min_value=2000, max_value=2999)
    lewati = forms.BooleanField(label="Lewati desa yang belum siap (kunci yang siap saja)", required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        jenis = data.get("jenis")
        if jenis == BUKU_III:
            try:
                year, month = (data.get("bulan") or "").split("-")
                data["periode"] = dt.date(int(year), int(month), 1)
            except ValueError:
                self.add_error("bulan", "Bulan: pilih bulan dan tahun (mis. 2025-03).")
        elif jenis == BUKU_II:
            if not data.get("tahun"):
                self.add_error("tahun", "Tahun wajib diisi untuk Buku II.")
            else:
                data["periode"] = dt.date(data["tahun"], 1, 1)
        return data


def _last_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first:%Y-%m}"


@require_http_methods(["GET", "POST"])
@scoped(*BULK_LOCK_ROLES)
def bulk_lock(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    require_role(request.user, unit, *BULK_LOCK_ROLES)
    if unit.level not in BULK_LOCK_LEVELS:
        if unit.depth <= 3:  # provinsi: nothing to lock in bulk above a kabupaten
            raise Http404
        # A desa (or below): the bulk lock of its kecamatan.
        return redirect("reporting:kunci_serentak", unit_id=unit.ancestor_ids()[2])
    today = timezone.localdate()
    if request.method == "POST":
        form = BulkLockForm(request.POST)
    elif request.GET.get("jenis"):
        form = BulkLockForm(request.GET)
    else:
        form = BulkLockForm(initial={"bulan": _last_month(today), "tahun": today.year - 1})
    plan = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if request.method == "POST":
            try:
                done = periode_bulk_lock(
                    unit=unit, jenis=d["jenis"], periode=d["periode"], actor=request.user, lewati_tertahan=d["lewati"]
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                text = f"{done.label}: {len(done.siap)} desa di {unit} dikunci"
                if done.sudah:
                    text += f", {len(done.sudah)} sudah terkunci sebelumnya"
                if done.tertahan:
                    text += f", {len(done.tertahan)} dilewati karena belum siap"
                messages.success(request, text + ".")
                return redirect(
                    f"{request.path}?jenis={d['jenis']}&bulan={d.get('bulan') or ''}&tahun={d.get('tahun') or ''}"
                )
        plan = bulk_lock_plan(unit=unit, jenis=d["jenis"], periode=d["periode"])
        plan.ended = periods.periode_ended(d["jenis"], d["periode"], today)
    kecamatan = []
    if unit.level == Level.KABUPATEN:
        kecamatan = list(Unit.objects.filter(parent=unit, level=Level.KECAMATAN, is_active=True).order_by("name"))
    return render(
        request,
        "reporting/kunci_serentak.html",
        {
            "unit": unit,
            "form": form,
            "plan": plan,
            "kecamatan": kecamatan,
            "parent": unit.parent if unit.level == Level.KECAMATAN else None,
        },
    )
