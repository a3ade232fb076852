"""Pages of a rumah tangga: create, detail (its warga, keluarga, kehamilan, riwayat), update, add a
keluarga (No. KK), choose the kepala. Every form goes through ``flow.form_flow``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pkk.models import Role
from pkk.scope import can, scoped

from .. import selectors, services
from ..forms import LABELS, KeluargaForm, KepalaForm, RumahTanggaForm
from ..models import Kehamilan, RumahTangga, mask_number
from ..validators import age_on
from .flow import READERS, WRITERS, form_flow, require_writer, version_of
from .riwayat import riwayat_rows

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


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def rumah_tangga_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    dasawisma = selectors.get_dasawisma_for_user(request.user, unit_id)
    require_writer(request, dasawisma)
    back = reverse("dasawisma:dasawisma_home", kwargs={"unit_id": dasawisma.pk})

    def save(form) -> str:
        rt = services.rumah_tangga_create(dasawisma=dasawisma, data=form.service_data(), actor=request.user)
        messages.success(request, "Rumah tangga tersimpan. Tambahkan warganya.")
        return reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    return form_flow(
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
            "riwayat": riwayat_rows(selectors.riwayat_of("rumah_tangga", rt.pk)) if may_write else [],
            "sumber_air": [LABELS[f] for f in services.SUMBER_AIR_FIELDS if getattr(rt, f)],
            "kegiatan": [label for f, label in KEGIATAN_RUMAH_TANGGA if getattr(rt, f)],
            "judul": rt_name(rt),
        },
    )


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def rumah_tangga_update(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.rumah_tangga_update(
            rumah_tangga=rt, data=form.service_data(), version=version_of(form), actor=request.user
        )
        messages.success(request, "Perubahan rumah tangga tersimpan.")
        return back

    return form_flow(
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
    require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.keluarga_create(rumah_tangga=rt, no_kk=form.cleaned_data["no_kk"], actor=request.user)
        messages.success(request, "No. KK tersimpan.")
        return back

    return form_flow(
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
    require_writer(request, rt.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})

    def save(form) -> str:
        services.kepala_set(
            rumah_tangga=rt, warga=form.cleaned_data["kepala"], version=version_of(form), actor=request.user
        )
        messages.success(request, "Kepala rumah tangga tersimpan.")
        return back

    return form_flow(
        request,
        KepalaForm(request.POST or None, rumah_tangga=rt),
        save=save,
        conflict=(lambda d, cur: KepalaForm(d, rumah_tangga=cur), ["kepala"]),
        title="Pilih kepala rumah tangga",
        draft_key=f"kepala-{rt.pk}",
        back_url=back,
    )
