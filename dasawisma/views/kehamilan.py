"""Pages of a kehamilan: record, correct, end. A live birth goes on to the warga form prefilled with the
mother, the No. KK and the birth date. Every form goes through ``flow.form_flow``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pkk.scope import scoped

from .. import selectors, services
from ..forms import KehamilanForm, KehamilanSelesaiForm
from ..models import HasilKehamilan
from .flow import WRITERS, form_flow, require_writer, version_of


@require_http_methods(["GET", "POST"])
@scoped(*WRITERS)
def kehamilan_create(request: HttpRequest, warga_id: int) -> HttpResponse:
    w = selectors.get_warga_for_user(request.user, warga_id)
    require_writer(request, w.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": w.pk})

    def save(form) -> str:
        services.kehamilan_create(warga=w, data=form.service_data(), actor=request.user)
        messages.success(request, f"Kehamilan {w.nama} tercatat.")
        return reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": w.rumah_tangga_id})

    return form_flow(
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
    require_writer(request, k.dasawisma)
    back = reverse("dasawisma:warga_detail", kwargs={"warga_id": k.warga_id})
    initial = {"tanggal_mulai": k.tanggal_mulai, "hpl": k.hpl, "kek": k.kek, "version": k.version}

    def save(form) -> str:
        services.kehamilan_update(kehamilan=k, data=form.service_data(), version=version_of(form), actor=request.user)
        messages.success(request, "Perubahan kehamilan tersimpan.")
        return back

    return form_flow(
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
def kehamilan_end(request: HttpRequest, kehamilan_id: int) -> HttpResponse:
    k = selectors.get_kehamilan_for_user(request.user, kehamilan_id)
    require_writer(request, k.dasawisma)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": k.warga.rumah_tangga_id})

    def save(form) -> str:
        cd = form.cleaned_data
        services.kehamilan_end(
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

    return form_flow(
        request,
        KehamilanSelesaiForm(request.POST or None, initial={"version": k.version}),
        save=save,
        conflict=(lambda d, cur: KehamilanSelesaiForm(d), ["tanggal_selesai", "hasil"]),
        title=f"Kehamilan selesai – {k.warga.nama}",
        draft_key=f"kehamilan-selesai-{k.pk}",
        back_url=back,
        context={"intro": f"Hamil sejak {k.tanggal_mulai:%d-%m-%Y}."},
    )
