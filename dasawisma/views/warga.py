"""Pages of a warga: create (in a rumah tangga, or in a keluarga; after a live birth prefilled with the
mother), detail, update, and recording a death or a move away. Every form goes through ``flow.form_flow``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pkk.scope import scoped

from .. import selectors, services
from ..forms import LABELS, MeninggalForm, PindahForm, WargaForm
from ..models import RumahTangga, Warga
from ..validators import age_on, nik_warnings
from .flow import READERS, WRITERS, display, form_flow, require_writer, version_of
from .riwayat import riwayat_rows
from .rumah_tangga import rt_name


def _nik_warnings(request: HttpRequest, w: Warga) -> None:
    for warning in nik_warnings(w.nik, w.tanggal_lahir, w.jenis_kelamin):
        messages.warning(request, f"Peringatan: {warning}")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _warga_create_page(request: HttpRequest, rt: RumahTangga, keluarga_id: int | None = None) -> HttpResponse:
    require_writer(request, rt.dasawisma)
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
    return form_flow(
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
        (LABELS[f], display(getattr(w, f"get_{f}_display")() if hasattr(w, f"get_{f}_display") else getattr(w, f)))
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
            "riwayat": riwayat_rows(selectors.riwayat_of("warga", w.pk)) if may_write else [],
            "riwayat_kehamilan": riwayat_rows(selectors.riwayat_of_many("kehamilan", [k.pk for k in kehamilan]))
            if may_write and kehamilan
            else [],
        },
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_update(request: HttpRequest, warga_id: int) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})

    def save(form) -> str:
        services.warga_update(
            warga=w,
            data=form.service_data(),
            keluarga=form.cleaned_data.get("keluarga"),
            version=version_of(form),
            actor=request.user,
        )
        messages.success(request, "Perubahan data warga tersimpan.")
        _nik_warnings(request, w)
        return back

    return form_flow(
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


def _leave_page(request: HttpRequest, warga_id: int, *, kind: str, form_cls, record) -> HttpResponse:
    """A warga leaves (``kind`` "meninggal" or "pindah"): ``record(w, cleaned_data)`` calls the service."""
    w = selectors.get_warga_for_user(request.user, warga_id)
    require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})

    def save(form) -> str:
        record(w, form.cleaned_data)
        messages.success(request, f"{w.nama} tercatat {kind}.")
        return back

    return form_flow(
        request,
        form_cls(request.POST or None, initial={"version": w.version}),
        save=save,
        conflict=(lambda d, cur: form_cls(d), ["tanggal_meninggal", "tanggal_pindah"]),
        title=f"Catat {w.nama} {kind}",
        draft_key=f"warga-{w.pk}-{kind}",
        back_url=back,
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_die(request: HttpRequest, warga_id: int) -> HttpResponse:
    def record(w: Warga, cd: dict[str, Any]) -> None:
        services.warga_die(
            warga=w,
            tanggal=cd["tanggal_meninggal"],
            sebab=cd["sebab_meninggal"],
            version=cd["version"],
            actor=request.user,
        )

    return _leave_page(request, warga_id, kind="meninggal", form_cls=MeninggalForm, record=record)


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def warga_move(request: HttpRequest, warga_id: int) -> HttpResponse:
    def record(w: Warga, cd: dict[str, Any]) -> None:
        services.warga_move(
            warga=w,
            tanggal=cd["tanggal_pindah"],
            version=cd["version"],
            actor=request.user,
            pindah_ke=cd.get("pindah_ke", ""),
        )

    return _leave_page(request, warga_id, kind="pindah", form_cls=PindahForm, record=record)
