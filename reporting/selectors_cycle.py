"""Scoped reads of the reporting cycle: who reviews what, the inbox, completeness per tier, what is due.

The tiers (DOMAIN.md sections 2 and 6): a dasawisma submits to its desa (a ketua kelompok above it may
verify first), the desa submits its own report of the period to the kecamatan, the kecamatan to the
kabupaten. Completeness of a past period counts the structure as it was then (``Unit.registered_on``)
and, for a locked period, the structure it was locked with (``KunciPeriode.struktur``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, FilteredRelation, Max, Q
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone

from pkk.models import PATH_END, PATH_SEGMENT, Level, Role, Unit
from pkk.scope import assignments, is_global, path_q

from .books import BUKU_II, BUKU_III
from .models import KunciPeriode, Laporan
from .periods import (
    deadline,
    normalize_periode,
    periode_end,
    periode_ended,
    periode_key,
    periode_label,
    reporting_start,
)

# Who submits for a unit of each reporting tier, who verifies first (optional) and who accepts or returns.
SUBMITTER: dict[str, str] = {
    Level.DASAWISMA: Role.KADER,
    Level.DESA: Role.TP_PKK_DESA,
    Level.KECAMATAN: Role.PEMBINA_KECAMATAN,
}
VERIFIERS: dict[str, tuple[str, ...]] = {Level.DASAWISMA: (Role.KETUA_KELOMPOK,)}
REVIEWERS: dict[str, tuple[str, ...]] = {
    Level.DASAWISMA: (Role.TP_PKK_DESA,),
    Level.DESA: (Role.PEMBINA_KECAMATAN,),
    Level.KECAMATAN: (Role.ADMIN_KABUPATEN,),
}
# The reports a unit of a tier receives (the tier below it that reports).
RECEIVES = {Level.DESA: Level.DASAWISMA, Level.KECAMATAN: Level.DESA, Level.KABUPATEN: Level.KECAMATAN}
REPORTING_LEVELS = tuple(SUBMITTER)
SUBMITTER_ROLES = tuple(SUBMITTER.values())
REVIEWER_ROLES = (Role.KETUA_KELOMPOK, Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
LOCKER_ROLES = (Role.TP_PKK_DESA, Role.ADMIN_KABUPATEN)  # admin: period locks (DOMAIN.md 2), also in bulk
UNLOCKER_ROLES = (Role.PEMBINA_KECAMATAN, Role.ADMIN_KABUPATEN)
SUBMITTED = (Laporan.Status.DIAJUKAN, Laporan.Status.DITERIMA)
# Which reviewer role sees which tier's reports in the inbox.
_INBOX_LEVEL: dict[str, str] = {
    Role.KETUA_KELOMPOK: Level.DASAWISMA,
    Role.TP_PKK_DESA: Level.DASAWISMA,
    Role.PEMBINA_KECAMATAN: Level.DESA,
    Role.ADMIN_KABUPATEN: Level.KECAMATAN,
}


def _under(unit: Unit, field: str = "path") -> Q:
    return Q(**{f"{field}__gte": unit.path, f"{field}__lt": unit.path + PATH_END})


def roles_above(user, unit: Unit) -> set[str]:
    """Roles the user holds on a strict ancestor of ``unit`` (a desa does not review its own report)."""
    if is_global(user):
        return {r.value for r in Role}
    return {a.role for a in assignments(user) if unit.path.startswith(a.unit.path) and a.unit.pk != unit.pk}


def can_review(user, laporan: Laporan) -> bool:
    return bool(roles_above(user, laporan.unit) & set(REVIEWERS.get(laporan.unit.level, ())))


def can_verify(user, laporan: Laporan) -> bool:
    return bool(roles_above(user, laporan.unit) & set(VERIFIERS.get(laporan.unit.level, ())))


def can_submit(user, unit: Unit) -> bool:
    from pkk.scope import can

    role = SUBMITTER.get(unit.level)
    return role is not None and can(user, unit, role)


def reviewer_q(user, field: str = "unit") -> Q:
    """Reports the user verifies or reviews: each reviewer role sees the tier below it in its subtree."""
    if is_global(user):
        return Q(**{f"{field}__level__in": list(REVIEWERS)})
    q = Q(pk__in=[])
    for a in assignments(user):
        level = _INBOX_LEVEL.get(a.role)
        if level:
            q |= Q(**{f"{field}__level": level}) & _under(a.unit, f"{field}__path")
    return q


# --------------------------------------------------------------------------- periods and locks


def desa_of(unit: Unit) -> int | None:
    """Id of the desa a unit below (or at) the desa tier belongs to (read from the path)."""
    # provinsi / kabupaten / kecamatan / desa are the first four path segments.
    if unit.depth < 4:
        return None
    return int(unit.path[3 * PATH_SEGMENT : 4 * PATH_SEGMENT])


def ancestor_at(unit: Unit, depth: int) -> int | None:
    """Id of the ancestor at ``depth`` (1 provinsi, 2 kabupaten, 3 kecamatan, 4 desa)."""
    if unit.depth < depth:
        return None
    return int(unit.path[(depth - 1) * PATH_SEGMENT : depth * PATH_SEGMENT])


def periode_is_locked(unit: Unit, jenis: str, periode: dt.date | int) -> bool:
    """True if ``unit`` or one of its ancestors (a desa) has locked this period (one query)."""
    return KunciPeriode.objects.filter(
        unit_id__in=unit.ancestor_ids(include_self=True),
        jenis=jenis,
        periode=normalize_periode(jenis, periode),
    ).exists()


def registered_units(unit: Unit, jenis: str, periode: dt.date):
    """Units under ``unit`` as registered in the period: active at its end (``Unit.registered_on``); below
    a desa that locked the period, without the units registered after the lock (the structure it was
    locked with: a unit deactivated after the lock has ``nonaktif_sejak`` after the period and still counts).

    One query for the locks, then one condition per lock (a path range and a time), not the recorded ids:
    a kabupaten page may cover hundreds of locked desa."""
    end = periode_end(jenis, periode)
    qs = Unit.objects.subtree(unit).registered_on(end)
    locks = KunciPeriode.objects.filter(
        Q(unit_id__in=unit.ancestor_ids(include_self=True)) | _under(unit, "unit__path"),
        jenis=jenis,
        periode=periode,
    ).values_list("unit__path", "locked_at")
    later = Q(pk__in=[])
    for path, locked_at in locks:
        later |= Q(path__gte=path, path__lt=path + PATH_END, created_at__gt=locked_at)
    return qs.exclude(later) if locks else qs


def structure_snapshot(desa: Unit, jenis: str, periode: dt.date) -> dict:
    """What a lock records: the ids of the units registered below the desa in the period and, for a month,
    each dasawisma's 4.18a list as it stood (``daftar``: the list of a locked month does not change)."""
    registered = Unit.objects.subtree(desa).registered_on(periode_end(jenis, periode))
    out: dict = {"units": list(registered.values_list("pk", flat=True))}
    if jenis == BUKU_III:
        from .rollup import buku3_dasawisma_rows

        out["daftar"] = {
            str(pk): [_json_row(row) for row in buku3_dasawisma_rows(pk, periode)]
            for pk in registered.filter(level=Level.DASAWISMA).values_list("pk", flat=True)
        }
    return out


