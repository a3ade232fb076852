"""Kader data entry pages (issue 3). All under ``/data/`` (namespace ``dasawisma``).

Main URLs (GET shows, POST saves; every object id is fetched from the user's scope, else 404):

    /data/                                          kader_home: one dasawisma -> redirect to its page,
                                                    several (TP PKK desa) -> pick list
    /data/dasawisma/<unit_id>/                      dasawisma_home: rumah tangga list, what is due
    /data/dasawisma/<unit_id>/rumah-tangga/baru/    rumah_tangga_create
    /data/rumah-tangga/<rumah_tangga_id>/           rumah_tangga_detail: warga, keluarga, kehamilan, riwayat
    /data/rumah-tangga/<rumah_tangga_id>/ubah/      rumah_tangga_update
    /data/rumah-tangga/<rumah_tangga_id>/keluarga/baru/   keluarga_create (No. KK)
    /data/rumah-tangga/<rumah_tangga_id>/kepala/    kepala_set (radio list of active warga)
    /data/rumah-tangga/<rumah_tangga_id>/warga/baru/      warga_create (GET ?keluarga=&ibu=&tanggal_lahir=
                                                    prefill; used after a live birth)
    /data/rumah-tangga/<rumah_tangga_id>/buku-1/    buku1: Catatan Keluarga (lampiran 4.15), printable
    /data/keluarga/<keluarga_id>/warga/baru/        warga_create with that No. KK preselected
    /data/warga/<warga_id>/                         warga_detail (full NIK and riwayat for writers only)
    /data/warga/<warga_id>/ubah/                    warga_update
    /data/warga/<warga_id>/meninggal/               warga_meninggal (tanggal, sebab)
    /data/warga/<warga_id>/pindah/                  warga_pindah (tanggal)
    /data/warga/<warga_id>/kehamilan/baru/          kehamilan_create
    /data/kehamilan/<kehamilan_id>/ubah/            kehamilan_update
    /data/kehamilan/<kehamilan_id>/selesai/         kehamilan_selesai; hasil lahir_hidup redirects to
                                                    warga_create prefilled with ibu, No. KK, tanggal lahir
    /data/kualitas/                                 data_quality (TP PKK desa, pembina kecamatan, admin)

Flows for the browser tests: kader logs in -> /data/ -> "Tambah rumah tangga" (button id
``btn-tambah-rumah-tangga``) -> rumah tangga page -> "Tambah warga" (``btn-tambah-warga``); the first warga
form asks a new No. KK (``id_no_kk_baru``) and "Jadikan kepala rumah tangga" (``id_kepala_rumah_tangga``).
On a warga page: "Catat kehamilan" (``btn-kehamilan``), "Meninggal" / "Pindah"; on the rumah tangga page
each open kehamilan has "Selesai" (``btn-selesai-<kehamilan_id>``). Every data form is
``<form id="form-data" data-draft="...">`` with submit button ``btn-simpan``; field ids are ``id_<field>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pkk import idempotency
from pkk.models import Level, Role
from pkk.scope import can, scoped

from . import selectors, services
from .forms import (
    LABELS,
    KehamilanForm,
    KehamilanSelesaiForm,
    KeluargaForm,
    KepalaForm,
    MeninggalForm,
    PindahForm,
    RumahTanggaForm,
    WargaForm,
    add_service_errors,
)
from .models import KEGIATAN_PKK_FIELDS, HasilKehamilan, Kehamilan, Riwayat, RumahTangga, Warga, mask_number
from .validators import age_on, nik_warnings

WRITERS = (Role.KADER, Role.TP_PKK_DESA)
READERS = (Role.KADER, Role.KETUA_KELOMPOK, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
# The kader fixes the warnings of their own dasawisma (the selectors start from the user's scope).
QUALITY_ROLES = (Role.KADER, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
PAGE_SIZE = 50


# ---------------------------------------------------------------------------------------------------------
# helpers


def _require_writer(request: HttpRequest, dasawisma) -> None:
    if not selectors.may_write(request.user, dasawisma):
        raise PermissionDenied


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect after a save. draft.js submits with ``X-Draft-Submit`` and follows ``X-Draft-Location``
    itself, so the success message stays for the next page and the draft is cleared only on success."""
    if request.headers.get("X-Draft-Submit"):
        response = HttpResponse(status=204)
        response["X-Draft-Location"] = url
        return response
    return redirect(url)


