"""The import plan: what a checked workbook will create, all or nothing.

``checks.parse_workbook`` returns a :class:`Plan`: unsaved model instances for every row, the dusun/RW/RT/
dasawisma each household hangs under (found in the desa by name, or to be created), and the issues found.
With any issue the importer writes nothing; otherwise it writes the whole plan in one transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from pkk.models import Level, Role, Unit
from pkk.scope import can, is_global, unit_in_scope

from ..models import Kehamilan, RumahTangga, Warga
from . import columns as c
from .columns import ImportIssue

# Who writes dasawisma data through the workbook: the TP PKK desa (DOMAIN.md section 2: pembina and admin
# read, they do not write dasawisma data). Kader enter data in the forms.
IMPORT_ROLES = (Role.TP_PKK_DESA,)
SUB_DESA_LEVELS = (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA)
NUMBERED_LEVELS = (Level.RW, Level.RT)


@dataclass(slots=True)
class RumahTanggaRow:
    row: int
    kode: str
    desa_code: str
    names: tuple[str, str, str, str]  # dusun ("" = none), rw, rt, dasawisma, as written
    obj: RumahTangga
    desa: Unit | None = None
    dasawisma_key: tuple | None = None  # key into Plan.units
    kepala: WargaRow | None = None
    n_warga: int = 0
    n_kehamilan: int = 0


@dataclass(slots=True)
class WargaRow:
    row: int
    kode: str
    kepala: bool
    kode_ibu: str
    obj: Warga
    rumah_tangga: RumahTanggaRow | None = None
    ibu: WargaRow | None = None


@dataclass(slots=True)
class KehamilanRow:
    row: int
    kode_ibu: str
    obj: Kehamilan
    ibu: WargaRow | None = None


@dataclass(slots=True)
class PlannedUnit:
    """A unit below a desa named by the file: found (``unit_id``) or to be created."""

    level: str
    name: str
    parent_key: tuple | None  # None: directly under the desa
    desa_id: int
    unit_id: int | None = None


class IssueList(list):
    """The first ``limit`` issues; later ones are only counted (``more``): a junk file must not build a page
    of a million errors."""

    def __init__(self, limit: int | None = None):
        super().__init__()
        self.limit = max(1, limit if limit is not None else settings.PKK_WORKBOOK_MAX_ERRORS)
        self.more = 0

    def append(self, issue: ImportIssue) -> None:
        if len(self) < self.limit:
            super().append(issue)
        else:
            self.more += 1

    @property
    def full(self) -> bool:
        return len(self) >= self.limit


@dataclass
class Plan:
    issues: IssueList = field(default_factory=IssueList)
    unchecked_rows: int = 0  # rows not checked because checking stopped at the error limit
    skipped: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)  # rows with a refused cell
    rumah_tangga: list[RumahTanggaRow] = field(default_factory=list)
    warga: list[WargaRow] = field(default_factory=list)
    kehamilan: list[KehamilanRow] = field(default_factory=list)
    desas: dict[int, Unit] = field(default_factory=dict)
    units: dict[tuple, PlannedUnit] = field(default_factory=dict)  # insertion order is top-down
    nik_warnings: int = 0
    rt_codes: dict[str, int] = field(default_factory=dict)  # every kode_rumah_tangga written -> row
    warga_codes: dict[str, int] = field(default_factory=dict)  # every kode_warga written -> row
    rt_read: bool = False  # the rumah_tangga sheet and its header were readable
    warga_read: bool = False  # the warga sheet and its header were readable
    unsure_kepala: set[str] = field(default_factory=set)  # households with a rejected row that may be the kepala

    @property
    def ok(self) -> bool:
        return not self.issues


def name_key(level: str, name: str) -> str:
    """How unit names are matched: case and spacing ignored; RW/RT numbers by value ("1" == "01")."""
    name = re.sub(r"\s+", " ", name).strip().casefold()
    if level in NUMBERED_LEVELS and name.isdigit():
        return str(int(name))
    return name


def unit_name(level: str, name: str) -> str:
    """The name a new unit gets: RW and RT numbers zero-padded to two digits like the rest of the tree."""
    name = re.sub(r"\s+", " ", name).strip()
    if level in NUMBERED_LEVELS and name.isdigit():
        return f"{int(name):02d}"
    return name


def resolve_desas(plan: Plan, actor: Any) -> None:
    codes = {rt.desa_code for rt in plan.rumah_tangga}
    if not codes:
        return
    found = {u.code: u for u in Unit.objects.filter(code__in=codes, level=Level.DESA, is_active=True)}
    allowed: dict[str, bool] = {}
    for code, desa in found.items():
        allowed[code] = (
            actor is None or is_global(actor) or (unit_in_scope(actor, desa) and can(actor, desa, *IMPORT_ROLES))
        )
    for rt in plan.rumah_tangga:
        desa = found.get(rt.desa_code)
        if desa is None or not allowed[rt.desa_code]:
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    rt.row,
                    "kode_desa",
                    f"Desa/kelurahan dengan kode “{rt.desa_code}” tidak ditemukan atau di luar wilayah Anda.",
                )
            )
            continue
        rt.desa = desa
        plan.desas[desa.pk] = desa


def resolve_units(plan: Plan) -> None:
    """Match dusun/RW/RT/dasawisma names with the units under each desa (one query); plan the missing."""
    if not plan.desas:
        return
    existing: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)  # (parent id, level) -> {name key: id}
    units = Unit.objects.subtree_of_any(plan.desas.values()).filter(level__in=SUB_DESA_LEVELS, is_active=True)
    for pk, parent_id, level, name in units.values_list("pk", "parent_id", "level", "name").order_by("pk"):
        existing[(parent_id, level)].setdefault(name_key(level, name), pk)
    for rt in plan.rumah_tangga:
        if rt.desa is None:
            continue
        dusun, rw, rtn, dasawisma = rt.names
        parent_key: tuple | None = None
        parent_id: int | None = rt.desa.pk
        chain = ([(Level.DUSUN, dusun)] if dusun else []) + [
            (Level.RW, rw),
            (Level.RT, rtn),
            (Level.DASAWISMA, dasawisma),
        ]
        for level, name in chain:
            key = (parent_key or (rt.desa.pk,)) + ((level, name_key(level, name)),)
            planned = plan.units.get(key)
            if planned is None:
                unit_id = existing.get((parent_id, level), {}).get(name_key(level, name)) if parent_id else None
                planned = PlannedUnit(
                    level=level, name=unit_name(level, name), parent_key=parent_key, desa_id=rt.desa.pk, unit_id=unit_id
                )
                plan.units[key] = planned
            parent_key, parent_id = key, planned.unit_id
        rt.dasawisma_key = parent_key
