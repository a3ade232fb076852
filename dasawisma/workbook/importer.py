"""Import the standard workbook: all or nothing.

Every cell is checked first (:mod:`.checks`, which reads the file with :mod:`.reader` and returns the
import plan of :mod:`.plan`). With any issue nothing is written. Otherwise one transaction
creates the missing dusun/RW/RT/dasawisma under the existing desa, then bulk-inserts rumah tangga,
keluarga, warga and kehamilan in batches (a fixed number of queries per batch, never one per row).

Decisions (DOMAIN.md is silent on them):

- Import only adds. A file whose kode_rumah_tangga or kode_warga already exists in the same desa, or
  whose NIK is already registered, is refused with those rows listed: re-importing the same file changes
  nothing. Existing records are edited in the forms.
- Audit: one ``Riwayat`` row per created rumah tangga (aksi ``buat``; changes name the file and how
  many warga and kehamilan came with it), not one per record: 50,000 audit rows would double the import time.
- Outbox: one ``DasawismaChange`` per touched dasawisma; ``since`` is the earliest date of its new records
  (a birth date, usually), and a refresh is requested by task name after commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from pkk.models import Unit
from pkk.services import fill_missing_paths

from ..models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga
from ..outbox import request_refresh
from ..registrasi import allocate_registrasi
from .checks import parse_workbook
from .columns import ImportIssue
from .plan import SUB_DESA_LEVELS, Plan

BATCH = 2000


@dataclass
class ImportResult:
    issues: list[ImportIssue] = field(default_factory=list)
    rumah_tangga: int = 0
    keluarga: int = 0
    warga: int = 0
    kehamilan: int = 0
    new_units: list[str] = field(default_factory=list)  # "Desa Kaliboto › Dusun Krajan › RW 03"
    dasawisma_ids: list[int] = field(default_factory=list)
    nik_warnings: int = 0
    more_issues: int = 0  # errors found past the listed ones (PKK_WORKBOOK_MAX_ERRORS)
    unchecked_rows: int = 0  # rows not checked because checking stopped at the error limit

    @property
    def ok(self) -> bool:
        return not self.issues

    @property
    def overflow(self) -> str:
        """What the listed issues leave out, in one Indonesian sentence ("" when they are all)."""
        parts = []
        if self.more_issues:
            parts.append(f"{self.more_issues:,} kesalahan lain tidak ditampilkan".replace(",", "."))
        if self.unchecked_rows:
            parts.append(f"{self.unchecked_rows:,} baris lagi belum diperiksa".replace(",", "."))
        if not parts:
            return ""
        return (
            f"Pemeriksaan berhenti setelah {len(self.issues)} kesalahan pertama: {' dan '.join(parts)}. "
            "Perbaiki kesalahan ini lalu unggah lagi."
        )


def workbook_import(
    *,
    source: Any,
    actor: Any = None,
    filename: str = "",
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Check and, when every cell is right, import the workbook at ``source`` (path or file object).

    ``actor`` None means the operator (the management command without ``--user``): no scope limit.
    ``progress`` is told each stage (a background job shows it on its page).
    """
    if progress:
        progress("Memeriksa setiap sel…")
    plan = parse_workbook(source, actor=actor, today=today)
    if not plan.ok:
        return ImportResult(issues=list(plan.issues), more_issues=plan.issues.more, unchecked_rows=plan.unchecked_rows)
    if not plan.rumah_tangga:
        return ImportResult(issues=[ImportIssue("rumah_tangga", 0, "", "Berkas tidak berisi rumah tangga.")])
    if progress:
        progress(f"Menyimpan {len(plan.warga)} warga…")
    try:
        return _write(plan, actor=actor, filename=filename)
    except IntegrityError:
        # Checked a moment ago, taken since: another import or form saved the same NIK meanwhile.
        return ImportResult(
            issues=[ImportIssue("", 0, "", "Data berubah selama impor (mis. NIK yang sama baru disimpan). Coba lagi.")]
        )