def _nik_warnings(request: HttpRequest, w: Warga) -> None:
    for warning in nik_warnings(w.nik, w.tanggal_lahir, w.jenis_kelamin):
        messages.warning(request, f"Peringatan: {warning}")


def _form_page(
    request: HttpRequest,
    form,
    *,
    title: str,
    draft_key: str,
    back_url: str,
    context: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    ctx = {"form": form, "title": title, "draft_key": draft_key, "back_url": back_url, "submit_label": "Simpan"}
    ctx.update(context or {})
    return render(request, "dasawisma/form_page.html", ctx, status=status)


def _form_flow(
    request: HttpRequest,
    form,
    *,
    save,
    title: str,
    draft_key: str,
    back_url: str,
    conflict: tuple | None = None,
    context: dict | None = None,
    once: str | None = None,
) -> HttpResponse:
    """The data-entry flow: GET shows the form; POST validates it and calls ``save(form)``, which calls the
    service, adds the success message and returns the URL to go to (see ``_done``). A ValidationError from
    the service goes back on the form. With ``conflict=(form_factory, fields)`` a stale version
    (``services.ConflictError``) shows the form again with the stored values that differ (``differences``).
    With ``once=<kind>`` (create forms) the form carries a token (``pkk.idempotency``): the same form
    posted again (a retry, a double tap) goes to what the first post created instead of creating twice."""
    differences: list = []
    token = idempotency.clean_token(request.POST.get(idempotency.FIELD)) if request.method == "POST" else None
    if once is not None and request.method == "POST":
        first = idempotency.already_saved(token=token, user=request.user)
        if first:
            messages.info(request, idempotency.REPEAT_MESSAGE)
            return _done(request, first)
    if request.method == "POST" and form.is_valid():
        try:
            if once is not None:
                url = idempotency.save_once(token=token, user=request.user, kind=once, save=lambda: save(form))
            else:
                url = save(form)
        except idempotency.TokenTaken as exc:
            if exc.url:
                messages.info(request, idempotency.REPEAT_MESSAGE)
                return _done(request, exc.url)
            form.add_error(None, "Formulir ini sudah tidak berlaku. Muat ulang halaman, lalu isi lagi.")
            token = None
        except services.ConflictError as exc:
            if conflict is None:
                raise
            form, differences = _conflict(request, conflict[0], exc, conflict[1])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, url)
    ctx: dict[str, Any] = {"differences": differences} if conflict is not None else {}
    if once is not None:
        ctx["form_token"] = token or idempotency.new_token()  # a re-shown form keeps its token
    ctx.update(context or {})
    return _form_page(request, form, title=title, draft_key=draft_key, back_url=back_url, context=ctx)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "Ya"
    if value is False:
        return "Tidak"
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def _conflict(request: HttpRequest, form_factory, exc: services.ConflictError, fields: list[str]):
    """Rebuild the form from the user's own input, now carrying the current version, plus the stored
    values that differ from that input: the next save is a deliberate overwrite, never a silent one."""
    data = request.POST.copy()
    data["version"] = str(exc.current.version)  # type: ignore[attr-defined]  # a versioned record
    form = form_factory(data, exc.current)
    form.is_valid()
    form.add_error(None, exc.message)
    differences = []
    for name in fields:
        if name not in form.fields:
            continue
        stored = getattr(exc.current, name, None)
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if hasattr(mine, "pk"):
            mine = mine.pk  # type: ignore[union-attr]
            stored = getattr(exc.current, f"{name}_id", stored)
        if _display(stored) != _display(mine):
            shown = _display(getattr(exc.current, name, None))
            differences.append({"label": LABELS.get(name, name), "tersimpan": shown})
    return form, differences


KEGIATAN_RUMAH_TANGGA = [
    ("up2k", "UP2K"),
    ("pemanfaatan_pekarangan", "Pemanfaatan pekarangan"),
    ("industri_rumah_tangga", "Industri rumah tangga"),
    ("kesehatan_lingkungan", "Kesehatan lingkungan"),
]


def rt_name(rt: RumahTangga) -> str:
    """Title name: "rumah tangga Siti Aminah" (kepala), else its kode, else its number: for titles and messages."""
    if rt.kepala_id:
        return f"rumah tangga {rt.kepala.nama}"  # type: ignore[union-attr]  # kepala_id is set
    return f"rumah tangga {rt.kode}" if rt.kode else f"rumah tangga #{rt.pk}"


def _version(form) -> int:
    return form.cleaned_data["version"]


# ---------------------------------------------------------------------------------------------------------
# home and lists


