"""The reporting cycle: submission, review, period locks, completeness (DOMAIN.md sections 2 and 6).

Services (``laporan_*``, ``periode_*``) write: atomic, validated, recorded in ``LaporanRiwayat`` /
``KunciRiwayat``. Selectors read inside the user's scope. Decisions where the spec is silent:

- Only a kader of the dasawisma (or an operator) submits; a report may be submitted for the current
  or a past period, never a future one. ``terlambat`` is fixed by the *first* submission: a report
  that was on time and is returned for correction stays on time when it comes back.
- Reviewers: any user holding ketua_kelompok, tp_pkk_desa or pembina_kecamatan on an ancestor of the
  dasawisma (``pkk.scope.can``). Admin kabupaten does not review; it unlocks.
- Completeness counts reports that are *diajukan* or *diterima* (a returned report is back with the
  kader); timeliness counts those of them that were on time. Only active dasawisma count, in the
  numerator and in the denominator.
- A desa locks a period only after the period has ended and when none of its reports of that period
  is waiting for review or returned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, FilteredRelation, Max, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from pkk.models import PATH_END, PATH_SEGMENT, Level, Role, Unit
from pkk.scope import assignments, can, is_global, path_q
from pkk.tasks_bridge import publish_on_commit

from .models import JenisLaporan, KunciPeriode, KunciRiwayat, Laporan, LaporanRiwayat
from .periods import deadline

REVIEWER_ROLES = (Role.KETUA_KELOMPOK, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN)
LOCKER_ROLES = (Role.TP_PKK_DESA, Role.ADMIN_KABUPATEN)  # admin: period locks (DOMAIN.md 2), also in bulk
UNLOCKER_ROLES = (Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
SUBMITTED = (Laporan.Status.DIAJUKAN, Laporan.Status.DITERIMA)

BULAN_NAMA = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip


# --------------------------------------------------------------------------- periods


def normalize_periode(jenis: str, periode: dt.date | int) -> dt.date:
    """First day of the month (Buku III) or 1 January (Buku II); an int is read as a year."""
    if isinstance(periode, int):
        return dt.date(periode, 1, 1)
    if jenis == JenisLaporan.BUKU_II:
        return dt.date(periode.year, 1, 1)
    return periode.replace(day=1)


def periode_label(jenis: str, periode: dt.date) -> str:
    if jenis == JenisLaporan.BUKU_II:
        return f"Buku II tahun {periode.year}"
    return f"Buku III {BULAN_NAMA[periode.month - 1]} {periode.year}"


def periode_key(jenis: str, periode: dt.date) -> str:
    """``YYYY`` (Buku II) or ``YYYY-MM`` (Buku III), as used in forms and URLs."""
    return str(periode.year) if jenis == JenisLaporan.BUKU_II else f"{periode:%Y-%m}"


def periode_ended(jenis: str, periode: dt.date, today: dt.date) -> bool:
    if jenis == JenisLaporan.BUKU_II:
        return periode.year < today.year
    return (periode.year, periode.month) < (today.year, today.month)


def _is_future(jenis: str, periode: dt.date, today: dt.date) -> bool:
    if jenis == JenisLaporan.BUKU_II:
        return periode.year > today.year
    return (periode.year, periode.month) > (today.year, today.month)


def periode_terkunci(unit: Unit, jenis: str, periode: dt.date | int) -> bool:
    """True if ``unit`` or one of its ancestors (a desa) has locked this period (one query)."""
    return KunciPeriode.objects.filter(
        unit_id__in=unit.ancestor_ids(include_self=True),
        jenis=jenis,
        periode=normalize_periode(jenis, periode),
    ).exists()


def desa_of(unit: Unit) -> int | None:
    """Id of the desa a unit below (or at) the desa tier belongs to (read from the path)."""
    # provinsi / kabupaten / kecamatan / desa are the first four path segments.
    if unit.depth < 4:
        return None
    return int(unit.path[3 * PATH_SEGMENT : 4 * PATH_SEGMENT])


def _lock_desa_row(unit: Unit) -> None:
    """Serialise submissions and locks of one desa (PostgreSQL row lock; a no-op on SQLite)."""
    desa_id = desa_of(unit)
    if desa_id is not None:
        list(Unit.objects.select_for_update().filter(pk=desa_id).values_list("pk", flat=True))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --------------------------------------------------------------------------- submission


@transaction.atomic
def laporan_submit(
    *, dasawisma: Unit, jenis: str, periode: dt.date | int, actor, now: dt.datetime | None = None
) -> Laporan:
    """A kader submits the dasawisma's Buku III (month) or Buku II (year)."""
    if dasawisma.level != Level.DASAWISMA or not dasawisma.is_active:
        raise ValidationError({"dasawisma": "Laporan hanya dapat diajukan oleh dasawisma yang aktif."})
    if not can(actor, dasawisma, Role.KADER):
        raise PermissionDenied("Hanya kader dasawisma ini yang dapat mengajukan laporan.")
    if jenis not in JenisLaporan.values:
        raise ValidationError({"jenis": "Jenis laporan tidak dikenal."})
    moment = _now(now)
    today = timezone.localdate(moment)
    periode = normalize_periode(jenis, periode)
    label = periode_label(jenis, periode)
    if _is_future(jenis, periode, today):
        raise ValidationError({"periode": f"Periode {label} belum berjalan; laporan belum dapat diajukan."})
    _lock_desa_row(dasawisma)
    if periode_terkunci(dasawisma, jenis, periode):
        raise ValidationError(
            {"periode": f"Periode {label} sudah dikunci oleh TP PKK desa; laporan tidak dapat diajukan."}
        )
    late = today > deadline(jenis, periode)
    laporan = Laporan.objects.select_for_update().filter(dasawisma=dasawisma, jenis=jenis, periode=periode).first()
    if laporan is None:
        laporan = Laporan(
            dasawisma=dasawisma, jenis=jenis, periode=periode, submitted_at=moment, submitted_by=actor, terlambat=late
        )
    elif laporan.status == Laporan.Status.DIKEMBALIKAN:
        # Re-submission after a return: lateness stays what the first submission decided.
        laporan.status = Laporan.Status.DIAJUKAN
        laporan.submitted_at = moment
        laporan.submitted_by = actor
    elif laporan.status == Laporan.Status.DITERIMA:
        raise ValidationError({"periode": f"Laporan {label} sudah diterima; tidak perlu diajukan lagi."})
    else:
        raise ValidationError({"periode": f"Laporan {label} sudah diajukan dan sedang menunggu verifikasi."})
    laporan.full_clean(exclude=["dasawisma", "submitted_by", "reviewed_by"], validate_unique=False)
    laporan.save()
    LaporanRiwayat.objects.create(laporan=laporan, aksi=LaporanRiwayat.Aksi.AJUKAN, terlambat=late, actor=actor)
    return laporan


