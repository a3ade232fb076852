"""Scoped reads of dasawisma data. Every fetch starts from the user's scope: outside it answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad, Mod, Substr
from django.http import Http404
from django.utils import timezone

from pkk.models import Level, Unit
from pkk.scope import DATA_WRITERS, can, get_unit_for_user, path_q

from .models import Kehamilan, Keluarga, Riwayat, RumahTangga, Warga


def _get(qs: QuerySet, pk: Any):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---------------------------------------------------------------------------------------------------------
# scoped querysets and fetches


def dasawisma_for_user(user) -> QuerySet[Unit]:
    return Unit.objects.filter(path_q(user, "path"), level=Level.DASAWISMA, is_active=True)


def get_dasawisma_for_user(user, pk: Any) -> Unit:
    return get_unit_for_user(user, pk, level=Level.DASAWISMA)


def rumah_tangga_for_user(user) -> QuerySet[RumahTangga]:
    return RumahTangga.objects.filter(path_q(user, "dasawisma__path"))


def get_rumah_tangga_for_user(user, pk: Any) -> RumahTangga:
    return _get(rumah_tangga_for_user(user).select_related("dasawisma", "kepala"), pk)


def keluarga_for_user(user) -> QuerySet[Keluarga]:
    return Keluarga.objects.filter(path_q(user, "rumah_tangga__dasawisma__path"))


def get_keluarga_for_user(user, pk: Any) -> Keluarga:
    return _get(keluarga_for_user(user).select_related("rumah_tangga", "rumah_tangga__dasawisma"), pk)


def warga_for_user(user) -> QuerySet[Warga]:
    return Warga.objects.filter(path_q(user, "dasawisma__path"))


def get_warga_for_user(user, pk: Any) -> Warga:
    return _get(warga_for_user(user).select_related("dasawisma", "rumah_tangga", "keluarga", "ibu"), pk)


def kehamilan_for_user(user) -> QuerySet[Kehamilan]:
    return Kehamilan.objects.filter(path_q(user, "dasawisma__path"))


def get_kehamilan_for_user(user, pk: Any) -> Kehamilan:
    return _get(kehamilan_for_user(user).select_related("warga", "warga__rumah_tangga", "dasawisma"), pk)


def may_write(user, dasawisma: Unit) -> bool:
    """Kader of the dasawisma or TP PKK desa above it (DOMAIN.md section 2)."""
    return can(user, dasawisma, *DATA_WRITERS)


# ---------------------------------------------------------------------------------------------------------
# lists


def active_q(on: dt.date, prefix: str = "") -> Q:
    """Active warga on ``on`` (DOMAIN.md section 4): born by then, not died or moved by then."""
    p = prefix
    return (
        Q(**{f"{p}tanggal_lahir__lte": on})
        & (Q(**{f"{p}tanggal_meninggal__isnull": True}) | Q(**{f"{p}tanggal_meninggal__gt": on}))
        & (Q(**{f"{p}tanggal_pindah__isnull": True}) | Q(**{f"{p}tanggal_pindah__gt": on}))
    )


def rumah_tangga_list(dasawisma: Unit, *, today: dt.date | None = None) -> QuerySet[RumahTangga]:
    """Households of a dasawisma with kepala, active count and last change: one query for any number."""
    today = today or timezone.localdate()
    return (
        RumahTangga.objects.filter(dasawisma=dasawisma)
        .select_related("kepala")
        .annotate(
            jumlah_aktif=Count("warga", filter=active_q(today, "warga__")),
            warga_diubah=Max("warga__updated_at"),
        )
        .order_by("id")
    )


def is_complete(rt: RumahTangga) -> bool:
    """Complete = an active kepala rumah tangga and at least one active warga."""
    kepala = rt.kepala
    return bool(
        kepala is not None
        and kepala.tanggal_meninggal is None
        and kepala.tanggal_pindah is None
        and getattr(rt, "jumlah_aktif", 0) > 0
    )


def last_update(rt: RumahTangga) -> dt.datetime:
    other = getattr(rt, "warga_diubah", None)
    return max(rt.updated_at, other) if other else rt.updated_at


def warga_of_rumah_tangga(rumah_tangga: RumahTangga) -> QuerySet[Warga]:
    return Warga.objects.filter(rumah_tangga=rumah_tangga).select_related("keluarga").order_by("keluarga_id", "id")


def kehamilan_of_rumah_tangga(rumah_tangga: RumahTangga) -> QuerySet[Kehamilan]:
    """Every pregnancy of the household's women, newest first (the rumah tangga page)."""
    return Kehamilan.objects.filter(warga__rumah_tangga=rumah_tangga).select_related("warga").order_by("-tanggal_mulai")


