"""The real units the demo stands on: the hand-written ``fixtures/demo_wilayah.json`` (Purworejo: Bener with
Kaliboto and Kedungpucang, Grabag, Purworejo, Kutoarjo), and a bulk loader of an official CSV for the
benchmark's fallback."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from pkk.models import Level, Unit
from pkk.services import fill_missing_paths, kind_from_code, unit_create

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo_wilayah.json"


def load_fixture(path: Path = FIXTURE) -> dict[str, Unit]:
    """Get-or-create the hand-written units by code (idempotent); returns {code: Unit}."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))["units"]
    out: dict[str, Unit] = {}
    existing = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    for row in rows:
        code = row["code"]
        unit = existing.get(code)
        if unit is None:
            parent_code = code.rsplit(".", 1)[0] if "." in code else None
            parent = out.get(parent_code) if parent_code else None
            if parent is None and parent_code:
                parent = Unit.objects.get(code=parent_code)
            unit = unit_create(
                level=row["level"],
                name=row["name"],
                parent=parent,
                code=code,
                kind=kind_from_code(code, row["level"]),
            )
        out[code] = unit
    return out


def load_wilayah_csv(path: Path, root: str = "33.06") -> dict[str, Unit]:
    """Fallback loader of an official ``code,name,level`` CSV for one kabupaten (bulk, per level)."""
    import csv

    from pkk.wilayah_import import open_csv

    with open_csv(path) as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["code"] == root.split(".")[0] or r["code"] == root or r["code"].startswith(root + ".")
        ]
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in rows])}
    now = timezone.now()
    for level in (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA):
        new = []
        for r in rows:
            if r["level"] != level or r["code"] in by_code:
                continue
            parent = by_code.get(r["code"].rsplit(".", 1)[0]) if "." in r["code"] else None
            new.append(
                Unit(
                    level=level,
                    name=r["name"],
                    code=r["code"],
                    kind=kind_from_code(r["code"], level),
                    parent=parent,
                    created_at=now,
                    updated_at=now,
                )
            )
        Unit.objects.bulk_create(new, batch_size=1000)
        by_code.update({u.code: u for u in Unit.objects.filter(code__in=[u.code for u in new])})
    fill_missing_paths()
    return {u.code: u for u in Unit.objects.filter(code__in=list(by_code))}
