"""Scoped reads of the desa binaan programme. Who sees what (DOMAIN.md section 2 and 7):

- admin kabupaten: every designation and desa binaan of its kabupaten (reads; designates);
- pembina kecamatan: the desa binaan whose pembina is its kecamatan (visits, follow-ups);
- TP PKK desa: its own desa binaan page, its finished visits and their follow-ups (answers them).

Anything else answers 404 (never revealing that the object exists).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from pkk.models import Level, Role, Unit
from pkk.scope import assignments, can, is_global

from .models import DesaBinaan, Kunjungan, KunjunganFoto, Penetapan, TindakLanjut

READ_ROLES = (Role.ADMIN_KABUPATEN, Role.PEMBINA_KECAMATAN, Role.TP_PKK_DESA)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def _units(user, role: str) -> list[Unit]:
    return [a.unit for a in assignments(user) if a.role == role]


def desa_binaan_q(user, prefix: str = "") -> Q:
    """Q over DesaBinaan (or ``<prefix>``-related rows) visible to ``user``."""
    if is_global(user):
        return Q()
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    for unit in _units(user, Role.ADMIN_KABUPATEN):
        q |= Q(**{f"{prefix}penetapan__kabupaten": unit})
    for unit in _units(user, Role.PEMBINA_KECAMATAN):
        q |= Q(**{f"{prefix}pembina": unit, f"{prefix}is_active": True})
    for unit in _units(user, Role.TP_PKK_DESA):
        q |= Q(**{f"{prefix}desa": unit, f"{prefix}is_active": True})
    return q


def desa_binaan_for_user(user) -> QuerySet[DesaBinaan]:
    return DesaBinaan.objects.filter(desa_binaan_q(user)).select_related("desa", "pembina", "penetapan")


def get_desa_binaan_for_user(user, pk: Any) -> DesaBinaan:
    try:
        return desa_binaan_for_user(user).get(pk=_pk(pk))
    except DesaBinaan.DoesNotExist:
        raise Http404 from None


def may_visit(user, desa_binaan: DesaBinaan) -> bool:
    """Visits and follow-up confirmations: the pembina kecamatan named for this desa binaan."""
    return desa_binaan.is_active and can(user, desa_binaan.pembina, Role.PEMBINA_KECAMATAN)


def is_desa_of(user, desa_binaan: DesaBinaan) -> bool:
    return desa_binaan.is_active and can(user, desa_binaan.desa, Role.TP_PKK_DESA)


def may_designate(user, kabupaten: Unit) -> bool:
    return kabupaten.level == Level.KABUPATEN and can(user, kabupaten, Role.ADMIN_KABUPATEN)


def kunjungan_for_user(user) -> QuerySet[Kunjungan]:
    """Visits of the desa binaan the user sees; drafts only to the pembina (and admin) who may read them."""
    qs = Kunjungan.objects.filter(desa_binaan_q(user, "desa_binaan__"))
    if is_global(user):
        return qs
    # A desa sees finished visits only; a pembina or admin also sees drafts.
    staff = Q(pk__in=[])
    for unit in _units(user, Role.ADMIN_KABUPATEN):
        staff |= Q(desa_binaan__penetapan__kabupaten=unit)
    for unit in _units(user, Role.PEMBINA_KECAMATAN):
        staff |= Q(desa_binaan__pembina=unit)
    return qs.filter(staff | Q(status=Kunjungan.Status.SELESAI))


def get_kunjungan_for_user(user, pk: Any) -> Kunjungan:
    try:
        return (
            kunjungan_for_user(user)
            .select_related("desa_binaan__desa", "desa_binaan__pembina", "desa_binaan__penetapan")
            .get(pk=_pk(pk))
        )
    except Kunjungan.DoesNotExist:
        raise Http404 from None


def tindak_lanjut_for_user(user) -> QuerySet[TindakLanjut]:
    return TindakLanjut.objects.filter(kunjungan__in=kunjungan_for_user(user))


def get_tindak_lanjut_for_user(user, pk: Any) -> TindakLanjut:
    try:
        return (
            tindak_lanjut_for_user(user)
            .select_related("kunjungan", "desa_binaan__desa", "desa_binaan__pembina", "desa_binaan__penetapan")
            .get(pk=_pk(pk))
        )
    except TindakLanjut.DoesNotExist:
        raise Http404 from None


def get_foto_for_user(user, pk: Any) -> KunjunganFoto:
    try:
        return KunjunganFoto.objects.select_related("kunjungan__desa_binaan").get(
            pk=_pk(pk), kunjungan__in=kunjungan_for_user(user)
        )
    except KunjunganFoto.DoesNotExist:
        raise Http404 from None


def penetapan_for_user(user) -> QuerySet[Penetapan]:
    """A decree is seen by the admin of its kabupaten and by the pembina/desa of one of its desa binaan."""
    if is_global(user):
        return Penetapan.objects.all()
    kab = [u.pk for u in _units(user, Role.ADMIN_KABUPATEN)]
    seen = DesaBinaan.objects.filter(desa_binaan_q(user)).values("penetapan_id")
    return Penetapan.objects.filter(Q(kabupaten_id__in=kab) | Q(pk__in=seen)).distinct()


def get_penetapan_for_user(user, pk: Any) -> Penetapan:
    try:
        return penetapan_for_user(user).select_related("kabupaten").get(pk=_pk(pk))
    except Penetapan.DoesNotExist:
        raise Http404 from None


def tim_choices(desa_binaan: DesaBinaan):
    """Accounts of the pembina kecamatan (any active role on the kecamatan unit itself)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__unit=desa_binaan.pembina,
            role_assignments__is_active=True,
        )
        .distinct()
        .order_by("first_name", "username")
    )


def open_tindak_lanjut_before(kunjungan: Kunjungan) -> QuerySet[TindakLanjut]:
    """Follow-ups of earlier finished visits of the same desa binaan that are not done yet (a later visit
    may mark them done)."""
    return (
        TindakLanjut.objects.filter(desa_binaan=kunjungan.desa_binaan, kunjungan__status=Kunjungan.Status.SELESAI)
        .exclude(status=TindakLanjut.Status.SELESAI)
        .exclude(kunjungan=kunjungan)
        .select_related("kunjungan")
        .order_by("batas_waktu", "pk")
    )
