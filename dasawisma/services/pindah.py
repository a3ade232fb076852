"""Moving within a desa: a dasawisma to another RT, a rumah tangga to another dasawisma (issue 10).

Both keep their history in ``Riwayat`` (the same audit rows as every data edit). The stored rekap follows:
a dasawisma move asks reporting for a structure rebuild under the nearest unit holding the old and the new
RT (``pkk.services.unit_move``); a rumah tangga move writes an outbox row for the old and for the new
dasawisma, so both places (and their ancestors) are refreshed after commit.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min

from pkk.models import Level, Unit
from pkk.services import same_desa, unit_move

from ..models import Kehamilan, Riwayat, RumahTangga, Warga
from ..outbox import record_change
from .common import audit, check_version, jan1, versioned_update


def place_label(unit: Unit) -> str:
    """ "Dasawisma Mawar (RT 01 · RW 01 · Dusun Krajan)": a label that tells two Mawar apart."""
    names = [u.label for u in reversed(unit.ancestors()) if u.level in (Level.RT, Level.RW, Level.DUSUN)]
    return f"{unit.label} ({' · '.join(names)})" if names else unit.label


@transaction.atomic
def dasawisma_move(*, dasawisma: Unit, rt: Unit, actor) -> Unit:
    """Move a dasawisma (with its households) under another RT of the same desa."""
    if dasawisma.level != Level.DASAWISMA:
        raise ValidationError({"rt": "Hanya dasawisma yang dipindah di sini."})
    if rt.level != Level.RT:
        raise ValidationError({"rt": "Tujuan harus sebuah RT."})
    if rt.pk == dasawisma.parent_id:
        raise ValidationError({"rt": f"{dasawisma} sudah berada di {rt}."})
    before = place_label(Unit.objects.get(pk=dasawisma.parent_id))  # type: ignore[misc]  # parent_id: never None below the root
    unit_move(unit=dasawisma, new_parent=rt, actor=actor)  # checks same desa, active, name clash
    audit(
        model="dasawisma",
        obj=dasawisma,
        dasawisma_id=dasawisma.pk,
        aksi=Riwayat.Aksi.UBAH,
        changes={"rt": [before, place_label(rt)]},
        actor=actor,
    )
    return dasawisma


def _earliest_fact(rumah_tangga: RumahTangga) -> dt.date:
    """The first date on which the household counts anywhere: every period from then on moves with it."""
    dates = [
        Warga.objects.filter(rumah_tangga=rumah_tangga).aggregate(d=Min("tanggal_lahir"))["d"],
        Kehamilan.objects.filter(warga__rumah_tangga=rumah_tangga).aggregate(d=Min("tanggal_mulai"))["d"],
        jan1(),
    ]
    return min(d for d in dates if d is not None)


@transaction.atomic
def rumah_tangga_move(*, rumah_tangga: RumahTangga, dasawisma: Unit, version: int, actor) -> RumahTangga:
    """Move a household (its keluarga, warga and kehamilan) to another dasawisma of the same desa."""
    check_version(rumah_tangga, version)
    old = Unit.objects.get(pk=rumah_tangga.dasawisma_id)
    if dasawisma.level != Level.DASAWISMA:
        raise ValidationError({"dasawisma": "Tujuan harus sebuah dasawisma."})
    if dasawisma.pk == old.pk:
        raise ValidationError({"dasawisma": f"Rumah tangga ini sudah berada di {old}."})
    if not dasawisma.is_active:
        raise ValidationError({"dasawisma": f"{dasawisma} tidak aktif."})
    if not same_desa(old, dasawisma):
        raise ValidationError(
            {"dasawisma": "Rumah tangga hanya dapat dipindah ke dasawisma di desa/kelurahan yang sama."}
        )
    since = _earliest_fact(rumah_tangga)
    rumah_tangga.dasawisma = dasawisma
    versioned_update(rumah_tangga, int(version), ["dasawisma"])
    # Fact rows carry their dasawisma (a roll-up is a plain GROUP BY): they move with the household.
    Warga.objects.filter(rumah_tangga=rumah_tangga).update(dasawisma=dasawisma)
    Kehamilan.objects.filter(warga__rumah_tangga=rumah_tangga).update(dasawisma=dasawisma)
    audit(
        model="rumah_tangga",
        obj=rumah_tangga,
        dasawisma_id=dasawisma.pk,
        aksi=Riwayat.Aksi.UBAH,
        changes={"dasawisma": [place_label(old), place_label(dasawisma)]},
        actor=actor,
    )
    record_change(old, since)
    record_change(dasawisma, since)
    return rumah_tangga
