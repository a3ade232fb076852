"""Moving a rumah tangga to another dasawisma, and a dasawisma to another RT, within one desa (TP PKK desa).

/data/rumah-tangga/<rumah_tangga_id>/pindah-dasawisma/   rumah_tangga_pindah (view rumah_tangga_move)
/data/dasawisma/<unit_id>/pindah/                        dasawisma_pindah (view dasawisma_move; linked from the
                                                         structure page)
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from pkk.models import Level, Role, Unit
from pkk.scope import require_role, scoped
from pkk.services import DESA_DEPTH

from .. import selectors, services

MOVERS = (Role.TP_PKK_DESA,)


def _desa(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.ancestor_ids()[DESA_DEPTH - 1])


def _choices(desa: Unit, level: str, exclude_pk: int | None) -> list[tuple[int, str]]:
    units = Unit.objects.subtree(desa).filter(level=level, is_active=True)
    units = units.exclude(pk=exclude_pk).order_by("path")  # type: ignore[misc]  # pk=None excludes nothing
    by_id: dict[int | None, Unit] = {
        u.pk: u for u in Unit.objects.subtree(desa).filter(level__in=(Level.DUSUN, Level.RW, Level.RT))
    }

    def label(u: Unit) -> str:
        names, parent = [], by_id.get(u.parent_id)
        while parent is not None:
            names.append(parent.label)
            parent = by_id.get(parent.parent_id)
        return f"{u.label} ({' · '.join(names)})" if names else u.label

    return [(u.pk, label(u)) for u in units]


class PindahForm(forms.Form):
    tujuan = forms.TypedChoiceField(
        coerce=int,
        label="Pindah ke",
        error_messages={"required": "Pindah ke: pilih tujuan.", "invalid_choice": "Pindah ke: pilihan tidak sah."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tujuan"].choices = [("", "(pilih)"), *choices]  # type: ignore[attr-defined]  # a ChoiceField
        self.fields["tujuan"].widget.attrs["class"] = "form-select"


def _page(request, form, *, title: str, intro: str, back: str, submit: str, confirm: str) -> HttpResponse:
    return render(
        request,
        "dasawisma/pindah.html",
        {"form": form, "title": title, "intro": intro, "back_url": back, "submit_label": submit, "confirm": confirm},
    )


@require_http_methods(["GET", "POST"])
@scoped(*MOVERS)
def rumah_tangga_move(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    require_role(request.user, rt.dasawisma, *MOVERS)
    back = reverse("dasawisma:rumah_tangga_detail", kwargs={"rumah_tangga_id": rt.pk})
    form = PindahForm(
        request.POST or None,
        choices=_choices(_desa(rt.dasawisma), Level.DASAWISMA, rt.dasawisma_id),
        initial={"version": rt.version},
    )
    form.fields["tujuan"].label = "Pindah ke dasawisma"
    if request.method == "POST" and form.is_valid():
        target = Unit.objects.get(pk=form.cleaned_data["tujuan"])
        try:
            services.rumah_tangga_move(
                rumah_tangga=rt, dasawisma=target, version=form.cleaned_data["version"] or 0, actor=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("tujuan", message)
        else:
            messages.success(request, f"Rumah tangga dipindah ke {services.place_label(target)}. Warganya ikut pindah.")
            return redirect(back)
    return _page(
        request,
        form,
        title="Pindahkan rumah tangga ke dasawisma lain",
        intro=f"Sekarang di {services.place_label(rt.dasawisma)}. Semua keluarga, warga dan kehamilannya ikut pindah; "
        "riwayat mencatat perpindahan ini.",
        back=back,
        submit="Pindahkan",
        confirm="Pindahkan rumah tangga ini beserta semua warganya?",
    )


@require_http_methods(["GET", "POST"])
@scoped(*MOVERS)
def dasawisma_move(request: HttpRequest, unit_id: int) -> HttpResponse:
    dasawisma = selectors.get_dasawisma_for_user(request.user, unit_id)
    require_role(request.user, dasawisma, *MOVERS)
    desa = _desa(dasawisma)
    back = reverse("wilayah:struktur", kwargs={"unit_id": desa.pk})
    form = PindahForm(request.POST or None, choices=_choices(desa, Level.RT, dasawisma.parent_id))
    form.fields["tujuan"].label = "Pindah ke RT"
    if request.method == "POST" and form.is_valid():
        target = Unit.objects.get(pk=form.cleaned_data["tujuan"])
        try:
            services.dasawisma_move(dasawisma=dasawisma, rt=target, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("tujuan", message)
        else:
            messages.success(request, f"{dasawisma} dipindah ke {services.place_label(target)}.")
            return redirect(back)
    here = services.place_label(Unit.objects.get(pk=dasawisma.parent_id))  # type: ignore[misc]  # a dasawisma has a parent
    return _page(
        request,
        form,
        title=f"Pindahkan {dasawisma}",
        intro=f"Sekarang di {here}. Rumah tangga dan kadernya ikut pindah.",
        back=back,
        submit="Pindahkan",
        confirm=f"Pindahkan {dasawisma} ke RT lain?",
    )