# --------------------------------------------------------------------------- review


def can_review(user, laporan: Laporan) -> bool:
    return can(user, laporan.dasawisma, *REVIEWER_ROLES)


def reviewer_q(user, field: str = "dasawisma__path") -> Q:
    """Laporan the user may review: dasawisma below a unit where the user holds a reviewer role."""
    if is_global(user):
        return Q()
    q = Q(pk__in=[])
    for a in assignments(user):
        if a.role in REVIEWER_ROLES:
            q |= Q(**{f"{field}__gte": a.unit.path, f"{field}__lt": a.unit.path + PATH_END})
    return q


def _check_reviewable(laporan: Laporan, actor) -> None:
    if not can_review(actor, laporan):
        raise PermissionDenied("Anda tidak berwenang memverifikasi laporan ini.")
    label = periode_label(laporan.jenis, laporan.periode)
    if laporan.status != Laporan.Status.DIAJUKAN:
        raise ValidationError(
            {
                "status": f"Laporan {label} berstatus {laporan.get_status_display().lower()}; "
                "hanya laporan yang diajukan dapat diverifikasi."
            }
        )
    if periode_terkunci(laporan.dasawisma, laporan.jenis, laporan.periode):
        raise ValidationError({"periode": f"Periode {label} sudah dikunci."})