def warga_of_dasawisma(dasawisma_id: int, pk: Any) -> Warga | None:
    """The warga ``pk`` if it is one of this (already scope-checked) dasawisma, else None (also for a ``pk``
    that is not a number: the prefill of a baby's form reads it from the query string)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = None
    return Warga.objects.filter(pk=pk, dasawisma_id=dasawisma_id).first()  # pk None matches no row


def riwayat_of(model: str, object_id: int) -> QuerySet[Riwayat]:
    return Riwayat.objects.filter(model=model, object_id=object_id).select_related("actor")


def riwayat_of_many(model: str, object_ids: list[int]) -> QuerySet[Riwayat]:
    return Riwayat.objects.filter(model=model, object_id__in=object_ids).select_related("actor")


# ---------------------------------------------------------------------------------------------------------
# data quality (computed in SQL, within scope)

TEN_MONTHS = dt.timedelta(days=304)


def _nik_expected_ttl():
    """DDMMYY as a NIK encodes it (day + 40 for women), computed in SQL from tanggal_lahir."""
    day = ExtractDay("tanggal_lahir") + Case(
        When(jenis_kelamin="P", then=Value(40)), default=Value(0), output_field=IntegerField()
    )

    def two(expr):
        return LPad(Cast(expr, CharField(max_length=4)), 2, Value("0"))

    return Concat(
        two(day),
        two(ExtractMonth("tanggal_lahir")),
        two(Mod(ExtractYear("tanggal_lahir"), Value(100))),
        output_field=CharField(max_length=6),
    )


def nik_mismatch(user) -> QuerySet[Warga]:
    return (
        warga_for_user(user)
        .filter(nik__isnull=False)
        .exclude(nik="")
        .annotate(nik_ttl=Substr("nik", 7, 6), ttl_expected=_nik_expected_ttl())
        .exclude(nik_ttl=F("ttl_expected"))
        .select_related("dasawisma")
        .order_by("dasawisma__path", "id")
    )


def tanpa_kepala(user) -> QuerySet[RumahTangga]:
    """Households without a kepala, or whose kepala died or moved away."""
    return (
        rumah_tangga_for_user(user)
        .filter(
            Q(kepala__isnull=True)
            | Q(kepala__tanggal_meninggal__isnull=False)
            | Q(kepala__tanggal_pindah__isnull=False)
        )
        .select_related("dasawisma", "kepala")
        .order_by("dasawisma__path", "id")
    )


def hamil_lama(user, *, today: dt.date | None = None) -> QuerySet[Kehamilan]:
    today = today or timezone.localdate()
    return (
        kehamilan_for_user(user)
        .filter(tanggal_selesai__isnull=True, tanggal_mulai__lt=today - TEN_MONTHS)
        .select_related("warga", "dasawisma")
        .order_by("dasawisma__path", "tanggal_mulai")
    )


def hamil_ibu_keluar(user) -> QuerySet[Kehamilan]:
    """Open pregnancies of a woman recorded as died or moved away."""
    return (
        kehamilan_for_user(user)
        .filter(tanggal_selesai__isnull=True)
        .filter(Q(warga__tanggal_meninggal__isnull=False) | Q(warga__tanggal_pindah__isnull=False))
        .select_related("warga", "dasawisma")
        .order_by("dasawisma__path", "tanggal_mulai")
    )


def rumah_tangga_kosong(user, *, today: dt.date | None = None) -> QuerySet[RumahTangga]:
    """Households without any active warga."""
    today = today or timezone.localdate()
    return (
        rumah_tangga_for_user(user)
        .annotate(jumlah_aktif=Count("warga", filter=active_q(today, "warga__")))
        .filter(jumlah_aktif=0)
        .select_related("dasawisma", "kepala")
        .order_by("dasawisma__path", "id")
    )


def tiga_buta_anak(user, *, today: dt.date | None = None) -> QuerySet[Warga]:
    """Tiga buta recorded for a child under 13 (possible from old imports)."""
    today = today or timezone.localdate()
    try:
        born_after = today.replace(year=today.year - 13)
    except ValueError:  # 29 February
        born_after = today.replace(year=today.year - 13, day=28)
    return (
        warga_for_user(user)
        .filter(tiga_buta=True, tanggal_lahir__gt=born_after)
        .select_related("dasawisma")
        .order_by("dasawisma__path", "id")
    )


DATA_QUALITY_CHECKS = {
    "nik": ("NIK tidak cocok dengan tanggal lahir atau jenis kelamin", nik_mismatch),
    "kepala": ("Rumah tangga tanpa kepala rumah tangga aktif", tanpa_kepala),
    "hamil_lama": ("Kehamilan terbuka lebih dari 10 bulan", hamil_lama),
    "hamil_ibu_keluar": ("Kehamilan terbuka, ibu sudah meninggal atau pindah", hamil_ibu_keluar),
    "kosong": ("Rumah tangga tanpa warga aktif", rumah_tangga_kosong),
    "tiga_buta": ("Tiga buta tercatat untuk anak di bawah 13 tahun", tiga_buta_anak),
}
