"""Views of the reporting cycle: laporan saya (submit), verifikasi (review), kunci periode (locks),
kelengkapan (completeness drill-down) and the dashboards. Thin: scope helper, form, one service."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pkk.http import safe_next
from pkk.models import Level, Role, Unit
from pkk.scope import can, get_unit_for_user, home_unit, scoped, unit_in_scope

from . import selectors_cycle as cycle
from . import services
from .books import BUKU_II, BUKU_III, JenisLaporan
from .dashboards import TREN_HEADERS, completeness_chart, tren_bulanan, tren_charts
from .models import KunciRiwayat, Laporan
from .periods import (
    BULAN_NAMA,
    deadline,
    is_future,
    last_finished_month,
    parse_bulan,
    parse_tahun,
    periode_ended,
    periode_key,
    periode_label,
)

# --------------------------------------------------------------------------- forms


def _parse_periode(jenis: str, value: str) -> dt.date:
    value = (value or "").strip()
    try:
        if jenis == BUKU_II:
            return dt.date(parse_tahun(value), 1, 1)
        return parse_bulan(value)
    except (ValueError, TypeError, OverflowError):
        raise forms.ValidationError(
            "Periode tidak valid: gunakan TTTT untuk Buku II atau TTTT-BB untuk Buku III."
        ) from None


class PeriodeForm(forms.Form):
    jenis = forms.ChoiceField(choices=JenisLaporan.choices, error_messages={"required": "Jenis laporan wajib dipilih."})
    periode = forms.CharField(max_length=7, error_messages={"required": "Periode wajib diisi."})

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "jenis" in data and "periode" in data:
            try:
                data["periode"] = _parse_periode(data["jenis"], data["periode"])
            except forms.ValidationError as exc:
                self.add_error("periode", exc)
        return data


class AlasanPeriodeForm(PeriodeForm):
    alasan = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class LaporanReturnForm(forms.Form):
    alasan = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Alasan pengembalian wajib diisi."},
    )


class InboxFilterForm(forms.Form):
    """Filters of the review inbox: status, jenis, a month picker (month and year selects) and the desa."""

    status = forms.ChoiceField(choices=[("", "Semua status")] + Laporan.Status.choices, required=False)
    jenis = forms.ChoiceField(choices=[("", "Semua jenis")] + JenisLaporan.choices, required=False)
    bulan = forms.TypedChoiceField(
        choices=[("", "Semua bulan")] + [(str(i), nama) for i, nama in enumerate(BULAN_NAMA, start=1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    tahun = forms.TypedChoiceField(choices=[], coerce=int, empty_value=None, required=False)
    wilayah = forms.TypedChoiceField(choices=[], coerce=int, empty_value=None, required=False)

    def __init__(self, *args, wilayah_units=(), today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["tahun"].choices = [("", "Semua tahun")] + [  # type: ignore[attr-defined]  # a ChoiceField
            (str(y), str(y)) for y in range(today.year, today.year - 6, -1)
        ]
        self.units = {u.pk: u for u in wilayah_units}
        label = "Semua kecamatan" if all(u.level == Level.KECAMATAN for u in wilayah_units) else "Semua desa"
        self.fields["wilayah"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            ("", label),
            *[(str(u.pk), u.label) for u in wilayah_units],
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("bulan") and not data.get("tahun"):
            self.add_error("tahun", "Pilih tahun untuk bulan yang dipilih.")
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        periode = None
        if data.get("bulan") and data.get("tahun"):
            periode = dt.date(data["tahun"], data["bulan"], 1)
        return {
            "status": data.get("status", ""),
            "jenis": BUKU_III if periode else data.get("jenis", ""),
            "periode": periode,
            "tahun": data.get("tahun"),
            "wilayah": self.units.get(data.get("wilayah")),
        }


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _safe_next(request: HttpRequest, default: str) -> str:
    return safe_next(request, default)


def _breadcrumb(user, unit: Unit, url=None) -> list[tuple[str, str]]:
    """(label, url) of the ancestors the user may open, root first (one query); default: their dashboard."""
    url = url or (lambda u: reverse("reporting:dasbor", kwargs={"unit_id": u.pk}))
    return [(u.label, url(u)) for u in unit.ancestors() if unit_in_scope(user, u)]


def report_url(unit: Unit, jenis: str, periode: dt.date) -> str:
    """The official report page of helper 'report' for this unit and period."""
    try:
        if jenis == BUKU_II:
            return reverse("reporting:rekap_tahunan", kwargs={"unit_id": unit.pk, "tahun": periode.year})
        return reverse("reporting:rekap_bulanan", kwargs={"unit_id": unit.pk, "bulan": f"{periode:%Y-%m}"})
    except NoReverseMatch:
        return ""


# --------------------------------------------------------------------------- kader: submit


@require_GET
@scoped(Role.KADER)
def laporan_saya(request: HttpRequest) -> HttpResponse:
    groups = cycle.laporan_saya(request.user)
    return render(
        request, "reporting/cycle/laporan_saya.html", {"groups": groups, "deadline_day": settings.PKK_DEADLINE_DAY}
    )


@require_POST
@scoped(*cycle.SUBMITTER_ROLES)
def laporan_submit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A dasawisma (kader), desa (TP PKK desa) or kecamatan (pembina) submits its report of a period."""
    unit = get_unit_for_user(request.user, unit_id, level=cycle.REPORTING_LEVELS)
    if not cycle.can_submit(request.user, unit):
        raise PermissionDenied
    form = PeriodeForm(request.POST)
    default = (
        reverse("reporting:laporan_saya")
        if unit.level == Level.DASAWISMA
        else reverse("reporting:kelengkapan_unit", kwargs={"unit_id": unit.pk})
    )
    target = _safe_next(request, default)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    try:
        laporan = services.laporan_submit(
            unit=unit, jenis=form.cleaned_data["jenis"], periode=form.cleaned_data["periode"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(target)
    label = periode_label(laporan.jenis, laporan.periode)
    if laporan.terlambat:
        messages.warning(request, f"Laporan {label} {unit} sudah diajukan (terlambat).")
    else:
        messages.success(request, f"Laporan {label} {unit} sudah diajukan tepat waktu.")
    return redirect(target)


# --------------------------------------------------------------------------- review


@require_GET
@scoped()
def laporan_detail(request: HttpRequest, laporan_id: int) -> HttpResponse:
    laporan = cycle.get_laporan_for_user(request.user, laporan_id)
    unit = laporan.unit
    cycle.label_places([laporan])
    waiting = laporan.status == Laporan.Status.DIAJUKAN
    may_review = waiting and cycle.can_review(request.user, laporan)
    may_verify = waiting and not may_review and not laporan.verified_at and cycle.can_verify(request.user, laporan)
    ctx = {
        "laporan": laporan,
        "unit": unit,
        "label": periode_label(laporan.jenis, laporan.periode),
        "key": periode_key(laporan.jenis, laporan.periode),
        "batas": deadline(laporan.jenis, laporan.periode, unit.level),
        "riwayat": laporan.riwayat.select_related("actor"),
        "can_review": may_review,
        "can_verify": may_verify,
        "can_resubmit": laporan.status == Laporan.Status.DIKEMBALIKAN and cycle.can_submit(request.user, unit),
        "can_reopen": laporan.status == Laporan.Status.DITERIMA
        and unit.level == Level.DASAWISMA
        and cycle.can_review(request.user, laporan),
        "report_url": report_url(unit, laporan.jenis, laporan.periode),
        "kelengkapan_url": _kelengkapan_url(unit, laporan.jenis, laporan.periode)
        if unit.level != Level.DASAWISMA
        else "",
        "crumbs": _breadcrumb(request.user, unit, lambda u: _kelengkapan_url(u, laporan.jenis, laporan.periode))
        + [(unit.label, reverse("reporting:dasbor", kwargs={"unit_id": unit.pk}))],
        "form": LaporanReturnForm(),
    }
    return render(request, "reporting/cycle/laporan_detail.html", ctx)


@require_POST
@scoped(*cycle.REVIEWER_ROLES)
def laporan_accept(request: HttpRequest, laporan_id: int) -> HttpResponse:
    laporan = cycle.get_laporan_for_user(request.user, laporan_id)
    target = _safe_next(request, reverse("reporting:laporan_detail", kwargs={"laporan_id": laporan.pk}))
    try:
        laporan = services.laporan_accept(laporan=laporan, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = "diterima" if laporan.status == Laporan.Status.DITERIMA else "diverifikasi"
        messages.success(request, f"Laporan {periode_label(laporan.jenis, laporan.periode)} {laporan.unit} {done}.")
    return redirect(target)


def _with_reason(request: HttpRequest, laporan_id: int, service, done: str) -> HttpResponse:
    laporan = cycle.get_laporan_for_user(request.user, laporan_id)
    target = _safe_next(request, reverse("reporting:laporan_detail", kwargs={"laporan_id": laporan.pk}))
    form = LaporanReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(target)
    try:
        service(laporan=laporan, alasan=form.cleaned_data["alasan"], actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Laporan {periode_label(laporan.jenis, laporan.periode)} {laporan.unit} {done}.")
    return redirect(target)


@require_POST
@scoped(*cycle.REVIEWER_ROLES)
def laporan_return(request: HttpRequest, laporan_id: int) -> HttpResponse:
    return _with_reason(request, laporan_id, services.laporan_return, "dikembalikan")


@require_POST
@scoped(Role.TP_PKK_DESA)
def laporan_reopen(request: HttpRequest, laporan_id: int) -> HttpResponse:
    """The desa reopens an accepted dasawisma report for correction (with a reason)."""
    return _with_reason(request, laporan_id, services.laporan_reopen, "dibuka kembali untuk diperbaiki")


@require_GET
@scoped(*cycle.REVIEWER_ROLES)
def verifikasi(request: HttpRequest) -> HttpResponse:
    """The review inbox: the reports of the tier below the user's, named with where they sit."""
    data = request.GET.copy() if request.GET else {"status": Laporan.Status.DIAJUKAN}
    form = InboxFilterForm(data, wilayah_units=cycle.inbox_wilayah_choices(request.user))
    filters = (
        form.filters()
        if form.is_valid()
        else {"status": Laporan.Status.DIAJUKAN, "jenis": "", "periode": None, "tahun": None, "wilayah": None}
    )
    qs = cycle.laporan_inbox(request.user, **filters)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    cycle.label_places(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reporting/cycle/verifikasi.html",
        {"form": form, "page": page, "query": query.urlencode(), "status": filters["status"]},
    )


@require_POST
@scoped(*cycle.REVIEWER_ROLES)
def verifikasi_accept(request: HttpRequest) -> HttpResponse:
    ids = []
    for raw in request.POST.getlist("laporan"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    target = _safe_next(request, reverse("reporting:verifikasi"))
    if not ids:
        messages.error(request, "Pilih minimal satu laporan untuk diterima.")
        return redirect(target)
    n = services.laporan_accept_many(laporan_ids=ids, actor=request.user)
    if n:
        messages.success(request, f"{n} laporan diterima (atau diverifikasi, bagi ketua kelompok).")
    if n < len(ids):
        messages.warning(
            request,
            f"{len(ids) - n} laporan tidak dapat diterima "
            "(sudah diverifikasi, di luar wilayah, atau periodenya dikunci).",
        )
    return redirect(target)


# --------------------------------------------------------------------------- period locks

KUNCI_ROLES = cycle.LOCKER_ROLES + cycle.UNLOCKER_ROLES


def _tahun_param(request: HttpRequest, default: int) -> int:
    try:
        tahun = int(request.GET.get("tahun", default))
    except ValueError:
        return default
    return tahun if 2000 <= tahun <= default + 1 else default


@require_GET
@scoped(*KUNCI_ROLES)
def periode_locks(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, level=Level.DESA)
    today = timezone.localdate()
    tahun = _tahun_param(request, today.year)
    may_lock = can(request.user, unit, *cycle.LOCKER_ROLES)
    may_unlock = can(request.user, unit, *cycle.UNLOCKER_ROLES)
    rows = cycle.periode_locks_of_year(unit, tahun)
    for row in rows:
        ended = periode_ended(row["jenis"], row["periode"], today)
        row["ended"] = ended
        row["can_lock"] = may_lock and ended and not row["kunci"] and not row["diajukan"] and not row["dikembalikan"]
        row["blocked"] = may_lock and ended and not row["kunci"] and (row["diajukan"] or row["dikembalikan"])
        row["can_unlock"] = may_unlock and bool(row["kunci"])
        row["kelengkapan_url"] = _kelengkapan_url(unit, row["jenis"], row["periode"])
    riwayat = KunciRiwayat.objects.filter(unit=unit).select_related("actor")[:50]
    return render(
        request,
        "reporting/cycle/kunci.html",
        {
            "unit": unit,
            "tahun": tahun,
            "rows": rows,
            "riwayat": riwayat,
            "may_lock": may_lock,
            "may_unlock": may_unlock,
            "crumbs": _breadcrumb(request.user, unit),
            "years": list(range(today.year, today.year - 5, -1)),
        },
    )


def _periode_lock_post(request: HttpRequest, unit_id: int, *, lock: bool) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, level=Level.DESA)
    form = AlasanPeriodeForm(request.POST)
    default = reverse("reporting:kunci", kwargs={"unit_id": unit.pk})
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_safe_next(request, default))
    jenis, periode = form.cleaned_data["jenis"], form.cleaned_data["periode"]
    target = _safe_next(request, f"{default}?tahun={periode.year}")
    label = periode_label(jenis, periode)
    try:
        if lock:
            services.periode_lock(unit=unit, jenis=jenis, periode=periode, actor=request.user)
        else:
            services.periode_unlock(
                unit=unit, jenis=jenis, periode=periode, alasan=form.cleaned_data["alasan"], actor=request.user
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Periode {label} {unit} {'dikunci' if lock else 'dibuka kembali'}.")
    return redirect(target)


@require_POST
@scoped(*cycle.LOCKER_ROLES)
def periode_lock(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _periode_lock_post(request, unit_id, lock=True)


@require_POST
@scoped(*cycle.UNLOCKER_ROLES)
def periode_unlock(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _periode_lock_post(request, unit_id, lock=False)


# --------------------------------------------------------------------------- completeness


def _kelengkapan_url(unit: Unit, jenis: str, periode: dt.date) -> str:
    if jenis == BUKU_II:
        return reverse("reporting:kelengkapan_tahunan", kwargs={"unit_id": unit.pk, "tahun": periode.year})
    return reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": unit.pk, "bulan": f"{periode:%Y-%m}"})


@require_GET
@scoped()
def kelengkapan_home(request: HttpRequest) -> HttpResponse:
    unit = home_unit(request.user)
    if unit is None:
        raise Http404
    return redirect(_kelengkapan_url(unit, BUKU_III, last_finished_month(timezone.localdate())))


@require_GET
@scoped()
def kelengkapan_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The period picker's target: ``?bulan=YYYY-MM`` or ``?tahun=YYYY``; default the last finished month."""
    unit = get_unit_for_user(request.user, unit_id)
    if request.GET.get("thn"):
        # The picker's selects: a year, and a month for Buku III.
        try:
            tahun = parse_tahun(request.GET["thn"])
            if request.GET.get("bln"):
                bulan = int(request.GET["bln"])
                if 1 <= bulan <= 12:
                    return redirect(_kelengkapan_url(unit, BUKU_III, dt.date(tahun, bulan, 1)))
            else:
                return redirect(_kelengkapan_url(unit, BUKU_II, dt.date(tahun, 1, 1)))
        except ValueError:
            pass
    if request.GET.get("tahun"):
        try:
            return redirect(_kelengkapan_url(unit, BUKU_II, _parse_periode(BUKU_II, request.GET["tahun"])))
        except forms.ValidationError:
            pass
    if request.GET.get("bulan"):
        try:
            return redirect(_kelengkapan_url(unit, BUKU_III, _parse_periode(BUKU_III, request.GET["bulan"])))
        except forms.ValidationError:
            pass
    return redirect(_kelengkapan_url(unit, BUKU_III, last_finished_month(timezone.localdate())))


def _own_report(request: HttpRequest, total, jenis: str, periode: dt.date, today: dt.date) -> dict:
    """The unit's own report of the period (desa, kecamatan) for ``_laporan_sendiri.html``."""
    unit, own = total.unit, total.laporan
    return {
        "own": own,
        "own_url": reverse("reporting:laporan_detail", kwargs={"laporan_id": own.pk}) if own else "",
        "own_batas": deadline(jenis, periode, unit.level),
        "own_reports": total.reports,
        "own_label": periode_label(jenis, periode),
        "can_submit_own": total.reports
        and cycle.can_submit(request.user, unit)
        and periode_ended(jenis, periode, today)
        and (own is None or own.status == Laporan.Status.DIKEMBALIKAN),
        "jenis": jenis,
        "periode_key": periode_key(jenis, periode),
    }


def _kelengkapan_page(request: HttpRequest, unit: Unit, jenis: str, periode: dt.date) -> HttpResponse:
    total, rows = cycle.kelengkapan(unit, jenis, periode)
    for row in rows:
        if row.is_leaf:
            row.url = (
                reverse("reporting:laporan_detail", kwargs={"laporan_id": row.laporan_id}) if row.laporan_id else ""
            )
        else:
            row.url = _kelengkapan_url(row.unit, jenis, periode)
    if jenis == BUKU_II:
        prev_p, next_p = dt.date(periode.year - 1, 1, 1), dt.date(periode.year + 1, 1, 1)
    else:
        prev_p = (periode - dt.timedelta(days=1)).replace(day=1)
        next_p = (periode + dt.timedelta(days=32)).replace(day=1)
    today = timezone.localdate()
    label = periode_label(jenis, periode)
    ctx = {
        **_own_report(request, total, jenis, periode, today),
        "unit": unit,
        "jenis": jenis,
        "periode": periode,
        "label": label,
        "total": total,
        "rows": rows,
        "chart": completeness_chart(rows, id="kelengkapan", title=f"Kelengkapan dan ketepatan waktu {label}"),
        "crumbs": _breadcrumb(request.user, unit, lambda u: _kelengkapan_url(u, jenis, periode)),
        "prev_url": _kelengkapan_url(unit, jenis, prev_p),
        "next_url": _kelengkapan_url(unit, jenis, next_p) if not is_future(jenis, next_p, today) else "",
        "other_url": _kelengkapan_url(unit, BUKU_II if jenis == BUKU_III else BUKU_III, periode),
        "batas": deadline(jenis, periode),
        "bulan_pilihan": list(enumerate(BULAN_NAMA, start=1)),
        "tahun_pilihan": sorted({*range(today.year, today.year - 6, -1), periode.year}, reverse=True),
        "kunci_url": reverse("reporting:kunci", kwargs={"unit_id": unit.pk}) + f"?tahun={periode.year}"
        if unit.level == Level.DESA and can(request.user, unit, *KUNCI_ROLES)
        else "",
        "report_url": report_url(unit, jenis, periode),
    }
    return render(request, "reporting/cycle/kelengkapan.html", ctx)


@require_GET
@scoped()
def kelengkapan(
    request: HttpRequest, unit_id: int, buku: JenisLaporan, tahun: int | None = None, bulan: str | None = None
) -> HttpResponse:
    """One book's completeness page; ``urls.py`` maps the URL segment to the book."""
    unit = get_unit_for_user(request.user, unit_id)
    if buku == BUKU_II:
        if tahun is None or not 1900 <= tahun <= 2999:
            raise Http404
        return _kelengkapan_page(request, unit, BUKU_II, dt.date(tahun, 1, 1))
    try:
        periode = parse_bulan(bulan or "")
    except ValueError:
        raise Http404 from None
    return _kelengkapan_page(request, unit, BUKU_III, periode)


# --------------------------------------------------------------------------- dashboards


def render_dashboard(request: HttpRequest, unit: Unit) -> HttpResponse:
    """The landing page of a unit: completeness per child for a month (by default the last finished one,
    not the current one at 0 %) and the year's trends."""
    today = timezone.localdate()
    default = last_finished_month(today)
    tahun = _tahun_param(request, default.year)
    try:
        bulan = parse_bulan(request.GET["bulan"]) if request.GET.get("bulan") else default
    except ValueError:
        bulan = default
    ctx: dict = {"unit": unit, "tahun": tahun, "bulan": bulan, "crumbs": _breadcrumb(request.user, unit)}
    ctx["bulan_label"] = periode_label(BUKU_III, bulan)
    ctx["years"] = list(range(today.year, today.year - 5, -1))
    if unit.level == Level.DASAWISMA:
        ctx["due"] = cycle.jatuh_tempo([unit], today)
        ctx["is_kader_here"] = can(request.user, unit, Role.KADER)
        return render(request, "reporting/dashboard/dasawisma.html", ctx)
    total, rows = cycle.kelengkapan(unit, BUKU_III, bulan)
    for row in rows:
        row.url = _kelengkapan_url(row.unit, BUKU_III, bulan)
    tren = tren_bulanan(unit, tahun)
    ctx.update(_own_report(request, total, BUKU_III, bulan, today))
    ctx.update(
        {
            "total": total,
            "rows": rows,
            "chart": completeness_chart(rows, id="dasbor-kelengkapan", title=f"Kelengkapan {ctx['bulan_label']}"),
            "kelengkapan_url": _kelengkapan_url(unit, BUKU_III, bulan),
            "tren": tren,
            "tren_headers": TREN_HEADERS,
            "tren_charts": tren_charts(tren),
            "pending": cycle.pending_review_count(request.user, unit)
            if can(request.user, unit, *cycle.REVIEWER_ROLES)
            else None,
            "kunci_url": reverse("reporting:kunci", kwargs={"unit_id": unit.pk})
            if unit.level == Level.DESA and can(request.user, unit, *KUNCI_ROLES)
            else "",
            "report_url": report_url(unit, BUKU_III, bulan),
        }
    )
    return render(request, "reporting/dashboard/unit.html", ctx)


@require_GET
@scoped()
def dasbor(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    return render_dashboard(request, unit)