@transaction.atomic
def _write(plan: Plan, *, actor: Any, filename: str) -> ImportResult:
    result = ImportResult(nik_warnings=plan.nik_warnings)
    desas = {pk: d for pk, d in plan.desas.items()}

    # 1. Units: create what is missing, level by level (one INSERT per level), then their paths.
    result.new_units = _create_units(plan)

    # 2. Rumah tangga.
    households = plan.rumah_tangga
    for rt in households:
        rt.obj.dasawisma_id = plan.units[rt.dasawisma_key].unit_id
    RumahTangga.objects.bulk_create([rt.obj for rt in households], batch_size=BATCH)

    # 3. Keluarga: one per (rumah tangga, No. KK).
    keluarga: dict[tuple[int, str], Keluarga] = {}
    for w in plan.warga:
        rt_obj = w.rumah_tangga.obj
        key = (rt_obj.pk, w.obj.no_kk)
        if key not in keluarga:
            keluarga[key] = Keluarga(rumah_tangga_id=rt_obj.pk, no_kk=w.obj.no_kk)
    Keluarga.objects.bulk_create(keluarga.values(), batch_size=BATCH)

    # 4. Warga, with No. Registrasi drawn per desa in file order.
    by_desa: dict[int, list] = defaultdict(list)
    for w in plan.warga:
        by_desa[w.rumah_tangga.desa.pk].append(w)
    for desa_id, rows in by_desa.items():
        numbers = allocate_registrasi(desa=desas[desa_id], count=len(rows))
        for w, number in zip(rows, numbers, strict=True):
            rt_obj = w.rumah_tangga.obj
            w.obj.no_registrasi = number
            w.obj.dasawisma_id = rt_obj.dasawisma_id
            w.obj.rumah_tangga_id = rt_obj.pk
            w.obj.keluarga_id = keluarga[(rt_obj.pk, w.obj.no_kk)].pk
    Warga.objects.bulk_create([w.obj for w in plan.warga], batch_size=BATCH)

    # 5. Links that needed the warga ids: kepala rumah tangga, ibu.
    for rt in households:
        rt.obj.kepala_id = rt.kepala.obj.pk
    _set_column(RumahTangga, "kepala_id", [(rt.obj.pk, rt.obj.kepala_id) for rt in households])
    for w in plan.warga:
        if w.ibu is not None:
            w.obj.ibu_id = w.ibu.obj.pk
    _set_column(Warga, "ibu_id", [(w.obj.pk, w.obj.ibu_id) for w in plan.warga if w.ibu is not None])

    # 6. Kehamilan.
    for k in plan.kehamilan:
        k.obj.warga_id = k.ibu.obj.pk
        k.obj.dasawisma_id = k.ibu.obj.dasawisma_id
    Kehamilan.objects.bulk_create([k.obj for k in plan.kehamilan], batch_size=BATCH)

    # 7. Audit (one row per household) and outbox (one row per dasawisma).
    source = f"impor workbook {filename}".strip()
    actor_id = getattr(actor, "pk", None)
    Riwayat.objects.bulk_create(
        [
            Riwayat(
                model="rumah_tangga",
                object_id=rt.obj.pk,
                dasawisma_id=rt.obj.dasawisma_id,
                aksi=Riwayat.Aksi.BUAT,
                changes={
                    "sumber": [None, source],
                    "baris": [None, rt.row],
                    "jumlah_warga": [None, rt.n_warga],
                    "jumlah_kehamilan": [None, rt.n_kehamilan],
                },
                actor_id=actor_id,
            )
            for rt in households
        ],
        batch_size=BATCH,
    )
    since: dict[int, dt.date] = {}

    def touch(dasawisma_id: int, *dates: dt.date | None) -> None:
        for d in dates:
            if d is not None and (dasawisma_id not in since or d < since[dasawisma_id]):
                since[dasawisma_id] = d

    today = timezone.localdate()
    for rt in households:
        touch(rt.obj.dasawisma_id, today)
    for w in plan.warga:
        o = w.obj
        touch(o.dasawisma_id, o.tanggal_lahir, o.tanggal_meninggal, o.tanggal_pindah)
    for k in plan.kehamilan:
        o = k.obj
        touch(o.dasawisma_id, o.tanggal_mulai, o.tanggal_selesai)
    DasawismaChange.objects.bulk_create([DasawismaChange(dasawisma_id=d, since=s) for d, s in since.items()])
    result.dasawisma_ids = sorted(since)
    if len(plan.warga) >= ANALYZE_AFTER_ROWS:
        # A big import leaves the planner's statistics stale: the bench saw a refresh of a freshly imported
        # desa pick a nested loop and take 75 s instead of < 2 s. Refresh them before the roll-ups run.
        transaction.on_commit(_analyze_tables)
    for dasawisma_id in result.dasawisma_ids:
        transaction.on_commit(lambda i=dasawisma_id: request_refresh(i))

    result.rumah_tangga = len(households)
    result.keluarga = len(keluarga)
    result.warga = len(plan.warga)
    result.kehamilan = len(plan.kehamilan)
    return result


ANALYZE_AFTER_ROWS = 5_000
ANALYZED_TABLES = (Warga, RumahTangga, Keluarga, Kehamilan)


def _analyze_tables() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in ANALYZED_TABLES:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _create_units(plan: Plan) -> list[str]:
    """Bulk-create the planned units that do not exist yet (parents first) and return their labels.

    The plan matched every name with the existing units of the desa, so a new unit never repeats a sibling's
    name, and each level hangs under the level the tree allows (RW under a dusun or the desa, RT under RW,
    dasawisma under RT). ``fill_missing_paths`` then sets the stored ancestor paths, one UPDATE per level.
    """
    labels: dict[tuple, str] = {}

    def label(key: tuple) -> str:
        if key not in labels:
            planned = plan.units[key]
            parent = label(planned.parent_key) if planned.parent_key else plan.desas[planned.desa_id].label
            labels[key] = f"{parent} › {Unit(level=planned.level, name=planned.name).label}"
        return labels[key]

    created: list[tuple] = []
    for level in SUB_DESA_LEVELS:
        todo = [(key, p) for key, p in plan.units.items() if p.level == level and p.unit_id is None]
        if not todo:
            continue
        objs = [
            Unit(
                level=p.level,
                name=p.name,
                parent_id=plan.units[p.parent_key].unit_id if p.parent_key else p.desa_id,
                path="",
            )
            for _, p in todo
        ]
        Unit.objects.bulk_create(objs, batch_size=BATCH)
        for (key, p), obj in zip(todo, objs, strict=True):
            p.unit_id = obj.pk
            created.append(key)
    if created:
        fill_missing_paths()
    position = {key: i for i, key in enumerate(plan.units)}  # the file's order: each parent before its children
    return [label(key) for key in sorted(created, key=position.__getitem__)]


def _set_column(model: type, column: str, pairs: list[tuple[int, int]]) -> None:
    """``UPDATE table SET column = v.val FROM (VALUES (id, val), ...)``: one statement per batch.

    Django's ``bulk_update`` builds a CASE with one WHEN per row, which costs seconds per 10,000 rows in
    Python and in the database. PostgreSQL and SQLite (3.33 and newer) both take UPDATE ... FROM.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    col = connection.ops.quote_name(column)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), BATCH):
            chunk = pairs[start : start + BATCH]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"WITH v(id, val) AS (VALUES {values}) "
                f"UPDATE {table} SET {col} = v.val FROM v WHERE {table}.{pk} = v.id",
                [x for pair in chunk for x in pair],
            )
