"""Scoped reads for the rekap reports: build one sheet (a ``Report``) from stored rows.

A report page costs a fixed number of queries whatever the number of rows: one for the child units,
one for their stored rekap rows, one for the registered-unit counts below them, one for the ancestors
(meta lines and breadcrumb). The subtree export preloads all of that once for a whole tree
(``SubtreeData``) and then builds every sheet without further queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr

from pkk.models import LEVEL_ORDER, PATH_END, PATH_SEGMENT, Kind, Level, PengurusTpPkk, Unit

from .books import BUKU_II, BUKU_III
from .layouts import Col, Layout
from .measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from .models import RekapBulanan, RekapTahunan
from .ttd import pengurus_of, signature_block

COUNT_BY_LEVEL = {
    Level.DESA.value: "jml_desa",
    Level.DUSUN.value: "jml_dusun",
    Level.RW.value: "jml_rw",
    Level.RT.value: "jml_rt",
    Level.DASAWISMA.value: "jml_dasawisma",
}

BULAN_NAMA = [
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]

META_LABEL = {
    Level.DASAWISMA.value: "DASA WISMA",
    Level.RT.value: "RT/RW",
    Level.RW.value: "RW",
    Level.DUSUN.value: "DUSUN/LINGKUNGAN",
    Level.DESA.value: "DESA/KELURAHAN",
    Level.KECAMATAN.value: "KECAMATAN",
    Level.KABUPATEN.value: "KABUPATEN/KOTA",
    Level.PROVINSI.value: "PROVINSI",
}


def format_angka(value: int) -> str:
    """Indonesian thousand separators: 12.345."""
    return f"{value:,}".replace(",", ".")


def periode_label(buku: str, periode: int | dt.date) -> tuple[str, str]:
    if buku == BUKU_II:
        return "TAHUN", str(periode)
    assert isinstance(periode, dt.date)
    return "BULAN", f"{BULAN_NAMA[periode.month]} {periode.year}"


@dataclass
class Cell:
    col: Col
    value: int | str | None

    @property
    def numeric(self) -> bool:
        return self.col.is_numeric

    @property
    def display(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, int):
            return format_angka(self.value)
        return str(self.value)


@dataclass
class Row:
    no: int
    name: str
    unit_id: int | None
    cells: list[Cell]


@dataclass
class Report:
    layout: Layout
    unit: Unit
    periode: int | dt.date
    meta: list[tuple[str, str]]
    name_label: str
    rows: list[Row]
    jumlah: list[Cell]
    signature_left: tuple[str, ...] = ()
    signature_right: tuple[str, ...] = ()
    list_row_count: int = 0  # rows carrying personal data (4.16a/4.18a), for the export log
    extra: dict[str, Any] = field(default_factory=dict)
    chain: list[Unit] = field(default_factory=list)  # the unit's ancestors and the unit, root first
    ttd: Any = None  # reporting.ttd.SignatureBlock: place, date, titles and names (set by the caller)
    catatan: list[tuple[str, int]] = field(default_factory=list)  # 4.18a: the CATATAN footer counts

    @property
    def header_rows(self):
        """Header rows with the name column relabelled (4.17a/4.19a when rows are RW)."""
        rows = []
        for header_row in self.layout.header_rows:
            rows.append(
                [
                    (c.label if self.layout.leaves[c.col].kind != "name" or c.colspan != 1 else self.name_label, c)
                    for c in header_row
                ]
            )
        return rows

    @property
    def column_numbers(self) -> list[int]:
        return list(range(1, self.layout.width + 1))

    @property
    def periode_slug(self) -> str:
        return str(self.periode) if self.layout.buku == BUKU_II else f"{self.periode:%Y-%m}"

    @property
    def unit_path_label(self) -> str:
        """The unit named so that it cannot be mistaken for another: units below a desa carry the desa's
        name and the RW/RT numbers ("Kaliboto RW 01", "Kaliboto RW 01 RT 02")."""
        return unit_path_label(self.unit, self.chain)

    @property
    def filename(self) -> str:
        words = self.unit_path_label.replace("RW ", "RW").replace("RT ", "RT")
        for prefix in ("Kabupaten ", "Kota ", "Kecamatan ", "Desa ", "Kelurahan "):
            words = words.removeprefix(prefix)
        name = "-".join("".join(ch if ch.isalnum() else " " for ch in words).lower().split()) or "unit"
        return f"lampiran-{self.layout.lampiran}-{name}-{self.periode_slug}.xlsx"


def unit_path_label(unit: Unit, chain: list[Unit]) -> str:
    """``Kaliboto RW 01`` for units below a desa (the desa's name, then the path below it); the unit's own
    label ("Desa Kaliboto", "Kecamatan Bener") from the desa up."""
    if unit.level not in (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA):
        return unit.label
    by_level = {u.level: u for u in chain}
    parts = []
    desa = by_level.get(Level.DESA)
    if desa is not None:
        parts.append(desa.name)
    if unit.level == Level.DUSUN:
        parts.append(f"Dusun {unit.name}")
    for level in (Level.RW, Level.RT):
        u = by_level.get(level)
        if u is not None:
            parts.append(f"{'RW' if level == Level.RW else 'RT'} {u.name}")
    if unit.level == Level.DASAWISMA:
        parts.append(unit.name)
    return " ".join(parts) or unit.label


# ------------------------------------------------------------------------------------------ cells


def _get(row: Any, key: str, default: Any = None) -> Any:
    if isinstance(row, dict):
        return row.get(key, default)
    return getattr(row, key, default)


def cell_value(col: Col, values: Any, *, no: int, name: str) -> int | str | None:
    if col.kind == "no":
        return no
    if col.kind == "name":
        return name
    if col.kind == "num":
        return sum(int(_get(values, m, 0) or 0) for m in col.measures)
    if col.kind == "mark":
        return 1 if str(_get(values, col.field, "") or "").lower() == col.match.lower() else None
    if col.kind == "text":
        value = _get(values, col.field, "")
        if isinstance(value, dt.date):
            return value.strftime("%d-%m-%Y")
        if col.words and value:
            words = dict(col.words)
            return "/".join(words.get(part, part) for part in str(value).split("/"))
        return "" if value is None else str(value)
    return str(_get(values, "ket", "") or "")  # ket


def make_rows(layout: Layout, items: Iterable[tuple[str, int | None, Any]]) -> tuple[list[Row], list[Cell]]:
    """``items`` = (name, unit_id or None, values); returns the rows and the JUMLAH row."""
    rows: list[Row] = []
    totals = [0] * layout.width
    for no, (name, unit_id, values) in enumerate(items, start=1):
        cells = [Cell(col, cell_value(col, values, no=no, name=name)) for col in layout.leaves]
        for i, cell in enumerate(cells):
            if cell.numeric and isinstance(cell.value, int):
                totals[i] += cell.value
        rows.append(Row(no, name, unit_id, cells))
    jumlah = []
    for i, col in enumerate(layout.leaves):
        if col.kind == "name":
            jumlah.append(Cell(col, "JUMLAH"))
        elif col.is_numeric:
            jumlah.append(Cell(col, totals[i]))
        else:
            jumlah.append(Cell(col, None))
    return rows, jumlah


# --------------------------------------------------------------------------------------- meta lines


def row_name(unit: Unit) -> str:
    """The name printed in a row: RT/RW numbers bare, named units by their name."""
    return unit.name


def meta_lines(layout: Layout, unit: Unit, chain: list[Unit], periode: int | dt.date) -> list[tuple[str, str]]:
    """``chain`` = the unit's ancestors and the unit itself, root first."""
    by_level = {u.level: u for u in chain}
    lines: list[tuple[str, str]] = []
    for level in layout.meta_levels:
        u = by_level.get(level)
        if u is None:
            continue  # e.g. no dusun above this RW
        value = u.name
        if level == Level.RT:
            rw = by_level.get(Level.RW)
            value = f"{u.name}/{rw.name}" if rw else u.name
        label = META_LABEL[level]
        if level == Level.DESA:
            label = "KELURAHAN" if u.kind == Kind.KELURAHAN else "DESA"
        if level == Level.KABUPATEN:
            label = "KOTA" if u.kind == Kind.KOTA else "KABUPATEN"
            value = value.removeprefix("Kabupaten ").removeprefix("Kota ")
        lines.append((label, value))
    lines.append(periode_label(layout.buku, periode))
    return lines


def name_label(layout: Layout, children: list[Unit]) -> str:
    name_col = next(c for c in layout.leaves if c.kind == "name")
    if layout.name_label_without_dusun and children and all(c.level == Level.RW for c in children):
        return layout.name_label_without_dusun
    return name_col.label


def signature(layout: Layout, chain: list[Unit]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The layout's signature block; an RW hanging directly under its desa is known by the desa's team."""
    left = layout.signature_left
    if layout.tier == Level.RW and len(chain) >= 2 and chain[-2].level == Level.DESA:
        left = tuple(
            "Ketua TP PKK Desa/Kelurahan" if line.startswith("Ketua Kelompok PKK Dusun") else line for line in left
        )
    return left, layout.signature_right


# ------------------------------------------------------------------------------------- stored rows


def rekap_model(buku: str):
    return RekapTahunan if buku == BUKU_II else RekapBulanan


def measure_names(buku: str) -> list[str]:
    return BUKU_II_MEASURES if buku == BUKU_II else BUKU_III_MEASURES


def period_filter(buku: str, periode: int | dt.date) -> dict[str, Any]:
    return {"tahun": periode} if buku == BUKU_II else {"bulan": periode}


def units_of_period(root: Unit, buku: str | None, periode: int | dt.date):
    """The units under ``root`` registered in the period, as locked where it is (``selectors_cycle``)."""
    from .selectors_cycle import registered_units

    if buku == BUKU_II:
        return registered_units(root, BUKU_II, dt.date(int(periode), 1, 1))  # type: ignore[arg-type]
    return registered_units(root, BUKU_III, periode.replace(day=1))  # type: ignore[union-attr]


def child_units(unit: Unit, buku: str | None = None, periode: int | dt.date | None = None) -> list[Unit]:
    """The registered child units of ``unit``, in the order the sheet prints them. With a period: the
    children as they were in it (``Unit.aktif_sejak`` / ``nonaktif_sejak``), and under a desa that locked
    it exactly those it was locked with (a locked January does not gain today's new dusun; issue 10)."""
    if periode is None:
        qs = Unit.objects.filter(parent=unit, is_active=True)
    else:
        qs = units_of_period(unit, buku, periode).filter(parent=unit)
    # Sorted in Python so the page and the subtree export agree whatever the database collation.
    return sorted(qs, key=lambda c: (c.name, c.pk))


def stored_values(
    buku: str, unit: Unit, periode: int | dt.date, *, with_counts: bool = False
) -> dict[int, dict[str, int]]:
    """Stored measures (and, ``with_counts``, the stored unit counts) of every child of ``unit`` for the
    period, by unit id (one query)."""
    names = measure_names(buku) + (UNIT_COUNT_NAMES if with_counts else [])
    qs = rekap_model(buku).objects.filter(unit__parent=unit, **period_filter(buku, periode)).values("unit_id", *names)
    return {row.pop("unit_id"): row for row in qs}


def unit_counts_below(unit: Unit) -> dict[int, dict[str, int]]:
    """Registered units of each level below (and including) each child of ``unit`` (one query)."""
    seg = (unit.depth + 1) * PATH_SEGMENT
    qs = (
        Unit.objects.subtree(unit, include_self=False)
        .filter(is_active=True, level__in=list(COUNT_BY_LEVEL))
        .annotate(child_path=Substr("path", 1, seg))
        .values("child_path", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for row in qs:
        out[int(row["child_path"][-PATH_SEGMENT:])][COUNT_BY_LEVEL[row["level"]]] = row["n"]
    return out


def _merge(*dicts: dict[str, int] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in dicts:
        if d:
            out.update(d)
    return out


def build_unit_report(
    layout: Layout,
    unit: Unit,
    periode: int | dt.date,
    *,
    chain: list[Unit],
    children: list[Unit],
    stored: dict[int, dict[str, int]],
    counts: dict[int, dict[str, int]],
    pengurus: dict | None = None,
) -> Report:
    """A rekap sheet (every tier but the dasawisma lists) from already loaded data: no query."""
    items = [(row_name(c), c.pk, _merge(stored.get(c.pk), counts.get(c.pk))) for c in children]
    rows, jumlah = make_rows(layout, items)
    left, right = signature(layout, chain)
    report = Report(
        layout=layout,
        unit=unit,
        periode=periode,
        meta=meta_lines(layout, unit, chain, periode),
        name_label=name_label(layout, children),
        rows=rows,
        jumlah=jumlah,
        signature_left=left,
        signature_right=right,
        chain=chain,
    )
    report.ttd = _ttd(left, right, chain, pengurus)
    return report


def _ttd(left, right, chain, pengurus):
    from django.utils import timezone

    return signature_block(left=left, right=right, chain=chain, pengurus=pengurus or {}, today=timezone.localdate())


# ----------------------------------------------------------------------------- dasawisma list sheets


def _list_items_4_16a(dasawisma: Unit, tahun: int) -> list[tuple[str, None, Any]]:
    from . import rollup

    items = []
    for row in rollup.rumah_tangga_rows(dasawisma, tahun):
        name = _get(row, "nama_kepala") or ""
        items.append((str(name), None, row))
    return items


def _list_items_4_18a(dasawisma: Unit, bulan: dt.date) -> list[tuple[str, None, Any]]:
    from . import rollup
    from .selectors_cycle import frozen_list

    items = []
    # A locked month shows the list recorded with the lock (issue 10), like its stored numbers.
    rows = frozen_list(dasawisma, bulan)
    for row in rows if rows is not None else rollup.buku3_dasawisma_rows(dasawisma, bulan):
        items.append((str(_get(row, "nama_ibu", "") or ""), None, row))
    return items


CATATAN_4_18A = (
    ("Jumlah ibu hamil", lambda v: "hamil" in str(_get(v, "status_ibu", "")).split("/")),
    ("Jumlah ibu melahirkan", lambda v: "melahirkan" in str(_get(v, "status_ibu", "")).split("/")),
    ("Jumlah ibu nifas", lambda v: "nifas" in str(_get(v, "status_ibu", "")).split("/")),
    ("Jumlah ibu meninggal", lambda v: _get(v, "status_meninggal") == "ibu"),
    ("Jumlah bayi lahir", lambda v: bool(_get(v, "nama_bayi"))),
    ("Jumlah bayi meninggal", lambda v: _get(v, "status_meninggal") == "bayi"),
    ("Jumlah balita meninggal", lambda v: _get(v, "status_meninggal") == "balita"),
)


def catatan_4_18a(items: list[tuple[str, None, Any]]) -> list[tuple[str, int]]:
    """The seven counts of the CATATAN under the 4.18a table. A mother's statuses sit on her first line
    only (``rollup.buku3_dasawisma_rows``), so counting lines counts mothers once."""
    return [(label, sum(1 for _name, _id, v in items if test(v))) for label, test in CATATAN_4_18A]


def build_list_report(
    layout: Layout, unit: Unit, periode: int | dt.date, *, chain: list[Unit], pengurus: dict | None = None
) -> Report:
    """4.16a / 4.18a: the dasawisma's own list, computed live by ``reporting.rollup``."""
    if layout.buku == BUKU_II:
        items = _list_items_4_16a(unit, int(periode))  # type: ignore[arg-type]
    else:
        items = _list_items_4_18a(unit, periode)  # type: ignore[arg-type]
    rows, jumlah = make_rows(layout, items)
    left, right = signature(layout, chain)
    name_col = next(c for c in layout.leaves if c.kind == "name")
    report = Report(
        layout=layout,
        unit=unit,
        periode=periode,
        meta=meta_lines(layout, unit, chain, periode),
        name_label=name_col.label,
        rows=rows,
        jumlah=jumlah,
        signature_left=left,
        signature_right=right,
        list_row_count=len(rows),
        chain=chain,
        catatan=catatan_4_18a(items) if layout.buku == BUKU_III else [],
    )
    report.ttd = _ttd(left, right, chain, pengurus)
    return report


# ------------------------------------------------------------------------------------------ entries


def uses_unit_counts(layout: Layout) -> bool:
    count_names = set(COUNT_BY_LEVEL.values())
    return any(m in count_names for leaf in layout.leaves for m in leaf.measures)


def report_for_unit(layout: Layout, unit: Unit, periode: int | dt.date, *, chain: list[Unit] | None = None) -> Report:
    """The sheet of ``layout`` for ``unit``: a fixed number of queries whatever the number of rows.

    The caller has checked scope (the unit came from ``pkk.scope.get_unit_for_user``).
    """
    if chain is None:
        chain = unit.ancestors(include_self=True)
    pengurus = pengurus_of(u.pk for u in chain)
    if layout.is_list:
        return build_list_report(layout, unit, periode, chain=chain, pengurus=pengurus)
    children = child_units(unit, layout.buku, periode)
    with_counts = uses_unit_counts(layout)
    stored = stored_values(layout.buku, unit, periode, with_counts=with_counts)
    counts: dict[int, dict[str, int]] = {}
    if with_counts and not all(c.pk in stored for c in children):
        # A child without a stored row yet (a new unit before its first refresh): count the units live.
        # Otherwise the stored counts are used: they cost no subtree scan (25,000 units for a kabupaten)
        # and a locked period keeps the counts it was locked with.
        counts = unit_counts_below(unit)
    return build_unit_report(
        layout, unit, periode, chain=chain, children=children, stored=stored, counts=counts, pengurus=pengurus
    )


class SubtreeData:
    """Everything a subtree export needs, loaded once: units, stored rows and unit counts."""

    def __init__(self, root: Unit, buku: str, periode: int | dt.date, *, down_to: str) -> None:
        self.root = root
        self.buku = buku
        self.periode = periode
        last = max(LEVEL_ORDER.index(down_to), LEVEL_ORDER.index(root.level))
        # The units registered in the period (as locked where it is locked; issue 10).
        all_active = list(units_of_period(root, buku, periode).order_by("path"))
        # The sheets: every unit from the root down to ``down_to`` (tree order).
        self.units = [u for u in all_active if LEVEL_ORDER.index(u.level) <= last]
        self.above = root.ancestors(include_self=False)
        self.by_id = {u.pk: u for u in all_active}
        self._all_children: dict[int, list[Unit]] = defaultdict(list)
        for u in all_active:
            if u.parent_id is not None:
                self._all_children[u.parent_id].append(u)
        names = measure_names(buku) + UNIT_COUNT_NAMES
        qs = (
            rekap_model(buku)
            .objects.filter(
                unit__path__gte=root.path, unit__path__lt=root.path + PATH_END, **period_filter(buku, periode)
            )
            .values("unit_id", *names)
        )
        self.stored = {row.pop("unit_id"): row for row in qs}
        # Registered units of each level under (and including) each unit.
        self.counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for u in all_active:
            key = COUNT_BY_LEVEL.get(u.level)
            if key is None:
                continue
            for anc_id in u.ancestor_ids(include_self=True):
                self.counts[anc_id][key] += 1
        self.pengurus = pengurus_of(u.pk for u in self.above)
        below = PengurusTpPkk.objects.filter(unit__path__gte=root.path, unit__path__lt=root.path + PATH_END)
        self.pengurus.update({p.unit_id: p for p in below})

    def chain(self, unit: Unit) -> list[Unit]:
        ids = unit.ancestor_ids(include_self=True)
        known = {u.pk: u for u in self.above}
        known.update(self.by_id)
        return [known[i] for i in ids if i in known]

    def report(self, layout: Layout, unit: Unit) -> Report:
        if layout.is_list:
            return build_list_report(layout, unit, self.periode, chain=self.chain(unit), pengurus=self.pengurus)
        children = sorted(self._all_children.get(unit.pk, []), key=lambda c: (c.name, c.pk))
        # The same rule as a single sheet (``report_for_unit``): stored counts, live ones only when a child
        # has no stored row yet.
        live = uses_unit_counts(layout) and not all(c.pk in self.stored for c in children)
        return build_unit_report(
            layout,
            unit,
            self.periode,
            chain=self.chain(unit),
            children=children,
            stored=self.stored,
            counts=self.counts if live else {},
            pengurus=self.pengurus,
        )


def breadcrumb(user, chain: list[Unit]) -> list[Unit]:
    """Ancestors of the report's unit the user may open (never above their scope), root first."""
    from pkk.scope import unit_in_scope

    return [u for u in chain if unit_in_scope(user, u)]


__all__ = [
    "BUKU_III",
    "BUKU_II",
    "Report",
    "Row",
    "SubtreeData",
    "breadcrumb",
    "format_angka",
    "report_for_unit",
]
