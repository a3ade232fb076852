"""Reporting writes: keeping the stored rekap current (``refresh_dasawisma``) and rebuilding it.

Flow: a data-entry service writes a ``DasawismaChange`` outbox row in its own transaction and, on commit,
sends the Celery task ``reporting.refresh_dasawisma`` (``dasawisma.outbox``). The task (``tasks.py``)
debounces and calls ``refresh_dasawisma`` below, which consumes *all* outbox rows of that dasawisma: a
task that comes later finds nothing and returns at once. A row is deleted only in the transaction that
recomputed its periods, so a lost task leaves it for ``sweep_outbox``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from dasawisma.models import DasawismaChange
from pkk.models import Level, Unit
from pkk.scope import can
from pkk.tasks_bridge import publish_on_commit

from . import rollup
from .books import BUKU_II, JenisLaporan
from .models import KunciPeriode, KunciRiwayat, Laporan, LaporanRiwayat, RekapTahunan
from .periods import deadline, normalize_periode, periode_ended, periode_label
from .selectors_cycle import (
    LOCKER_ROLES,
    SUBMITTED,
    SUBMITTER,
    UNLOCKER_ROLES,
    ancestor_at,
    can_review,
    can_verify,
    desa_of,
    laporan_counts,
    periode_is_locked,
    reviewer_q,
    structure_snapshot,
)

logger = logging.getLogger(__name__)


def refresh_dasawisma(dasawisma_id: int, *, today: dt.date | None = None) -> dict[str, Any]:
    """Bring the stored rekap of one dasawisma and of its ancestors up to date with its outbox.

    In one transaction: lock the dasawisma and its ancestors (top-down, see ``rollup.store.lock_chain``),
    read its outbox rows, recompute the dasawisma for the affected periods (``rollup.affected_periods``:
    from the earliest ``since`` to the current year and month), then each ancestor as the sum of its
    children's stored rows (one statement per ancestor and book), and delete exactly the outbox rows read.
    Locked periods are never changed. Idempotent: with an empty outbox it does nothing.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        chain = rollup.lock_and_load_chain(dasawisma_id)
        changes = list(DasawismaChange.objects.filter(dasawisma_id=dasawisma_id).values_list("id", "since"))
        if not changes:
            return {"dasawisma_id": dasawisma_id, "changes": 0}
        unit = chain[-1]
        if unit.level != Level.DASAWISMA:  # defensive: the outbox only names dasawisma
            DasawismaChange.objects.filter(id__in=[c[0] for c in changes]).delete()
            return {"dasawisma_id": dasawisma_id, "changes": 0}
        since = min(s for _, s in changes)
        years, months = rollup.affected_periods(unit, since, today)
        rollup.recompute_dasawisma(chain, years, months)
        DasawismaChange.objects.filter(id__in=[c[0] for c in changes]).delete()
    logger.info("rekap dasawisma %s: %d perubahan, tahun %s, %d bulan", dasawisma_id, len(changes), years, len(months))
    return {
        "dasawisma_id": dasawisma_id,
        "changes": len(changes),
        "years": years,
        "months": [m.isoformat() for m in months],
    }


def rebuild_unit_period(*, unit, jenis: str, periode: dt.date) -> dict[str, Any]:
    """Recompute one unit's subtree (and its ancestors) for one period: e.g. right after a period is
    unlocked, so that edits made while it was locked reach the stored rows. ``jenis``: BUKU_II | BUKU_III;
    ``periode``: 1 January of the year (BUKU_II) or the first of the month (BUKU_III)."""
    if jenis == BUKU_II:
        result = rollup.rebuild_periods(unit, [periode.year], [])
    else:
        result = rollup.rebuild_periods(unit, [], [periode.replace(day=1)])
    return {"seconds": result["seconds"]}