@transaction.atomic
def laporan_accept(*, laporan: Laporan, actor, now: dt.datetime | None = None) -> Laporan:
    laporan = Laporan.objects.select_for_update().select_related("dasawisma").get(pk=laporan.pk)
    _check_reviewable(laporan, actor)
    laporan.status = Laporan.Status.DITERIMA
    laporan.reviewed_at = _now(now)
    laporan.reviewed_by = actor
    laporan.alasan = ""
    laporan.save(update_fields=["status", "reviewed_at", "reviewed_by", "alasan", "updated_at"])
    LaporanRiwayat.objects.create(
        laporan=laporan, aksi=LaporanRiwayat.Aksi.TERIMA, terlambat=laporan.terlambat, actor=actor
    )
    return laporan


@transaction.atomic
def laporan_return(*, laporan: Laporan, alasan: str, actor, now: dt.datetime | None = None) -> Laporan:
    alasan = (alasan or "").strip()
    if not alasan:
        raise ValidationError({"alasan": "Alasan pengembalian wajib diisi."})
    laporan = Laporan.objects.select_for_update().select_related("dasawisma").get(pk=laporan.pk)
    _check_reviewable(laporan, actor)
    laporan.status = Laporan.Status.DIKEMBALIKAN
    laporan.reviewed_at = _now(now)
    laporan.reviewed_by = actor
    laporan.alasan = alasan
    laporan.save(update_fields=["status", "reviewed_at", "reviewed_by", "alasan", "updated_at"])
    LaporanRiwayat.objects.create(
        laporan=laporan, aksi=LaporanRiwayat.Aksi.KEMBALIKAN, alasan=alasan, terlambat=laporan.terlambat, actor=actor
    )
    return laporan


@transaction.atomic
def laporan_accept_many(*, laporan_ids: list[int], actor, now: dt.datetime | None = None) -> int:
    """Accept every listed report the actor may review and that waits for review; returns how many."""
    moment = _now(now)
    qs = (
        Laporan.objects.select_for_update()
        .filter(pk__in=laporan_ids, status=Laporan.Status.DIAJUKAN)
        .filter(reviewer_q(actor))
        .select_related("dasawisma")
    )
    accepted: list[Laporan] = []
    locks = _locked_desa_periods(qs)
    for laporan in qs:
        if (desa_of(laporan.dasawisma), laporan.jenis, laporan.periode) in locks:
            continue
        accepted.append(laporan)
    ids = [lap.pk for lap in accepted]
    Laporan.objects.filter(pk__in=ids).update(
        status=Laporan.Status.DITERIMA, reviewed_at=moment, reviewed_by=actor, alasan="", updated_at=moment
    )
    LaporanRiwayat.objects.bulk_create(
        [
            LaporanRiwayat(laporan=lap, aksi=LaporanRiwayat.Aksi.TERIMA, terlambat=lap.terlambat, actor=actor)
            for lap in accepted
        ]
    )
    return len(ids)


def _locked_desa_periods(laporan_qs) -> set[tuple[int | None, str, dt.date]]:
    pairs = {(lap.jenis, lap.periode) for lap in laporan_qs}
    if not pairs:
        return set()
    q = Q(pk__in=[])
    for jenis, periode in pairs:
        q |= Q(jenis=jenis, periode=periode)
    return {(u, j, p) for u, j, p in KunciPeriode.objects.filter(q).values_list("unit_id", "jenis", "periode")}


# --------------------------------------------------------------------------- period locks


@dataclass
class PeriodeStatus:
    jenis: str
    periode: dt.date
    diajukan: int = 0
    diterima: int = 0
    dikembalikan: int = 0

    @property
    def label(self) -> str:
        return periode_label(self.jenis, self.periode)

    @property
    def key(self) -> str:
        return periode_key(self.jenis, self.periode)