@require_GET
@scoped(*WRITERS)
def kader_home(request: HttpRequest) -> HttpResponse:
    units = selectors.dasawisma_for_user(request.user).order_by("path")
    first_two = list(units[:2])
    if len(first_two) == 1:
        return redirect("dasawisma:dasawisma_home", unit_id=first_two[0].pk)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dasawisma/pilih_dasawisma.html", {"page": page})


_URL_SENTINEL = 987654321  # reverse() once per page, then the id of each row is put in


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
        },
    )


# ---------------------------------------------------------------------------------------------------------
# rumah tangga


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def rumah_tangga_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    dasawisma = selectors.get_dasawisma_for_user(request.user, unit_id)
    _require_writer(request, dasawisma)
    back = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": dasawisma.pk})

    def save(form) -> str:
        rt = services.rumah_tangga_create(dasawisma=dasawisma, data=form.service_data(), actor=request.user)
        messages.success(request, "Rumah tangga tersimpan. Tambahkan warganya.")
        return reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    return _form_flow(
        request,
        RumahTanggaForm(request.POST or None),
        save=save,
        title=f"Tambah rumah tangga – {dasawisma.label}",
        draft_key=f"rumah-tangga-baru-{dasawisma.pk}",
        once="rumah_tangga",
        back_url=back,
    )


