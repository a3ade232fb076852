"""Progress of desa binaan: what the visits found, what the system measures itself, and the status rules.

``status_of`` is a pure function of ``Facts`` and ``Thresholds`` (the settings ``PKK_BINAAN_*``); every rule
that fires gives a reason, and the status is the worst level among them (no reason: ``baik``). The rules
(docs/binaan.md has them with examples):

- a follow-up past its due date and not answered by the desa: ``perlu perhatian``; at least
  ``PKK_BINAAN_OVERDUE_TERTINGGAL`` of them: ``tertinggal``;
- no finished visit for more than ``PKK_BINAAN_DAYS_WITHOUT_VISIT`` days (counted from the last visit, or
  from the start of the designation when there was none): ``perlu perhatian``; more than twice that:
  ``tertinggal``;
- Buku III completeness of the year so far under ``PKK_BINAAN_MIN_COMPLETENESS`` %: ``perlu perhatian``;
  under ``PKK_BINAAN_LOW_COMPLETENESS`` %: ``tertinggal``;
- Buku III timeliness under ``PKK_BINAAN_MIN_TIMELINESS`` %: ``perlu perhatian``;
- dasawisma coverage under ``PKK_BINAAN_MIN_COVERAGE`` %: ``perlu perhatian``; under
  ``PKK_BINAAN_LOW_COMPLETENESS`` %: ``tertinggal``;
- more than ``PKK_BINAAN_MAX_WARNINGS`` open data-quality warnings: ``perlu perhatian``;
- more than ``PKK_BINAAN_MAX_BELUM`` focus areas ``belum`` at the last finished visit: ``perlu perhatian``.

A measure that cannot be computed (no month of the year has ended, no dasawisma registered) fires no rule.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Substr

from pkk.models import PATH_END, Level, Unit
from reporting.books import BUKU_II, BUKU_III
from reporting.models import Laporan
from reporting.selectors_cycle import SUBMITTED, percent

from .models import DesaBinaan, FokusArea, FokusStatus, Kunjungan, KunjunganFokus, TindakLanjut

BAIK, PERHATIAN, TERTINGGAL = "baik", "perlu_perhatian", "tertinggal"
STATUS_LABEL = {BAIK: "Baik", PERHATIAN: "Perlu perhatian", TERTINGGAL: "Tertinggal"}
STATUS_ORDER = {BAIK: 0, PERHATIAN: 1, TERTINGGAL: 2}
STATUS_COLOR = {BAIK: "#198754", PERHATIAN: "#fd7e14", TERTINGGAL: "#dc3545"}


# --------------------------------------------------------------------------- the rules (pure)


@dataclass(frozen=True)
class Thresholds:
    days_without_visit: int = 60
    overdue_tertinggal: int = 2
    min_completeness: float = 80.0
    low_completeness: float = 50.0
    min_timeliness: float = 60.0
    min_coverage: float = 80.0
    max_warnings: int = 10
    max_belum: int = 5

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            days_without_visit=settings.PKK_BINAAN_DAYS_WITHOUT_VISIT,
            overdue_tertinggal=settings.PKK_BINAAN_OVERDUE_TERTINGGAL,
            min_completeness=settings.PKK_BINAAN_MIN_COMPLETENESS,
            low_completeness=settings.PKK_BINAAN_LOW_COMPLETENESS,
            min_timeliness=settings.PKK_BINAAN_MIN_TIMELINESS,
            min_coverage=settings.PKK_BINAAN_MIN_COVERAGE,
            max_warnings=settings.PKK_BINAAN_MAX_WARNINGS,
            max_belum=settings.PKK_BINAAN_MAX_BELUM,
        )


@dataclass(frozen=True)
class Facts:
    today: dt.date
    sejak: dt.date  # start of the designation (counts as the last visit before the first one)
    last_visit: dt.date | None = None
    overdue: int = 0
    lengkap_pct: float | None = None  # Buku III, year so far
    tepat_pct: float | None = None
    cakupan_pct: float | None = None  # dasawisma with data / registered
    peringatan: int = 0  # open data-quality warnings
    belum: int | None = None  # focus areas "belum" at the last finished visit (None: no visit yet)


@dataclass(frozen=True)
class Reason:
    level: str
    text: str

    @property
    def label(self) -> str:
        return STATUS_LABEL[self.level]


def _pct(v: float) -> str:
    return f"{v:.1f}".replace(".", ",") + " %"


def status_of(facts: Facts, t: Thresholds) -> tuple[str, list[Reason]]:
    reasons: list[Reason] = []
    if facts.overdue:
        level = TERTINGGAL if facts.overdue >= t.overdue_tertinggal else PERHATIAN
        reasons.append(Reason(level, f"{facts.overdue} tindak lanjut melewati batas waktu"))
    since = facts.last_visit or facts.sejak
    days = (facts.today - since).days
    if days > t.days_without_visit:
        level = TERTINGGAL if days > 2 * t.days_without_visit else PERHATIAN
        what = "Tidak ada kunjungan" if facts.last_visit else "Belum pernah dikunjungi"
        reasons.append(Reason(level, f"{what} selama {days} hari (batas {t.days_without_visit} hari)"))
    if facts.lengkap_pct is not None and facts.lengkap_pct < t.min_completeness:
        level = TERTINGGAL if facts.lengkap_pct < t.low_completeness else PERHATIAN
        reasons.append(
            Reason(level, f"Kelengkapan Buku III {_pct(facts.lengkap_pct)} (di bawah {_pct(t.min_completeness)})")
        )
    if facts.tepat_pct is not None and facts.tepat_pct < t.min_timeliness:
        reasons.append(
            Reason(PERHATIAN, f"Ketepatan waktu Buku III {_pct(facts.tepat_pct)} (di bawah {_pct(t.min_timeliness)})")
        )
    if facts.cakupan_pct is not None and facts.cakupan_pct < t.min_coverage:
        level = TERTINGGAL if facts.cakupan_pct < t.low_completeness else PERHATIAN
        reasons.append(
            Reason(level, f"Cakupan dasawisma berdata {_pct(facts.cakupan_pct)} (di bawah {_pct(t.min_coverage)})")
        )
    if facts.peringatan > t.max_warnings:
        reasons.append(
            Reason(PERHATIAN, f"{facts.peringatan} peringatan kualitas data terbuka (lebih dari {t.max_warnings})")
        )
    if facts.belum is not None and facts.belum > t.max_belum:
        reasons.append(
            Reason(
                PERHATIAN,
                f"{facts.belum} bidang fokus masih 'belum' pada kunjungan terakhir (lebih dari {t.max_belum})",
            )
        )
    status = max((r.level for r in reasons), key=STATUS_ORDER.__getitem__, default=BAIK)
    reasons.sort(key=lambda r: -STATUS_ORDER[r.level])
    return status, reasons


# --------------------------------------------------------------------------- measures (batched over desa)


@dataclass
class Measures:
    dasawisma: int = 0  # registered (active)
    dasawisma_berdata: int = 0  # with at least one rumah tangga
    b3_bulan: int = 0  # months of the year that have ended (so far)
    b3_wajib: int = 0  # registered x months
    b3_diajukan: int = 0
    b3_tepat: int = 0
    b2_wajib: int = 0
    b2_diajukan: int = 0
    b2_tepat: int = 0
    peringatan: int = 0

    @property
    def cakupan_pct(self) -> float | None:
        return percent(self.dasawisma_berdata, self.dasawisma)

    @property
    def b3_lengkap_pct(self) -> float | None:
        return percent(self.b3_diajukan, self.b3_wajib)

    @property
    def b3_tepat_pct(self) -> float | None:
        return percent(self.b3_tepat, self.b3_wajib)

    @property
    def b2_lengkap_pct(self) -> float | None:
        return percent(self.b2_diajukan, self.b2_wajib)

    @property
    def b2_tepat_pct(self) -> float | None:
        return percent(self.b2_tepat, self.b2_wajib)


def months_ended(tahun: int, today: dt.date) -> list[dt.date]:
    """Buku III months of ``tahun`` that have ended by ``today`` (the year so far)."""
    return [dt.date(tahun, m, 1) for m in range(1, 13) if (tahun, m) < (today.year, today.month)]


def _paths_q(desa: list[Unit], field: str) -> Q:
    q = Q(pk__in=[])
    for d in desa:
        q |= Q(**{f"{field}__gte": d.path, f"{field}__lt": d.path + PATH_END})
    return q


class _Everyone:
    """The binaan measures are counts for the desa itself, whoever reads the page (its access was
    checked on the desa binaan): the data-quality selectors are asked without a user scope."""

    is_superuser = True
    is_authenticated = True
    is_active = True


def measures(desa: list[Unit], tahun: int, today: dt.date) -> dict[int, Measures]:
    """The system's own measures for each desa, in a fixed number of queries whatever the number of desa.

    Completeness and timeliness follow ``reporting.selectors_cycle.kelengkapan`` (active dasawisma registered now,
    reports submitted or accepted, on time = not late), summed over the months of the year that have ended.
    """
    out = {d.pk: Measures() for d in desa}
    if not desa:
        return out
    by_path = {d.path: d.pk for d in desa}
    lengths = {len(d.path) for d in desa}

    def owner(path: str) -> int | None:
        for n in lengths:
            pk = by_path.get(path[:n])
            if pk is not None:
                return pk
        return None

    dasawisma = Unit.objects.filter(_paths_q(desa, "path"), level=Level.DASAWISMA, is_active=True)
    for path, berdata in dasawisma.annotate(n_rt=Count("rumah_tangga")).values_list("path", "n_rt"):
        m = out[owner(path)]
        m.dasawisma += 1
        m.dasawisma_berdata += 1 if berdata else 0
    bulan = months_ended(tahun, today)
    for pk in out:
        out[pk].b3_bulan = len(bulan)
        out[pk].b3_wajib = out[pk].dasawisma * len(bulan)
        out[pk].b2_wajib = out[pk].dasawisma
    laporan = Laporan.objects.filter(
        _paths_q(desa, "unit__path"),
        unit__level=Level.DASAWISMA,
        unit__is_active=True,
        status__in=SUBMITTED,
    ).filter(Q(jenis=BUKU_III, periode__in=bulan) | Q(jenis=BUKU_II, periode=dt.date(tahun, 1, 1)))
    for n in lengths:
        rows = (
            laporan.annotate(desa_path=Substr("unit__path", 1, n))
            .values("desa_path", "jenis")
            .annotate(diajukan=Count("pk"), tepat=Count("pk", filter=Q(terlambat=False)))
            .order_by()
        )
        for r in rows:
            pk = by_path.get(r["desa_path"])
            if pk is None:
                continue
            m = out[pk]
            if r["jenis"] == BUKU_III:
                m.b3_diajukan, m.b3_tepat = r["diajukan"], r["tepat"]
            else:
                m.b2_diajukan, m.b2_tepat = r["diajukan"], r["tepat"]
    from dasawisma.selectors import DATA_QUALITY_CHECKS

    everyone = _Everyone()
    for _label, fn in DATA_QUALITY_CHECKS.values():
        qs = fn(everyone, today=today) if _takes_today(fn) else fn(everyone)
        for path in qs.filter(_paths_q(desa, "dasawisma__path")).values_list("dasawisma__path", flat=True):
            pk = owner(path)
            if pk is not None:
                out[pk].peringatan += 1
    return out


def _takes_today(fn) -> bool:
    import inspect

    return "today" in inspect.signature(fn).parameters


# --------------------------------------------------------------------------- visits and follow-ups


@dataclass
class BinaanRow:
    """One desa binaan with everything the overview and the progress page show."""

    db: DesaBinaan
    measures: Measures
    last_visit: dt.date | None = None
    visits: int = 0
    open: int = 0
    overdue: int = 0
    next_due: dt.date | None = None
    belum: int | None = None
    status: str = BAIK
    reasons: list[Reason] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]


def as_of(tahun: int, today: dt.date) -> dt.date:
    """A past year is judged as it stood on 31 December."""
    return min(today, dt.date(tahun, 12, 31))


def designation_start(db: DesaBinaan) -> dt.date:
    start = dt.date(db.penetapan.tahun, 1, 1)
    return max(start, db.penetapan.tanggal_sk) if db.penetapan.tanggal_sk.year == db.penetapan.tahun else start


def rows_for(binaan: list[DesaBinaan], *, today: dt.date, thresholds: Thresholds | None = None) -> list[BinaanRow]:
    """Status rows for desa binaan (of any years): a fixed number of queries per year present."""
    t = thresholds or Thresholds.from_settings()
    rows: list[BinaanRow] = []
    by_year: dict[int, list[DesaBinaan]] = defaultdict(list)
    for db in binaan:
        by_year[db.penetapan.tahun].append(db)
    ms: dict[tuple[int, int], Measures] = {}
    for tahun, dbs in by_year.items():
        for desa_pk, m in measures([db.desa for db in dbs], tahun, today).items():
            ms[(tahun, desa_pk)] = m
    ids = [db.pk for db in binaan]
    finished = Kunjungan.objects.filter(desa_binaan_id__in=ids, status=Kunjungan.Status.SELESAI)
    last: dict[int, tuple[dt.date, int]] = {}
    count: dict[int, int] = defaultdict(int)
    for db_id, tanggal, pk in finished.order_by("tanggal", "pk").values_list("desa_binaan_id", "tanggal", "pk"):
        last[db_id] = (tanggal, pk)
        count[db_id] += 1
    belum = dict(
        KunjunganFokus.objects.filter(kunjungan_id__in=[v[1] for v in last.values()], status=FokusStatus.BELUM)
        .values("kunjungan__desa_binaan_id")
        .annotate(n=Count("pk"))
        .values_list("kunjungan__desa_binaan_id", "n")
    )
    open_tl = TindakLanjut.objects.filter(desa_binaan_id__in=ids, kunjungan__status=Kunjungan.Status.SELESAI).exclude(
        status=TindakLanjut.Status.SELESAI
    )
    tl_by: dict[int, list[TindakLanjut]] = defaultdict(list)
    for tl in open_tl.only("pk", "desa_binaan_id", "status", "batas_waktu"):
        tl_by[tl.desa_binaan_id].append(tl)
    for db in binaan:
        when = as_of(db.penetapan.tahun, today)
        m = ms[(db.penetapan.tahun, db.desa_id)]
        tls = tl_by.get(db.pk, [])
        row = BinaanRow(
            db=db,
            measures=m,
            last_visit=last.get(db.pk, (None, None))[0],
            visits=count.get(db.pk, 0),
            open=len(tls),
            overdue=sum(1 for x in tls if x.is_overdue(when)),
            next_due=min((x.batas_waktu for x in tls), default=None),
        )
        row.belum = belum.get(db.pk, 0) if db.pk in last else None
        facts = Facts(
            today=when,
            sejak=designation_start(db),
            last_visit=row.last_visit,
            overdue=row.overdue,
            lengkap_pct=m.b3_lengkap_pct,
            tepat_pct=m.b3_tepat_pct,
            cakupan_pct=m.cakupan_pct,
            peringatan=m.peringatan,
            belum=row.belum,
        )
        row.status, row.reasons = status_of(facts, t)
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- the progress page


@dataclass
class Progress:
    row: BinaanRow
    areas: list[dict]  # per focus area: label, the statuses per finished visit, the latest, a chart
    kunjungan: list[Kunjungan]
    kegiatan_per_pokja: list[tuple[str, int]]


STATUS_LEVEL = {FokusStatus.BELUM: 0, FokusStatus.PROSES: 1, FokusStatus.BAIK: 2}


def progress_for(db: DesaBinaan, *, today: dt.date) -> Progress:
    row = rows_for([db], today=today)[0]
    visits = list(db.kunjungan.filter(status=Kunjungan.Status.SELESAI).order_by("tanggal", "pk"))
    fokus = defaultdict(dict)
    for f in KunjunganFokus.objects.filter(kunjungan__in=visits).values("kunjungan_id", "area", "status"):
        fokus[f["area"]][f["kunjungan_id"]] = f["status"]
    from .charts import area_chart

    areas = []
    for area, label in FokusArea.choices:
        points = [(k.tanggal, fokus[area].get(k.pk, "")) for k in visits]
        latest = next((s for _, s in reversed(points) if s), "")
        areas.append(
            {
                "key": area,
                "label": label,
                "points": points,
                "latest": latest,
                "latest_label": FokusStatus(latest).label if latest else "–",
                "chart": area_chart(area, label, points),
            }
        )
    return Progress(
        row=row, areas=areas, kunjungan=visits, kegiatan_per_pokja=kegiatan_per_pokja(db.desa, db.penetapan.tahun)
    )


def kegiatan_per_pokja(desa: Unit, tahun: int) -> list[tuple[str, int]]:
    """Kegiatan of the desa (and the units under it) in the year, per pokja (the kegiatan app's selector)."""
    from kegiatan.selectors import kegiatan_per_pokja as per_pokja

    return [(f"{c.label} ({c.nama})", c.jumlah) for c in per_pokja(desa, tahun)]
