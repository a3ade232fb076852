"""Import the standard workbook: all or nothing.

Every cell is checked first (:mod:`.reader`). With any issue nothing is written. Otherwise one transaction
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
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from pkk.models import Unit
from pkk.services import unit_create

from ..models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga
from ..outbox import request_refresh
from ..registrasi import allocate_registrasi
from .columns import ImportIssue
from .reader import Plan, parse_workbook

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

    @property
    def ok(self) -> bool:
        return not self.issues


def workbook_import(
    *, source: Any, actor: Any = None, filename: str = "", today: dt.date | None = None
) -> ImportResult:
    """Check and, when every cell is right, import the workbook at ``source`` (path or file object).

    ``actor`` None means the operator (the management command without ``--user``): no scope limit.
    """
    plan = parse_workbook(source, actor=actor, today=today)
    if not plan.ok:
        return ImportResult(issues=plan.issues)
    if not plan.rumah_tangga:
        return ImportResult(issues=[ImportIssue("rumah_tangga", 0, "", "Berkas tidak berisi rumah tangga.")])
    return _write(plan, actor=actor, filename=filename)


@transaction.atomic
def _write(plan: Plan, *, actor: Any, filename: str) -> ImportResult:
    result = ImportResult(nik_warnings=plan.nik_warnings)
    desas = {pk: d for pk, d in plan.desas.items()}

    # 1. Units: create what is missing, top-down (plan.units is in insertion order, parents first).
    created_labels: dict[tuple, str] = {}
    for key, planned in plan.units.items():
        parent_label = created_labels.get(planned.parent_key) if planned.parent_key else None
        if planned.unit_id is not None:
            continue
        parent = (
            Unit.objects.get(pk=plan.units[planned.parent_key].unit_id)
            if planned.parent_key
            else desas[planned.desa_id]
        )
        unit = unit_create(level=planned.level, name=planned.name, parent=parent)
        planned.unit_id = unit.pk
        label = f"{parent_label or _label_path(parent)} › {unit.label}"
        created_labels[key] = label
        result.new_units.append(label)

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
    RumahTangga.objects.bulk_update([rt.obj for rt in households], ["kepala"], batch_size=BATCH)
    with_ibu = [w.obj for w in plan.warga if w.ibu is not None]
    for w in plan.warga:
        if w.ibu is not None:
            w.obj.ibu_id = w.ibu.obj.pk
    if with_ibu:
        Warga.objects.bulk_update(with_ibu, ["ibu"], batch_size=BATCH)

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
    for dasawisma_id in result.dasawisma_ids:
        transaction.on_commit(lambda i=dasawisma_id: request_refresh(i))

    result.rumah_tangga = len(households)
    result.keluarga = len(keluarga)
    result.warga = len(plan.warga)
    result.kehamilan = len(plan.kehamilan)
    return result


def _label_path(unit: Unit) -> str:
    """``Desa Kaliboto › Dusun Krajan``: from the desa down to ``unit``."""
    chain = [u for u in unit.ancestors(include_self=True) if u.level not in ("provinsi", "kabupaten", "kecamatan")]
    return " › ".join(u.label for u in chain)