@require_GET
@scoped(*READERS)
def rumah_tangga_detail(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    may_write = selectors.may_write(request.user, rt.dasawisma)
    today = timezone.localdate()
    warga = list(selectors.warga_of_rumah_tangga(rt))
    kehamilan = list(
        Kehamilan.objects.filter(warga__rumah_tangga=rt).select_related("warga").order_by("-tanggal_mulai")
    )
    keluarga = list(rt.keluarga.order_by("id"))
    kepala_aktif = rt.kepala is not None and rt.kepala.tanggal_meninggal is None and rt.kepala.tanggal_pindah is None
    return render(
        request,
        "dasawisma/rumah_tangga_detail.html",
        {
            "rt": rt,
            "warga": [
                {
                    "w": w,
                    "umur": age_on(w.tanggal_lahir, today),
                    "aktif": w.tanggal_meninggal is None and w.tanggal_pindah is None,
                }
                for w in warga
            ],
            "kehamilan": kehamilan,
            "keluarga": [{"k": k, "no_kk": k.no_kk if may_write else mask_number(k.no_kk)} for k in keluarga],
            "kepala_aktif": kepala_aktif,
            "may_write": may_write,
            "may_move": can(request.user, rt.dasawisma, Role.TP_PKK_DESA),
            "riwayat": _riwayat_rows(selectors.riwayat_of("rumah_tangga", rt.pk)) if may_write else [],
            "sumber_air": [LABELS[f] for f in services.SUMBER_AIR_FIELDS if getattr(rt, f)],
            "kegiatan": [label for f, label in KEGIATAN_RUMAH_TANGGA if getattr(rt, f)],
            "judul": rt_name(rt),
        },
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def rumah_tangga_update(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    _require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.rumah_tangga_update(
            rumah_tangga=rt, data=form.service_data(), version=_version(form), actor=request.user
        )
        messages.success(request, "Perubahan rumah tangga tersimpan.")
        return back

    return _form_flow(
        request,
        RumahTanggaForm(request.POST or None, instance=rt),
        save=save,
        conflict=(lambda d, cur: RumahTanggaForm(d, instance=cur), services.RUMAH_TANGGA_FIELDS),
        title=f"Ubah {rt_name(rt)}",
        draft_key=f"rumah-tangga-{rt.pk}",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def keluarga_create(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    _require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.keluarga_create(rumah_tangga=rt, no_kk=form.cleaned_data["no_kk"], actor=request.user)
        messages.success(request, "No. KK tersimpan.")
        return back

    return _form_flow(
        request,
        KeluargaForm(request.POST or None),
        save=save,
        title="Tambah keluarga (No. KK)",
        draft_key=f"keluarga-baru-{rt.pk}",
        once="keluarga",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def kepala_set(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    _require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.kepala_set(
            rumah_tangga=rt, warga=form.cleaned_data["kepala"], version=_version(form), actor=request.user
        )
        messages.success(request, "Kepala rumah tangga tersimpan.")
        return back

    return _form_flow(
        request,
        KepalaForm(request.POST or None, rumah_tangga=rt),
        save=save,
        conflict=(lambda d, cur: KepalaForm(d, rumah_tangga=cur), ["kepala"]),
        title="Pilih kepala rumah tangga",
        draft_key=f"kepala-{rt.pk}",
        back_url=back,
    )


# ---------------------------------------------------------------------------------------------------------
# warga


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _warga_create_page(request: HttpRequest, rt: RumahTangga, keluarga_id: int | None = None) -> HttpResponse:
    _require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})
    initial: dict[str, Any] = {}
    if request.method == "GET":
        for key in ("keluarga", "ibu", "tanggal_lahir"):
            if request.GET.get(key):
                initial[key] = request.GET[key]
        if keluarga_id is not None:
            initial["keluarga"] = keluarga_id
        if not rt.kepala_id:
            initial["kepala_rumah_tangga"] = True
        if "ibu" in initial:
            initial.setdefault("status_dalam_keluarga", "anak")
            initial.setdefault("status_perkawinan", "belum_kawin")
            # The baby takes the mother's agama (a writer may still change it).
            ibu = Warga.objects.filter(  # type: ignore[misc]  # None matches no row
                pk=_int_or_none(initial["ibu"]), dasawisma_id=rt.dasawisma_id
            ).first()
            if ibu is not None:
                initial.setdefault("agama", ibu.agama)

    def save(form) -> str:
        cd = form.cleaned_data
        w = services.warga_create(
            rumah_tangga=rt,
            keluarga=cd.get("keluarga"),
            no_kk=cd.get("no_kk_baru"),
            data=form.service_data(),
            kepala=cd.get("kepala_rumah_tangga", False),
            actor=request.user,
        )
        messages.success(request, f"Warga {w.nama} tersimpan (No. Registrasi {w.no_registrasi}).")
        _nik_warnings(request, w)
        return back

    draft = f"warga-baru-{rt.pk}" + (f"-ibu-{initial['ibu']}" if initial.get("ibu") else "")
    return _form_flow(
        request,
        WargaForm(request.POST or None, rumah_tangga=rt, initial=initial),
        save=save,
        title=f"Tambah warga – {rt_name(rt)}",
        draft_key=draft,
        once="warga",
        back_url=back,
        context={"sections": True},
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_create(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    return _warga_create_page(request, rt)


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_create_in_keluarga(request: HttpRequest, keluarga_id: int) -> HttpResponse:
    keluarga = selectors.get_keluarga_for_user(request.user, keluarga_id)
    return _warga_create_page(request, keluarga.rumah_tangga, keluarga_id=keluarga.pk)


@require_GET
@scoped(*READERS)
def warga_detail(request: HttpRequest, warga_id: int) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    may_write = selectors.may_write(request.user, w.dasawisma)
    today = timezone.localdate()
    warnings = nik_warnings(w.nik, w.tanggal_lahir, w.jenis_kelamin)
    if warnings and not may_write:
        warnings = ["NIK tidak cocok dengan tanggal lahir atau jenis kelamin yang diisi."]
    kehamilan = list(w.kehamilan.order_by("-tanggal_mulai")) if w.jenis_kelamin == "P" else []
    fields = [
        (LABELS[f], _display(getattr(w, f"get_{f}_display")() if hasattr(w, f"get_{f}_display") else getattr(w, f)))
        for f in services.WARGA_FIELDS
        if f not in ("nik", "ibu", "tanggal_meninggal", "sebab_meninggal", "tanggal_pindah")
    ]
    return render(
        request,
        "dasawisma/warga_detail.html",
        {
            "w": w,
            "nik": w.nik if may_write else w.nik_masked,
            "no_kk": w.no_kk if may_write else w.no_kk_masked,
            "umur": age_on(w.tanggal_lahir, today),
            "aktif": w.tanggal_meninggal is None and w.tanggal_pindah is None,
            "warnings": warnings,
            "fields": fields,
            "kehamilan": kehamilan,
            "is_kepala": w.rumah_tangga.kepala_id == w.pk,
            "may_write": may_write,
            "riwayat": _riwayat_rows(selectors.riwayat_of("warga", w.pk)) if may_write else [],
            "riwayat_kehamilan": _riwayat_rows(selectors.riwayat_of_many("kehamilan", [k.pk for k in kehamilan]))
            if may_write and kehamilan
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_update(request: HttpRequest, warga_id: int) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    _require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})

    def save(form) -> str:
        services.warga_update(
            warga=w,
            data=form.service_data(),
            keluarga=form.cleaned_data.get("keluarga"),
            version=_version(form),
            actor=request.user,
        )
        messages.success(request, "Perubahan data warga tersimpan.")
        _nik_warnings(request, w)
        return back

    return _form_flow(
        request,
        WargaForm(request.POST or None, rumah_tangga=w.rumah_tangga, instance=w),
        save=save,
        conflict=(
            lambda d, cur: WargaForm(d, rumah_tangga=w.rumah_tangga, instance=cur),
            ["keluarga", *services.WARGA_FIELDS],
        ),
        title=f"Ubah data warga {w.nama}",
        draft_key=f"warga-{w.pk}",
        back_url=back,
        context={"sections": True, "no_registrasi": w.no_registrasi},
    )


def _leave_page(request: HttpRequest, warga_id: int, kind: str) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    _require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})
    form_cls = MeninggalForm if kind == "meninggal" else PindahForm

    def save(form) -> str:
        cd = form.cleaned_data
        if kind == "meninggal":
            services.warga_meninggal(
                warga=w,
                tanggal=cd["tanggal_meninggal"],
                sebab=cd["sebab_meninggal"],
                version=cd["version"],
                actor=request.user,
            )
        else:
            services.warga_pindah(
                warga=w,
                tanggal=cd["tanggal_pindah"],
                version=cd["version"],
                actor=request.user,
                pindah_ke=cd.get("pindah_ke", ""),
            )
        messages.success(request, f"{w.nama} tercatat {kind}.")
        return back

    title = f"Catat {w.nama} meninggal" if kind == "meninggal" else f"Catat {w.nama} pindah"
    return _form_flow(
        request,
        form_cls(request.POST or None, initial={"version": w.version}),
        save=save,
        conflict=(lambda d, cur: form_cls(d), ["tanggal_meninggal", "tanggal_pindah"]),
        title=title,
        draft_key=f"warga-{w.pk}-{kind}",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_meninggal(request: HttpRequest, warga_id: int) -> HttpResponse:
    return _leave_page(request, warga_id, "meninggal")


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_pindah(request: HttpRequest, warga_id: int) -> HttpResponse:
    return _leave_page(request, warga_id, "pindah")


# ---------------------------------------------------------------------------------------------------------
# kehamilan


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def kehamilan_create(request: HttpRequest, warga_id: int) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    _require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})

    def save(form) -> str:
        services.kehamilan_create(warga=w, data=form.service_data(), actor=request.user)
        messages.success(request, f"Kehamilan {w.nama} tercatat.")
        return reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": w.rumah_tangga_id})

    return _form_flow(
        request,
        KehamilanForm(request.POST or None),
        save=save,
        title=f"Catat kehamilan – {w.nama}",
        draft_key=f"kehamilan-baru-{w.pk}",
        once="kehamilan",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def kehamilan_update(request: HttpRequest, kehamilan_id: int) -> HttpResponse:
    k = selectors.get_kehamilan_for_user(request.user, kehamilan_id)
    _require_writer(request, k.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": k.warga_id})
    initial = {"tanggal_mulai": k.tanggal_mulai, "hpl": k.hpl, "kek": k.kek, "version": k.version}

    def save(form) -> str:
        services.kehamilan_update(kehamilan=k, data=form.service_data(), version=_version(form), actor=request.user)
        messages.success(request, "Perubahan kehamilan tersimpan.")
        return back

    return _form_flow(
        request,
        KehamilanForm(request.POST or None, initial=initial, versioned=True),
        save=save,
        conflict=(lambda d, cur: KehamilanForm(d, versioned=True), services.KEHAMILAN_FIELDS),
        title=f"Ubah kehamilan – {k.warga.nama}",
        draft_key=f"kehamilan-{k.pk}",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def kehamilan_selesai(request: HttpRequest, kehamilan_id: int) -> HttpResponse:
    k = selectors.get_kehamilan_for_user(request.user, kehamilan_id)
    _require_writer(request, k.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": k.warga.rumah_tangga_id})

    def save(form) -> str:
        cd = form.cleaned_data
        services.kehamilan_selesai(
            kehamilan=k,
            tanggal_selesai=cd["tanggal_selesai"],
            hasil=cd["hasil"],
            version=cd["version"],
            actor=request.user,
        )
        if k.hasil == HasilKehamilan.LAHIR_HIDUP:
            messages.success(request, "Kehamilan selesai: lahir hidup. Sekarang isi data bayi.")
            query = urlencode(
                {"ibu": k.warga_id, "keluarga": k.warga.keluarga_id, "tanggal_lahir": k.tanggal_selesai.isoformat()}  # type: ignore[union-attr]  # set by the service
            )
            url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": k.warga.rumah_tangga_id})
            return f"{url}?{query}"
        messages.success(request, "Kehamilan selesai tercatat.")
        return back

    return _form_flow(
        request,
        KehamilanSelesaiForm(request.POST or None, initial={"version": k.version}),
        save=save,
        conflict=(lambda d, cur: KehamilanSelesaiForm(d), ["tanggal_selesai", "hasil"]),
        title=f"Kehamilan selesai – {k.warga.nama}",
        draft_key=f"kehamilan-selesai-{k.pk}",
        back_url=back,
        context={"intro": f"Hamil sejak {k.tanggal_mulai:%d-%m-%Y}."},
    )


# ---------------------------------------------------------------------------------------------------------
# Buku I and data quality


def kegiatan_pkk(w: Warga) -> list[bool]:
    """The eight KEGIATAN PKK YANG DIIKUTI columns of Buku I (4.15): what the kader ticked for this person
    (the kegiatan warga of lampiran 4.14.1b), in the form's column order."""
    return [bool(getattr(w, name)) for name in KEGIATAN_PKK_FIELDS]


KEGIATAN_COLUMNS = [str(Warga._meta.get_field(name).verbose_name) for name in KEGIATAN_PKK_FIELDS]  # type: ignore[union-attr]


def _ada(value: bool | None) -> str:
    return "—" if value is None else ("Ada" if value else "Tidak ada")


def household_lines(rt: RumahTangga) -> list[tuple[str, str]]:
    """The household lines of the Buku I header: kriteria rumah, jamban, sumber air, tempat sampah."""
    sumber = [
        label
        for name, label in (("pdam", "PDAM"), ("sumur", "Sumur"), ("sungai", "Sungai"), ("lainnya", "Lainnya"))
        if getattr(rt, f"sumber_air_{name}")
    ]
    if rt.jumlah_jamban is None:
        jamban = "—"
    elif rt.jumlah_jamban:
        jamban = f"Ada, {rt.jumlah_jamban} buah"
    else:
        jamban = "Tidak ada"
    return [
        ("KRITERIA RUMAH", rt.get_kriteria_rumah_display()),
        ("JAMBAN KELUARGA", jamban),
        ("SUMBER AIR", ", ".join(sumber) or "—"),
        ("TEMPAT SAMPAH", _ada(rt.tempat_sampah)),
    ]


def buku1_tahun(value: str | None, today: dt.date) -> int:
    """The year Buku I is printed for (``?tahun=``): this year unless a valid year is asked."""
    try:
        tahun = int(value or today.year)
    except ValueError:
        return today.year
    return tahun if 2000 <= tahun <= today.year else today.year


@require_GET
@scoped(*READERS)
def buku1(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    """Buku I, Catatan Keluarga (4.15) of one household for a chosen year: ages as of that year (its last
    day, or today for the current year); members born after it are left out."""
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    today = timezone.localdate()
    tahun = buku1_tahun(request.GET.get("tahun"), today)
    on = min(dt.date(tahun, 12, 31), today)
    rows = []
    for w in selectors.warga_of_rumah_tangga(rt):
        if w.tanggal_lahir > on:
            continue
        ket = []
        if w.tanggal_meninggal and w.tanggal_meninggal <= on:
            ket.append(f"Meninggal {w.tanggal_meninggal:%d-%m-%Y}")
        if w.tanggal_pindah and w.tanggal_pindah <= on:
            ket.append(f"Pindah {w.tanggal_pindah:%d-%m-%Y}")
        if rt.kepala_id == w.pk:
            ket.insert(0, "Kepala rumah tangga")
        rows.append({"w": w, "umur": age_on(w.tanggal_lahir, on), "kegiatan": kegiatan_pkk(w), "ket": "; ".join(ket)})
    units = {u.level: u for u in rt.dasawisma.ancestors(include_self=True)}
    return render(
        request,
        "dasawisma/buku1.html",
        {
            "rt": rt,
            "rows": rows,
            "tahun": tahun,
            "tahun_choices": list(range(today.year, max(2000, today.year - 10) - 1, -1)),
            "household_lines": household_lines(rt),
            "kegiatan_columns": KEGIATAN_COLUMNS,
            "u": {level.value: units.get(level.value) for level in Level},
            "column_numbers": range(1, 20),
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


# ---------------------------------------------------------------------------------------------------------


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
    return _display(value)


def _riwayat_rows(qs) -> list[dict[str, Any]]:
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