def stale_outbox_dasawisma(*, older_than_seconds: int = 60) -> list[int]:
    """Dasawisma with an outbox row older than the given age (their task was lost or failed)."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return sorted(set(DasawismaChange.objects.filter(created_at__lt=cutoff).values_list("dasawisma_id", flat=True)))


def rebuild_current(*, today: dt.date | None = None) -> dict[str, Any]:
    """The nightly safety net: Buku II of the current year and Buku III of the current month, everything.

    Up to the submission deadline day the previous month is rebuilt too: kader still complete it then.
    """
    from django.conf import settings

    today = today or timezone.localdate()
    months = [today.replace(day=1)]
    if today.day <= settings.PKK_DEADLINE_DAY:
        months.append((months[0] - dt.timedelta(days=1)).replace(day=1))
    result = rollup.rebuild_periods(None, [today.year], months)
    return {
        "years": result["years"],
        "months": [m.isoformat() for m in result["months"]],
        "seconds": round(result["seconds"], 3),
    }


def rebuild_structure(*, unit_id: int, today: dt.date | None = None) -> dict[str, Any]:
    """After a structure change (an RT moved, a unit deactivated) under ``unit_id``: rebuild its subtree
    and ancestors for every year already stored for it and the current year (Buku II and the twelve months
    of Buku III each). Locked periods stay as they are."""
    from pkk.models import Unit

    today = today or timezone.localdate()
    unit = Unit.objects.get(pk=unit_id)
    years = set(RekapTahunan.objects.filter(unit_id=unit_id).values_list("tahun", flat=True)) | {today.year}
    seconds = 0.0
    for tahun in sorted(years):
        seconds += rollup.rebuild(unit, tahun=tahun)["seconds"]
    return {"years": sorted(years), "seconds": round(seconds, 3)}


# ============================================================================ the reporting cycle
# Submission tier by tier, review, period locks (DOMAIN.md sections 2 and 6). Every write is atomic and
# recorded (``LaporanRiwayat`` / ``KunciRiwayat``). Decisions where the spec is silent (docs/cycle.md):
# - A unit submits a period only after it has ended; ``terlambat`` is fixed by the *first* submission.
# - The desa may submit its own report when none of its dasawisma reports of the period waits for its
#   review; the kecamatan likewise for its desa reports. Dasawisma that did not submit show as missing.
# - Once the report of the tier above is submitted or accepted, the reports below it of that period are
#   frozen (no submission, review or reopening) until the tier above gets it back.
# - A ketua kelompok verifies a dasawisma report (or returns it); the TP PKK desa accepts or returns it,
#   verified or not. The pembina accepts or returns desa reports; the admin kabupaten kecamatan reports.


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _lock_desa_row(unit) -> None:
    """Serialise submissions and locks of one desa (PostgreSQL row lock; a no-op on SQLite)."""

    desa_id = desa_of(unit) or (unit.pk if unit.level in (Level.KECAMATAN,) else None)
    if desa_id is not None:
        list(Unit.objects.select_for_update().filter(pk=desa_id).values_list("pk", flat=True))


def _tier_above_holds(unit, jenis: str, periode: dt.date):
    """The report of the tier above ``unit`` for the period when it is submitted or accepted, else None."""

    above = {Level.DASAWISMA: 4, Level.DESA: 3}.get(unit.level)
    if above is None:
        return None
    return (
        Laporan.objects.filter(  # type: ignore[misc]  # the ancestor exists at a reporting tier
            unit_id=ancestor_at(unit, above), jenis=jenis, periode=periode, status__in=SUBMITTED
        )
        .select_related("unit")
        .first()
    )


def _check_not_frozen(unit, jenis: str, periode: dt.date) -> None:

    held = _tier_above_holds(unit, jenis, periode)
    if held is not None:
        raise ValidationError(
            {
                "periode": f"Laporan {held.unit} {periode_label(jenis, periode)} sudah "
                f"{held.get_status_display().lower()} di tingkat atasnya; laporan di bawahnya tidak dapat diubah "
                f"sampai laporan {held.unit} dikembalikan."
            }
        )


@transaction.atomic
def laporan_submit(*, unit=None, dasawisma=None, jenis: str, periode, actor, now: dt.datetime | None = None):
    """A unit submits its report of a period to the tier above: a kader for the dasawisma (Buku III of a
    month, Buku II of a year), the TP PKK desa for the desa (4.19a / 4.17a), the pembina for the kecamatan."""

    unit = unit or dasawisma
    role = SUBMITTER.get(unit.level)
    if role is None or not unit.is_active:
        raise ValidationError({"unit": "Laporan hanya dapat diajukan oleh dasawisma, desa, atau kecamatan yang aktif."})
    if not can(actor, unit, role):
        who = {Level.DASAWISMA: "kader dasawisma", Level.DESA: "TP PKK desa", Level.KECAMATAN: "pembina kecamatan"}
        raise PermissionDenied(f"Hanya {who[unit.level]} ini yang dapat mengajukan laporan.")
    if jenis not in JenisLaporan.values:
        raise ValidationError({"jenis": "Jenis laporan tidak dikenal."})
    moment = _now(now)
    today = timezone.localdate(moment)
    periode = normalize_periode(jenis, periode)
    label = periode_label(jenis, periode)
    if not periode_ended(jenis, periode, today):
        raise ValidationError(
            {"periode": f"Periode {label} belum berakhir; laporan dapat diajukan setelah periode berakhir."}
        )
    _lock_desa_row(unit)
    if unit.level == Level.DASAWISMA and periode_is_locked(unit, jenis, periode):
        raise ValidationError(
            {"periode": f"Periode {label} sudah dikunci oleh TP PKK desa; laporan tidak dapat diajukan."}
        )
    _check_not_frozen(unit, jenis, periode)
    below = {Level.DESA: Level.DASAWISMA, Level.KECAMATAN: Level.DESA}.get(unit.level)
    if below:
        waiting = laporan_counts(unit, jenis, periode, level=below).diajukan
        if waiting:
            what = "dasawisma" if below == Level.DASAWISMA else "desa"
            raise ValidationError(
                {
                    "periode": f"{waiting} laporan {what} {label} masih menunggu verifikasi Anda; "
                    "terima atau kembalikan lebih dulu."
                }
            )
    late = today > deadline(jenis, periode, unit.level)
    laporan = Laporan.objects.select_for_update().filter(unit=unit, jenis=jenis, periode=periode).first()
    if laporan is None:
        laporan = Laporan(
            unit=unit, jenis=jenis, periode=periode, submitted_at=moment, submitted_by=actor, terlambat=late
        )
    elif laporan.status == Laporan.Status.DIKEMBALIKAN:
        # Re-submission after a return: lateness stays what the first submission decided.
        laporan.status = Laporan.Status.DIAJUKAN
        laporan.submitted_at = moment
        laporan.submitted_by = actor
        laporan.verified_at = laporan.verified_by = None
    elif laporan.status == Laporan.Status.DITERIMA:
        raise ValidationError({"periode": f"Laporan {label} sudah diterima; tidak perlu diajukan lagi."})
    else:
        raise ValidationError({"periode": f"Laporan {label} sudah diajukan dan sedang menunggu verifikasi."})
    laporan.full_clean(exclude=["unit", "submitted_by", "reviewed_by", "verified_by"], validate_unique=False)
    laporan.save()
    LaporanRiwayat.objects.create(laporan=laporan, aksi=LaporanRiwayat.Aksi.AJUKAN, terlambat=late, actor=actor)
    return laporan


def _check_reviewable(laporan, actor, *, verify_ok: bool = False) -> str:
    """'review' or 'verify' (what the actor may do with this waiting report), else raise."""

    if can_review(actor, laporan):
        mode = "review"
    elif verify_ok and can_verify(actor, laporan):
        mode = "verify"
    else:
        raise PermissionDenied("Anda tidak berwenang memverifikasi laporan ini.")
    label = periode_label(laporan.jenis, laporan.periode)
    if laporan.status != Laporan.Status.DIAJUKAN:
        raise ValidationError(
            {
                "status": f"Laporan {label} berstatus {laporan.get_status_display().lower()}; "
                "hanya laporan yang diajukan dapat diverifikasi."
            }
        )
    if mode == "verify" and laporan.verified_at:
        raise ValidationError({"status": f"Laporan {label} sudah diverifikasi dan menunggu keputusan TP PKK desa."})
    if laporan.unit.level == Level.DASAWISMA and periode_is_locked(laporan.unit, laporan.jenis, laporan.periode):
        raise ValidationError({"periode": f"Periode {label} sudah dikunci."})
    _check_not_frozen(laporan.unit, laporan.jenis, laporan.periode)
    return mode


@transaction.atomic
def laporan_accept(*, laporan, actor, now: dt.datetime | None = None):
    """The tier above accepts the report; a ketua kelompok's acceptance is a verification (the report then
    waits for the TP PKK desa)."""

    laporan = Laporan.objects.select_for_update().select_related("unit").get(pk=laporan.pk)
    mode = _check_reviewable(laporan, actor, verify_ok=True)
    moment = _now(now)
    if mode == "verify":
        laporan.verified_at, laporan.verified_by = moment, actor
        laporan.save(update_fields=["verified_at", "verified_by", "updated_at"])
        aksi = LaporanRiwayat.Aksi.VERIFIKASI
    else:
        laporan.status = Laporan.Status.DITERIMA
        laporan.reviewed_at, laporan.reviewed_by, laporan.alasan = moment, actor, ""
        laporan.save(update_fields=["status", "reviewed_at", "reviewed_by", "alasan", "updated_at"])
        aksi = LaporanRiwayat.Aksi.TERIMA
    LaporanRiwayat.objects.create(laporan=laporan, aksi=aksi, terlambat=laporan.terlambat, actor=actor)
    return laporan


@transaction.atomic
def laporan_return(*, laporan, alasan: str, actor, now: dt.datetime | None = None):
    """The tier above (or a ketua kelompok verifying) returns the report to its unit with a reason."""

    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Alasan pengembalian wajib diisi."})
    laporan = Laporan.objects.select_for_update().select_related("unit").get(pk=laporan.pk)
    _check_reviewable(laporan, actor, verify_ok=True)
    laporan.status = Laporan.Status.DIKEMBALIKAN
    laporan.reviewed_at, laporan.reviewed_by, laporan.alasan = _now(now), actor, alasan
    laporan.save(update_fields=["status", "reviewed_at", "reviewed_by", "alasan", "updated_at"])
    LaporanRiwayat.objects.create(
        laporan=laporan, aksi=LaporanRiwayat.Aksi.KEMBALIKAN, alasan=alasan, terlambat=laporan.terlambat, actor=actor
    )
    return laporan


@transaction.atomic
def laporan_reopen(*, laporan, alasan: str, actor, now: dt.datetime | None = None):
    """The TP PKK desa sends an accepted dasawisma report back for correction (e.g. after the kecamatan
    returned the desa report): it becomes *dikembalikan* with the reason, and the kader submits again."""

    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Alasan membuka kembali wajib diisi."})
    laporan = Laporan.objects.select_for_update().select_related("unit").get(pk=laporan.pk)
    if not can_review(actor, laporan):
        raise PermissionDenied("Anda tidak berwenang membuka kembali laporan ini.")
    label = periode_label(laporan.jenis, laporan.periode)
    if laporan.status != Laporan.Status.DITERIMA:
        raise ValidationError({"status": f"Hanya laporan yang sudah diterima dapat dibuka kembali ({label})."})
    if periode_is_locked(laporan.unit, laporan.jenis, laporan.periode):
        raise ValidationError({"periode": f"Periode {label} sudah dikunci; minta kecamatan membuka kuncinya."})
    _check_not_frozen(laporan.unit, laporan.jenis, laporan.periode)
    laporan.status = Laporan.Status.DIKEMBALIKAN
    laporan.reviewed_at, laporan.reviewed_by, laporan.alasan = _now(now), actor, alasan
    laporan.save(update_fields=["status", "reviewed_at", "reviewed_by", "alasan", "updated_at"])
    LaporanRiwayat.objects.create(
        laporan=laporan, aksi=LaporanRiwayat.Aksi.BUKA, alasan=alasan, terlambat=laporan.terlambat, actor=actor
    )
    return laporan


def laporan_accept_many(*, laporan_ids: list[int], actor, now: dt.datetime | None = None) -> int:
    """Accept (or, for a ketua kelompok, verify) every listed report the actor may; returns how many."""

    done = 0
    for laporan in Laporan.objects.filter(reviewer_q(actor), pk__in=laporan_ids, status=Laporan.Status.DIAJUKAN):
        try:
            with transaction.atomic():
                laporan_accept(laporan=laporan, actor=actor, now=now)
        except (ValidationError, PermissionDenied):
            continue
        done += 1
    return done


@transaction.atomic
def periode_lock(*, unit, jenis: str, periode, actor, today: dt.date | None = None):
    """A TP PKK desa locks a period of its desa once every submitted report of it is accepted; the lock
    records the structure of the period (the units registered below the desa)."""

    if unit.level != Level.DESA:
        raise ValidationError({"unit": "Periode hanya dapat dikunci di tingkat desa/kelurahan."})
    if not can(actor, unit, *LOCKER_ROLES):
        raise PermissionDenied("Hanya TP PKK desa yang dapat mengunci periode.")
    periode = normalize_periode(jenis, periode)
    label = periode_label(jenis, periode)
    if not periode_ended(jenis, periode, today or timezone.localdate()):
        raise ValidationError(
            {"periode": f"Periode {label} belum berakhir; periode hanya dapat dikunci setelah berakhir."}
        )
    _lock_desa_row(unit)
    if KunciPeriode.objects.filter(unit=unit, jenis=jenis, periode=periode).exists():
        raise ValidationError({"periode": f"Periode {label} sudah dikunci."})
    counts = laporan_counts(unit, jenis, periode)
    if counts.diajukan or counts.dikembalikan:
        problems = []
        if counts.diajukan:
            problems.append(f"{counts.diajukan} laporan masih menunggu verifikasi")
        if counts.dikembalikan:
            problems.append(f"{counts.dikembalikan} laporan dikembalikan dan belum diajukan ulang")
        raise ValidationError(
            {
                "periode": f"Periode {label} belum dapat dikunci: {' dan '.join(problems)}. "
                "Semua laporan yang diajukan harus diterima lebih dulu."
            }
        )
    try:
        with transaction.atomic():
            kunci = KunciPeriode.objects.create(
                unit=unit,
                jenis=jenis,
                periode=periode,
                locked_by=actor,
                struktur=structure_snapshot(unit, jenis, periode),
            )
    except IntegrityError:
        raise ValidationError({"periode": f"Periode {label} sudah dikunci."}) from None
    KunciRiwayat.objects.create(unit=unit, jenis=jenis, periode=periode, aksi=KunciRiwayat.Aksi.KUNCI, actor=actor)
    return kunci


@transaction.atomic
def periode_unlock(*, unit, jenis: str, periode, alasan: str, actor) -> None:
    """A pembina kecamatan or admin kabupaten opens a locked period of a desa again (reason required)."""

    if not can(actor, unit, *UNLOCKER_ROLES):
        raise PermissionDenied("Hanya pembina kecamatan atau admin kabupaten yang dapat membuka kunci periode.")
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Alasan membuka kunci wajib diisi."})
    periode = normalize_periode(jenis, periode)
    deleted, _ = KunciPeriode.objects.filter(unit=unit, jenis=jenis, periode=periode).delete()
    if not deleted:
        raise ValidationError({"periode": f"Periode {periode_label(jenis, periode)} tidak sedang dikunci."})
    KunciRiwayat.objects.create(
        unit=unit, jenis=jenis, periode=periode, aksi=KunciRiwayat.Aksi.BUKA, alasan=alasan, actor=actor
    )
    # Edits made while the period was locked must now reach the stored numbers.
    from .tasks import rebuild_unit_period

    unit_id, iso = unit.pk, periode.isoformat()
    # A broker that is down is logged; the nightly rebuild is the safety net.
    publish_on_commit(lambda: rebuild_unit_period.delay(unit_id, jenis, iso), f"rebuild_unit_period({unit_id})")