def laporan_counts(unit: Unit, jenis: str, periode: dt.date) -> PeriodeStatus:
    """Reports of the period below ``unit`` by status (one query)."""
    row = Laporan.objects.filter(
        jenis=jenis,
        periode=periode,
        dasawisma__path__gte=unit.path,
        dasawisma__path__lt=unit.path + PATH_END,
        dasawisma__is_active=True,
    ).aggregate(
        diajukan=Count("pk", filter=Q(status=Laporan.Status.DIAJUKAN)),
        diterima=Count("pk", filter=Q(status=Laporan.Status.DITERIMA)),
        dikembalikan=Count("pk", filter=Q(status=Laporan.Status.DIKEMBALIKAN)),
    )
    return PeriodeStatus(jenis=jenis, periode=periode, **row)


@transaction.atomic
def periode_lock(
    *, unit: Unit, jenis: str, periode: dt.date | int, actor, today: dt.date | None = None
) -> KunciPeriode:
    """A TP PKK desa locks a period of its desa once every submitted report of it is accepted."""
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
            kunci = KunciPeriode.objects.create(unit=unit, jenis=jenis, periode=periode, locked_by=actor)
    except IntegrityError:
        raise ValidationError({"periode": f"Periode {label} sudah dikunci."}) from None
    KunciRiwayat.objects.create(unit=unit, jenis=jenis, periode=periode, aksi=KunciRiwayat.Aksi.KUNCI, actor=actor)
    return kunci


@transaction.atomic
def periode_unlock(*, unit: Unit, jenis: str, periode: dt.date | int, alasan: str, actor) -> None:
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


# --------------------------------------------------------------------------- completeness


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class KelengkapanRow:
    unit: Unit
    terdaftar: int = 0
    diajukan: int = 0  # submitted (diajukan or diterima)
    tepat_waktu: int = 0
    status: str = ""  # only for a dasawisma row: its report's status ("" = not submitted)
    laporan_id: int | None = None

    @property
    def lengkap_pct(self) -> float | None:
        return percent(self.diajukan, self.terdaftar)

    @property
    def tepat_pct(self) -> float | None:
        return percent(self.tepat_waktu, self.terdaftar)

    @property
    def is_leaf(self) -> bool:
        return self.unit.level == Level.DASAWISMA


def kelengkapan(unit: Unit, jenis: str, periode: dt.date) -> tuple[KelengkapanRow, list[KelengkapanRow]]:
    """Completeness and timeliness of ``unit`` and of each of its active children, for one period.

    Two queries whatever the size of the tree: the children, and one grouped query over the active
    dasawisma below ``unit`` left-joined to their report of the period, grouped by the path prefix
    that names the child they sit under.
    """
    periode = normalize_periode(jenis, periode)
    total = KelengkapanRow(unit=unit)
    if unit.level == Level.DASAWISMA:
        children = [unit]
        child_len = len(unit.path)
    else:
        children = list(Unit.objects.filter(parent=unit, is_active=True).order_by("name", "pk"))
        child_len = len(unit.path) + PATH_SEGMENT
    rows = {c.path: KelengkapanRow(unit=c) for c in children}
    grouped = (
        Unit.objects.filter(level=Level.DASAWISMA, is_active=True, path__gte=unit.path, path__lt=unit.path + PATH_END)
        .annotate(
            lap=FilteredRelation("laporan", condition=Q(laporan__jenis=jenis, laporan__periode=periode)),
            child=Substr("path", 1, child_len),
        )
        .values("child")
        .annotate(
            terdaftar=Count("pk"),
            diajukan=Count("lap__pk", filter=Q(lap__status__in=SUBMITTED)),
            tepat_waktu=Count("lap__pk", filter=Q(lap__status__in=SUBMITTED, lap__terlambat=False)),
            status=Max("lap__status"),
            laporan_id=Max("lap__pk"),
        )
        .order_by()
    )
    for g in grouped:
        row = rows.get(g["child"])
        if row is None:  # below an inactive child: not registered in this view
            continue
        row.terdaftar = g["terdaftar"]
        row.diajukan = g["diajukan"]
        row.tepat_waktu = g["tepat_waktu"]
        if row.is_leaf:
            row.status = g["status"] or ""
            row.laporan_id = g["laporan_id"]
    result = list(rows.values())
    for row in result:
        total.terdaftar += row.terdaftar
        total.diajukan += row.diajukan
        total.tepat_waktu += row.tepat_waktu
    if unit.level == Level.DASAWISMA:
        total.status, total.laporan_id = result[0].status, result[0].laporan_id
    return total, result


