"""Scoped reads of kegiatan: a user sees the kegiatan of every unit in their subtrees (a kecamatan its
desa's, a kabupaten all); counts per pokja in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from pkk.models import PATH_END, Unit
from pkk.scope import assignments, is_global, path_q

from .models import PELAPOR_ROLE, POKJA_NAMA, Kegiatan, KegiatanFoto, Pokja

# Roles that read kegiatan (kader and ketua kelompok do not: their units report none).
PEMBACA_ROLES = tuple(PELAPOR_ROLE.values())
LEVELS = tuple(PELAPOR_ROLE)


def kegiatan_for_user(user) -> QuerySet[Kegiatan]:
    return Kegiatan.objects.filter(path_q(user, "unit__path")).select_related("unit")


def get_kegiatan_for_user(user, kegiatan_id) -> Kegiatan:
    """The kegiatan if it lies in the user's scope, else 404 (never reveal that it exists)."""
    try:
        return kegiatan_for_user(user).get(pk=int(kegiatan_id))
    except (Kegiatan.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def get_foto_for_user(user, foto_id) -> KegiatanFoto:
    try:
        return KegiatanFoto.objects.select_related("kegiatan__unit").get(
            path_q(user, "kegiatan__unit__path"), pk=int(foto_id)
        )
    except (KegiatanFoto.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def may_report(user, unit: Unit) -> bool:
    """Only the unit's own team writes its kegiatan: TP PKK desa for its desa, the pembina for its
    kecamatan, the admin for its kabupaten (not the units above, which only read)."""
    if unit.level not in PELAPOR_ROLE:
        return False
    if is_global(user):
        return True
    role = PELAPOR_ROLE[unit.level]
    return any(a.role == role and a.unit_id == unit.pk for a in assignments(user))


def units_user_reports_for(user) -> list[Unit]:
    """The units the user may report kegiatan for (their own desa/kecamatan/kabupaten)."""
    if is_global(user):
        return list(Unit.objects.filter(level__in=LEVELS, is_active=True).order_by("path")[:200])
    return sorted((a.unit for a in assignments(user) if PELAPOR_ROLE.get(a.unit.level) == a.role), key=lambda u: u.path)


def filter_kegiatan(
    qs: QuerySet[Kegiatan], *, unit: Unit | None = None, pokja: str = "", bulan: dt.date | None = None
) -> QuerySet[Kegiatan]:
    """The list filters: a unit's subtree, one pokja, one month."""
    if unit is not None:
        qs = qs.filter(unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END)
    if pokja:
        qs = qs.filter(pokja=pokja)
    if bulan is not None:
        start = bulan.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
        qs = qs.filter(tanggal__gte=start, tanggal__lt=end)
    return qs


@dataclass(frozen=True)
class PokjaCount:
    pokja: str
    label: str  # "Pokja I"
    nama: str  # "Pembinaan Karakter Keluarga"
    jumlah: int


def kegiatan_per_pokja(unit: Unit, tahun: int, bulan: int | dt.date | None = None) -> list[PokjaCount]:
    """Kegiatan of ``unit`` and every unit under it in ``tahun`` (or in one month of it), per pokja: one
    ``GROUP BY`` query. Every pokja is listed, zero included, in the order of ``Pokja``.

    ``bulan``: a month number 1-12 or a date inside the month. The caller checks scope."""
    if isinstance(bulan, dt.date):
        if bulan.year != tahun:
            raise ValueError("bulan must lie in tahun")
        bulan = bulan.month
    if bulan is None:
        start, end = dt.date(tahun, 1, 1), dt.date(tahun + 1, 1, 1)
    else:
        if not 1 <= bulan <= 12:
            raise ValueError("bulan must be 1-12")
        start = dt.date(tahun, bulan, 1)
        end = dt.date(tahun + (bulan == 12), bulan % 12 + 1, 1)
    counts = dict(
        Kegiatan.objects.filter(
            unit__path__gte=unit.path, unit__path__lt=unit.path + PATH_END, tanggal__gte=start, tanggal__lt=end
        )
        .values("pokja")
        .annotate(n=Count("pk"))
        .values_list("pokja", "n")
    )
    return [PokjaCount(p.value, p.label, POKJA_NAMA[p], counts.get(p.value, 0)) for p in Pokja]


def buku_kegiatan_rows(unit: Unit, tahun: int) -> QuerySet[Kegiatan]:
    """The Buku Kegiatan of a unit: its own kegiatan of the year (not those of the units below), by date."""
    return Kegiatan.objects.filter(unit=unit, tanggal__year=tahun).order_by("tanggal", "pk")