def _json_row(row: dict) -> dict:
    return {k: {"tanggal": v.isoformat()} if isinstance(v, dt.date) else v for k, v in row.items()}


def _row_from_json(row: dict) -> dict:
    return {
        k: dt.date.fromisoformat(v["tanggal"]) if isinstance(v, dict) and set(v) == {"tanggal"} else v
        for k, v in row.items()
    }


def frozen_list(dasawisma: Unit, bulan: dt.date) -> list[dict] | None:
    """The 4.18a rows of a dasawisma recorded when its desa locked the month, or None (not locked, or
    locked before lists were recorded): one query."""
    kunci = KunciPeriode.objects.filter(  # type: ignore[misc]  # None matches no row
        unit_id=desa_of(dasawisma), jenis=BUKU_III, periode=bulan.replace(day=1)
    ).first()
    rows = (kunci.struktur or {}).get("daftar", {}).get(str(dasawisma.pk)) if kunci else None
    return None if rows is None else [_row_from_json(r) for r in rows]


# --------------------------------------------------------------------------- completeness


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass
class KelengkapanRow:
    unit: Unit
    terdaftar: int = 0  # registered dasawisma below
    diajukan: int = 0  # of them submitted (diajukan or diterima)
    tepat_waktu: int = 0
    status: str = ""  # only for a dasawisma row: its report's status ("" = not submitted)
    laporan_id: int | None = None
    # The unit's own report of the period (desa and kecamatan rows; the kecamatan/kabupaten page's units).
    laporan: Laporan | None = None
    # Desa reports below (kecamatan and kabupaten rows): registered desa, submitted, on time.
    desa_terdaftar: int = 0
    desa_diajukan: int = 0
    desa_tepat: int = 0
    url: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def lengkap_pct(self) -> float | None:
        return percent(self.diajukan, self.terdaftar)

    @property
    def tepat_pct(self) -> float | None:
        return percent(self.tepat_waktu, self.terdaftar)

    @property
    def desa_pct(self) -> float | None:
        return percent(self.desa_diajukan, self.desa_terdaftar)

    @property
    def is_leaf(self) -> bool:
        return self.unit.level == Level.DASAWISMA

    @property
    def reports(self) -> bool:
        """The row's unit submits a report of its own (desa, kecamatan)."""
        return self.unit.level in (Level.DESA, Level.KECAMATAN)

    @property
    def has_desa(self) -> bool:
        return self.unit.level in (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN)

    @property
    def own_status(self) -> str:
        return self.laporan.status if self.laporan else ""