# --------------------------------------------------------------------------- kader: what is due


@dataclass
class DueItem:
    dasawisma: Unit
    jenis: str
    periode: dt.date
    batas: dt.date
    laporan: Laporan | None = None
    terkunci: bool = False
    lewat: bool = False  # the deadline has passed

    @property
    def label(self) -> str:
        return periode_label(self.jenis, self.periode)

    @property
    def key(self) -> str:
        return periode_key(self.jenis, self.periode)

    @property
    def status(self) -> str:
        return self.laporan.status if self.laporan else ""

    @property
    def can_submit(self) -> bool:
        return not self.terkunci and (self.laporan is None or self.laporan.status == Laporan.Status.DIKEMBALIKAN)


def periods_listed(today: dt.date) -> list[tuple[str, dt.date]]:
    """Periods on a kader's list: this year's months up to now (plus last December in January),
    and Buku II of this year and of last year. Newest first."""
    months = [dt.date(today.year, m, 1) for m in range(today.month, 0, -1)]
    if today.month == 1:
        months.append(dt.date(today.year - 1, 12, 1))
    out = [(JenisLaporan.BUKU_III.value, m) for m in months]
    out += [
        (JenisLaporan.BUKU_II.value, dt.date(today.year, 1, 1)),
        (JenisLaporan.BUKU_II.value, dt.date(today.year - 1, 1, 1)),
    ]
    return out


def registered_from(unit: Unit) -> dt.date | None:
    """First day of the month the unit was registered (local date of ``Unit.created_at``)."""
    if unit.created_at is None:
        return None
    return timezone.localdate(unit.created_at).replace(day=1)


def periods_of(unit: Unit, periods: list[tuple[str, dt.date]]) -> list[tuple[str, dt.date]]:
    """The listed periods a dasawisma can owe: Buku III from the month it was registered on, Buku II
    from that year on. A dasawisma registered today owes nothing for the months before."""
    start = registered_from(unit)
    if start is None:
        return periods
    return [
        (jenis, periode)
        for jenis, periode in periods
        if periode >= (start if jenis == JenisLaporan.BUKU_III else start.replace(month=1))
    ]


def kader_dasawisma(user) -> list[Unit]:
    return sorted({a.unit.pk: a.unit for a in assignments(user) if a.role == Role.KADER}.values(), key=lambda u: u.path)


def jatuh_tempo(units: list[Unit], today: dt.date | None = None) -> list[tuple[Unit, list[DueItem]]]:
    """For each dasawisma: the listed periods (from its registration on, see ``periods_of``) with their
    report and lock state (2 queries)."""
    today = today or timezone.localdate()
    if not units:
        return []
    periods = periods_listed(today)
    period_q = Q(pk__in=[])
    for jenis, periode in periods:
        period_q |= Q(jenis=jenis, periode=periode)
    laporan = {
        (lap.dasawisma_id, lap.jenis, lap.periode): lap for lap in Laporan.objects.filter(period_q, dasawisma__in=units)
    }
    unit_ids = {u.pk for u in units} | {d for d in (desa_of(u) for u in units) if d}
    locks = set(KunciPeriode.objects.filter(period_q, unit_id__in=unit_ids).values_list("unit_id", "jenis", "periode"))
    out = []
    for u in units:
        items = []
        for jenis, periode in periods_of(u, periods):
            terkunci = (desa_of(u), jenis, periode) in locks or (u.pk, jenis, periode) in locks
            items.append(
                DueItem(
                    dasawisma=u,
                    jenis=jenis,
                    periode=periode,
                    batas=deadline(jenis, periode),
                    laporan=laporan.get((u.pk, jenis, periode)),
                    terkunci=terkunci,
                    lewat=today > deadline(jenis, periode),
                )
            )
        out.append((u, items))
    return out


