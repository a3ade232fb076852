"""Locking one period for every desa of a kecamatan or of the kabupaten at once (admin kabupaten, issue 10).

The bulk lock calls the per-desa lock service (``services.periode_lock``) for each desa, in ONE transaction:
every desa is locked or none is. A desa whose period is already locked is left as it is. A desa that
cannot be locked yet (reports waiting for review or returned) stops the whole lock, naming each such desa,
unless the admin chose to skip them. Every lock is recorded like a desa's own (``KunciRiwayat``), with
"Kunci serentak <unit>" as its note, and the whole operation goes to the ``pkk.audit`` log.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pkk.models import PATH_END, PATH_SEGMENT, Level, Role, Unit
from pkk.scope import can

from . import periods, services
from .models import KunciPeriode, KunciRiwayat, Laporan

BULK_LOCK_LEVELS = (Level.KABUPATEN, Level.KECAMATAN)
BULK_LOCK_ROLES = (Role.ADMIN_KABUPATEN,)
audit_log = logging.getLogger("pkk.audit")


@dataclass
class BulkLockPlan:
    unit: Unit
    jenis: str
    periode: dt.date
    siap: list[Unit] = field(default_factory=list)
    sudah: list[Unit] = field(default_factory=list)
    tertahan: list[tuple[Unit, str]] = field(default_factory=list)
    ended: bool = False  # the period is over (set by the page)

    @property
    def label(self) -> str:
        return periods.periode_label(self.jenis, self.periode)

    @property
    def jumlah_desa(self) -> int:
        return len(self.siap) + len(self.sudah) + len(self.tertahan)


def bulk_lock_plan(*, unit: Unit, jenis: str, periode: dt.date | int) -> BulkLockPlan:
    """What a bulk lock would do, per active desa below ``unit`` (3 queries, whatever the number of desa)."""
    periode = periods.normalize_periode(jenis, periode)
    plan = BulkLockPlan(unit=unit, jenis=jenis, periode=periode)
    desa_list = list(Unit.objects.subtree(unit).filter(level=Level.DESA, is_active=True).order_by("path"))
    locked = set(
        KunciPeriode.objects.filter(unit__in=desa_list, jenis=jenis, periode=periode).values_list("unit_id", flat=True)
    )
    waiting: dict[int, list[int]] = {}
    rows = Laporan.objects.filter(
        jenis=jenis,
        periode=periode,
        status__in=(Laporan.Status.DIAJUKAN, Laporan.Status.DIKEMBALIKAN),
        unit__path__gte=unit.path,
        unit__path__lt=unit.path + PATH_END,
        unit__level=Level.DASAWISMA,  # the dasawisma reports (desa reports do not block a lock)
        unit__is_active=True,
    ).values_list("unit__path", "status")
    for path, status in rows:
        desa_id = int(path[3 * PATH_SEGMENT : 4 * PATH_SEGMENT])
        counts = waiting.setdefault(desa_id, [0, 0])
        counts[0 if status == Laporan.Status.DIAJUKAN else 1] += 1
    for desa in desa_list:
        if desa.pk in locked:
            plan.sudah.append(desa)
        elif desa.pk in waiting:
            diajukan, dikembalikan = waiting[desa.pk]
            reasons = []
            if diajukan:
                reasons.append(f"{diajukan} laporan menunggu verifikasi")
            if dikembalikan:
                reasons.append(f"{dikembalikan} laporan dikembalikan")
            plan.tertahan.append((desa, " dan ".join(reasons)))
        else:
            plan.siap.append(desa)
    return plan


@transaction.atomic
def periode_bulk_lock(
    *,
    unit: Unit,
    jenis: str,
    periode: dt.date | int,
    actor,
    lewati_tertahan: bool = False,
    today: dt.date | None = None,
) -> BulkLockPlan:
    """Lock ``periode`` for every active desa below ``unit`` (a kecamatan or the kabupaten), all or nothing."""
    if unit.level not in BULK_LOCK_LEVELS:
        raise ValidationError({"unit": "Kunci serentak hanya untuk kecamatan atau kabupaten/kota."})
    if not can(actor, unit, *BULK_LOCK_ROLES):
        raise PermissionDenied("Hanya admin kabupaten/kota yang dapat mengunci periode serentak.")
    periode = periods.normalize_periode(jenis, periode)
    label = periods.periode_label(jenis, periode)
    if not periods.periode_ended(jenis, periode, today or timezone.localdate()):
        raise ValidationError(
            {"periode": f"Periode {label} belum berakhir; periode hanya dapat dikunci setelah berakhir."}
        )
    plan = bulk_lock_plan(unit=unit, jenis=jenis, periode=periode)
    if plan.tertahan and not lewati_tertahan:
        names = "; ".join(f"{d} ({why})" for d, why in plan.tertahan[:10])
        more = f" dan {len(plan.tertahan) - 10} desa lain" if len(plan.tertahan) > 10 else ""
        raise ValidationError(
            {
                "periode": f"Periode {label} belum dapat dikunci serentak: {len(plan.tertahan)} desa belum siap: "
                f"{names}{more}. Tidak ada yang dikunci. Selesaikan verifikasinya, atau pilih "
                "“lewati desa yang belum siap”."
            }
        )
    started = timezone.now()
    for desa in plan.siap:
        services.periode_lock(unit=desa, jenis=jenis, periode=periode, actor=actor, today=today)
    KunciRiwayat.objects.filter(
        unit__in=plan.siap, jenis=jenis, periode=periode, aksi=KunciRiwayat.Aksi.KUNCI, actor=actor, at__gte=started
    ).update(alasan=f"Kunci serentak {unit}")
    audit_log.info(
        "periode_lock_serentak by=%s unit=%s jenis=%s periode=%s dikunci=%d sudah=%d dilewati=%d",
        getattr(actor, "username", "-"),
        unit.pk,
        jenis,
        periode.isoformat(),
        len(plan.siap),
        len(plan.sudah),
        len(plan.tertahan),
    )
    return plan