def kelengkapan(unit: Unit, jenis: str, periode: dt.date) -> tuple[KelengkapanRow, list[KelengkapanRow]]:
    """Completeness and timeliness of ``unit`` and of each of its registered children, for one period, tier
    by tier: dasawisma figures for every row; the row's own report where it is a desa or kecamatan; the
    desa figures where it holds desa. A handful of queries whatever the size of the tree (grouped by the
    path prefix that names the child a unit sits under)."""
    periode = normalize_periode(jenis, periode)
    total = KelengkapanRow(unit=unit)
    registered = registered_units(unit, jenis, periode)
    if unit.level == Level.DASAWISMA:
        children = [unit]
        child_len = len(unit.path)
    else:
        children = list(registered.filter(parent=unit).order_by("name", "pk"))
        child_len = len(unit.path) + PATH_SEGMENT
    rows = {c.path: KelengkapanRow(unit=c) for c in children}

    def grouped(level: str):
        return (
            registered.filter(level=level)
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

    for g in grouped(Level.DASAWISMA):
        row = rows.get(g["child"])
        if row is None:  # below a child not registered in this period
            continue
        row.terdaftar = g["terdaftar"]
        row.diajukan = g["diajukan"]
        row.tepat_waktu = g["tepat_waktu"]
        if row.is_leaf:
            row.status = g["status"] or ""
            row.laporan_id = g["laporan_id"]
    if unit.level in (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN):
        for g in grouped(Level.DESA):
            row = rows.get(g["child"])
            if row is None:
                continue
            row.desa_terdaftar = g["terdaftar"]
            row.desa_diajukan = g["diajukan"]
            row.desa_tepat = g["tepat_waktu"]
    own = [r.unit.pk for r in rows.values() if r.reports]
    if unit.level in (Level.DESA, Level.KECAMATAN):
        own.append(unit.pk)
    if own:
        by_unit = {lap.unit_id: lap for lap in Laporan.objects.filter(unit_id__in=own, jenis=jenis, periode=periode)}
        for row in rows.values():
            row.laporan = by_unit.get(row.unit.pk)
        total.laporan = by_unit.get(unit.pk)
    result = list(rows.values())
    for row in result:
        total.terdaftar += row.terdaftar
        total.diajukan += row.diajukan
        total.tepat_waktu += row.tepat_waktu
        if row.unit.level == Level.DESA:
            total.desa_terdaftar += 1
            if row.own_status in SUBMITTED:
                total.desa_diajukan += 1
                total.desa_tepat += 0 if row.laporan.terlambat else 1  # type: ignore[union-attr]  # submitted
        else:
            total.desa_terdaftar += row.desa_terdaftar
            total.desa_diajukan += row.desa_diajukan
            total.desa_tepat += row.desa_tepat
    if unit.level == Level.DASAWISMA:
        total.status, total.laporan_id = result[0].status, result[0].laporan_id
    return total, result


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


def laporan_counts(unit: Unit, jenis: str, periode: dt.date, level: str = Level.DASAWISMA) -> PeriodeStatus:
    """Reports of one tier (default: dasawisma) of the period below ``unit``, by status (one query)."""
    row = Laporan.objects.filter(
        _under(unit, "unit__path"), jenis=jenis, periode=periode, unit__level=level, unit__is_active=True
    ).aggregate(
        diajukan=Count("pk", filter=Q(status=Laporan.Status.DIAJUKAN)),
        diterima=Count("pk", filter=Q(status=Laporan.Status.DITERIMA)),
        dikembalikan=Count("pk", filter=Q(status=Laporan.Status.DIKEMBALIKAN)),
    )
    return PeriodeStatus(jenis=jenis, periode=periode, **row)


# --------------------------------------------------------------------------- what is due (kader)


@dataclass
class DueItem:
    dasawisma: Unit
    jenis: str
    periode: dt.date
    batas: dt.date
    laporan: Laporan | None = None
    terkunci: bool = False
    lewat: bool = False  # the deadline has passed
    berjalan: bool = False  # the period has not ended yet: it cannot be submitted
    atas_diajukan: bool = False  # the desa report of the period is with the kecamatan (frozen)

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
        return (
            not self.terkunci
            and not self.berjalan
            and not self.atas_diajukan
            and (self.laporan is None or self.laporan.status == Laporan.Status.DIKEMBALIKAN)
        )


def periods_listed(today: dt.date, start: dt.date | None = None) -> list[tuple[str, dt.date]]:
    """Periods on a due list, newest first: every month from the start of reporting up to the current one
    (the current month shows, not yet submittable), and Buku II of every year from the start's up to this
    one. Without ``start``: this year's months (plus last December in January) and the last two years."""
    if start is None:
        start = dt.date(today.year - (1 if today.month == 1 else 0), 12 if today.month == 1 else 1, 1)
        years = [today.year, today.year - 1]
    else:
        years = list(range(today.year, start.year - 1, -1))
    months = []
    m = today.replace(day=1)
    while m >= start:
        months.append(m)
        m = (m - dt.timedelta(days=1)).replace(day=1)
    out = [(BUKU_III.value, m) for m in months]
    out += [(BUKU_II.value, dt.date(y, 1, 1)) for y in years]
    return out


def periods_of(unit: Unit, periods: list[tuple[str, dt.date]]) -> list[tuple[str, dt.date]]:
    """The listed periods a dasawisma owes: those in which it was registered (active at the period's end,
    ``Unit.aktif_sejak`` / ``nonaktif_sejak``). A dasawisma registered today owes nothing before."""
    out = []
    for jenis, periode in periods:
        end = periode_end(jenis, periode)
        if unit.aktif_sejak and unit.aktif_sejak > end:
            continue
        if unit.nonaktif_sejak and unit.nonaktif_sejak <= end:
            continue
        if not unit.is_active and not unit.nonaktif_sejak:
            continue
        out.append((jenis, periode))
    return out


def kader_dasawisma(user) -> list[Unit]:
    return sorted({a.unit.pk: a.unit for a in assignments(user) if a.role == Role.KADER}.values(), key=lambda u: u.path)


def _kabupaten_start(units: list[Unit]) -> dict[int | None, dt.date]:
    return {k: reporting_start(Unit(pk=k) if k else None) for k in {ancestor_at(u, 2) for u in units}}


def jatuh_tempo(units: list[Unit], today: dt.date | None = None) -> list[tuple[Unit, list[DueItem]]]:
    """For each dasawisma: the periods it owes from the start of reporting of its kabupaten (see
    ``periods_of``), with its report, the lock and whether the desa report already went up (3 queries +
    one per kabupaten)."""
    today = today or timezone.localdate()
    if not units:
        return []
    starts = _kabupaten_start(units)
    periods = periods_listed(today, min(starts.values()))
    # One date range instead of an OR of (jenis, periode) pairs: compiling that OR cost more CPU than the
    # queries themselves (docs/performance.md); rows outside the listed periods are dropped below.
    wanted = set(periods)
    period_range = {"periode__gte": min(p for _, p in periods), "periode__lte": max(p for _, p in periods)}
    desa_ids = {d for d in (desa_of(u) for u in units) if d}
    unit_ids = {u.pk for u in units} | desa_ids
    laporan = {
        (lap.unit_id, lap.jenis, lap.periode): lap
        for lap in Laporan.objects.filter(unit_id__in=unit_ids, **period_range)
        if (lap.jenis, lap.periode) in wanted
    }
    locks = {
        row
        for row in KunciPeriode.objects.filter(unit_id__in=unit_ids, **period_range).values_list(
            "unit_id", "jenis", "periode"
        )
        if (row[1], row[2]) in wanted
    }
    out = []
    for u in units:
        start = starts[ancestor_at(u, 2)]
        items = []
        for jenis, periode in periods_of(u, periods):
            if periode < (start if jenis == BUKU_III else start.replace(month=1)):
                continue
            desa_lap = laporan.get((desa_of(u), jenis, periode))  # type: ignore[arg-type]  # None: no desa
            items.append(
                DueItem(
                    dasawisma=u,
                    jenis=jenis,
                    periode=periode,
                    batas=deadline(jenis, periode),
                    laporan=laporan.get((u.pk, jenis, periode)),
                    terkunci=(desa_of(u), jenis, periode) in locks or (u.pk, jenis, periode) in locks,
                    lewat=today > deadline(jenis, periode),
                    berjalan=not periode_ended(jenis, periode, today),
                    atas_diajukan=bool(desa_lap and desa_lap.status in SUBMITTED),
                )
            )
        out.append((u, items))
    return out


def laporan_saya(user, today: dt.date | None = None) -> list[tuple[Unit, list[DueItem]]]:
    """What the kader's dasawisma have to submit (and what they did)."""
    return jatuh_tempo(kader_dasawisma(user), today)


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month


def due_now(unit: Unit, today: dt.date | None = None) -> list[DueItem]:
    """What one dasawisma has to submit now (its home page): items whose deadline falls in this month or
    the next (last month's and this month's Buku III, last year's Buku II in January, this year's in
    December), plus any overdue report that can still be submitted (never submitted, or returned)."""
    today = today or timezone.localdate()
    groups = jatuh_tempo([unit], today)
    items = groups[0][1] if groups else []
    now = _month_index(today)
    return [item for item in items if now <= _month_index(item.batas) <= now + 1 or (item.lewat and item.can_submit)]


# Overdue reports shown on the dasawisma home page; the rest are counted and listed in "Laporan saya".
HOME_OVERDUE_SHOWN = 3


def due_on_home(items: list[DueItem], today: dt.date | None = None) -> tuple[list[DueItem], int]:
    """``due_now`` items as the dasawisma home page shows them: every item whose deadline falls in this
    month or the next, plus the ``HOME_OVERDUE_SHOWN`` newest overdue ones; and how many overdue items
    are left out (a kader who missed two years sees 3 of 24 forms there, and all of them in "Laporan saya":
    docs/performance.md, "The kader household list")."""
    today = today or timezone.localdate()
    now = _month_index(today)
    shown, hidden, overdue = [], 0, 0
    for item in items:
        if now <= _month_index(item.batas) <= now + 1:
            shown.append(item)
        elif overdue < HOME_OVERDUE_SHOWN:
            overdue += 1
            shown.append(item)
        else:
            hidden += 1
    return shown, hidden


# --------------------------------------------------------------------------- scoped reads


def get_laporan_for_user(user, laporan_id) -> Laporan:
    """The report if its unit is in the user's scope, else 404."""
    try:
        pk = int(laporan_id)
    except (TypeError, ValueError):
        raise Http404 from None
    laporan = (
        Laporan.objects.select_related("unit", "submitted_by", "reviewed_by", "verified_by")
        .filter(path_q(user, "unit__path"), pk=pk)
        .first()
    )
    if laporan is None:
        raise Http404
    return laporan


def laporan_inbox(
    user,
    *,
    status: str = Laporan.Status.DIAJUKAN,
    jenis: str = "",
    periode: dt.date | None = None,
    tahun: int | None = None,
    wilayah: Unit | None = None,
):
    """Reports the user verifies or reviews, oldest period first (one query)."""
    qs = Laporan.objects.filter(reviewer_q(user), unit__is_active=True)
    if status:
        qs = qs.filter(status=status)
    if jenis:
        qs = qs.filter(jenis=jenis)
    if periode:
        qs = qs.filter(periode=periode)
    elif tahun:
        qs = qs.filter(periode__year=tahun)
    if wilayah is not None:
        qs = qs.filter(_under(wilayah, "unit__path"))
    return qs.select_related("unit", "submitted_by", "verified_by").order_by("periode", "jenis", "unit__path")


def label_places(laporan_list) -> None:
    """Set ``tempat`` on each report: where its unit sits ("RT 01 · RW 02 · Desa Kaliboto" for a dasawisma,
    the kecamatan for a desa, ...), so that two "Dasawisma Soka" rows can be told apart (one query)."""
    ids: set[int] = set()
    for lap in laporan_list:
        ids.update(lap.unit.ancestor_ids(include_self=False)[2:])  # from the kecamatan down
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    for lap in laporan_list:
        chain = [by_id[i] for i in reversed(lap.unit.ancestor_ids(include_self=False)[2:]) if i in by_id]
        if lap.unit.level == Level.DASAWISMA:
            chain = [u for u in chain if u.level != Level.KECAMATAN]
        lap.tempat = " · ".join(u.label for u in chain)


def inbox_wilayah_choices(user) -> list[Unit]:
    """Units to filter the inbox by: the desa under the user's reviewer roles (the kecamatan for an admin)."""
    out: dict[int, Unit] = {}
    for a in assignments(user) if not is_global(user) else []:
        if a.role in (Role.TP_PKK_DESA, Role.PEMBINA_KECAMATAN, Role.KETUA_KELOMPOK):
            level = Level.DESA
        elif a.role == Role.ADMIN_KABUPATEN:
            level = Level.KECAMATAN
        else:
            continue
        if a.unit.level == level:
            out[a.unit.pk] = a.unit
        elif a.unit.depth < {Level.DESA: 4, Level.KECAMATAN: 3}[level]:
            for u in Unit.objects.subtree(a.unit).filter(level=level, is_active=True):
                out[u.pk] = u
        else:
            d = desa_of(a.unit)
            if d:
                out[d] = Unit.objects.get(pk=d)
    if is_global(user):
        return list(Unit.objects.filter(level=Level.KECAMATAN, is_active=True).order_by("name"))
    return sorted(out.values(), key=lambda u: (u.level, u.name))


def pending_review_count(user, unit: Unit) -> int:
    return Laporan.objects.filter(reviewer_q(user), _under(unit, "unit__path"), status=Laporan.Status.DIAJUKAN).count()


def periode_locks_of_year(unit: Unit, tahun: int) -> list[dict]:
    """Lock state and dasawisma report counts of a desa for Buku II of ``tahun`` and each month (2 queries)."""
    periods = [(BUKU_II.value, dt.date(tahun, 1, 1))] + [(BUKU_III.value, dt.date(tahun, m, 1)) for m in range(1, 13)]
    counts: dict[tuple[str, dt.date], dict[str, int]] = {}
    for row in (
        Laporan.objects.filter(
            _under(unit, "unit__path"),
            unit__level=Level.DASAWISMA,
            unit__is_active=True,
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