def laporan_saya(user, today: dt.date | None = None) -> list[tuple[Unit, list[DueItem]]]:
    """What the kader's dasawisma have to submit (and what they did)."""
    return jatuh_tempo(kader_dasawisma(user), today)


# --------------------------------------------------------------------------- scoped reads


def get_laporan_for_user(user, laporan_id) -> Laporan:
    """The report if its dasawisma is in the user's scope, else 404."""
    try:
        pk = int(laporan_id)
    except (TypeError, ValueError):
        raise Http404 from None
    laporan = (
        Laporan.objects.select_related("dasawisma", "submitted_by", "reviewed_by")
        .filter(path_q(user, "dasawisma__path"), pk=pk)
        .first()
    )
    if laporan is None:
        raise Http404
    return laporan


def laporan_inbox(user, *, status: str = Laporan.Status.DIAJUKAN, jenis: str = "", periode: dt.date | None = None):
    """Reports the user may review, oldest period first (one query, RT and RW joined for the row labels)."""
    qs = Laporan.objects.filter(reviewer_q(user), dasawisma__is_active=True)
    if status:
        qs = qs.filter(status=status)
    if jenis:
        qs = qs.filter(jenis=jenis)
    if periode:
        qs = qs.filter(periode=periode)
    return qs.select_related("dasawisma__parent__parent", "submitted_by").order_by(
        "periode", "jenis", "dasawisma__path"
    )


def pending_review_count(user, unit: Unit) -> int:
    return Laporan.objects.filter(
        reviewer_q(user),
        status=Laporan.Status.DIAJUKAN,
        dasawisma__path__gte=unit.path,
        dasawisma__path__lt=unit.path + PATH_END,
    ).count()


def kunci_tahun(unit: Unit, tahun: int) -> list[dict]:
    """Lock state and report counts of a desa for Buku II of ``tahun`` and each of its months (2 queries)."""
    periods = [(JenisLaporan.BUKU_II.value, dt.date(tahun, 1, 1))] + [
        (JenisLaporan.BUKU_III.value, dt.date(tahun, m, 1)) for m in range(1, 13)
    ]
    counts: dict[tuple[str, dt.date], dict[str, int]] = {}
    for row in (
        Laporan.objects.filter(
            dasawisma__path__gte=unit.path,
            dasawisma__path__lt=unit.path + PATH_END,
            dasawisma__is_active=True,
            periode__gte=dt.date(tahun, 1, 1),
            periode__lte=dt.date(tahun, 12, 1),
        )
        .values("jenis", "periode", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts.setdefault((row["jenis"], row["periode"]), {})[row["status"]] = row["n"]
    locks = {
        (k.jenis, k.periode): k
        for k in KunciPeriode.objects.filter(unit=unit, periode__year=tahun).select_related("locked_by")
    }
    out = []
    for jenis, periode in periods:
        c = counts.get((jenis, periode), {})
        out.append(
            {
                "jenis": jenis,
                "periode": periode,
                "key": periode_key(jenis, periode),
                "label": periode_label(jenis, periode),
                "diajukan": c.get(Laporan.Status.DIAJUKAN, 0),
                "diterima": c.get(Laporan.Status.DITERIMA, 0),
                "dikembalikan": c.get(Laporan.Status.DIKEMBALIKAN, 0),
                "kunci": locks.get((jenis, periode)),
            }
        )
    return out
