"""Import of the Kemendagri region list (``code,name,level``) into the unit tree.

Two phases so that a malformed file imports nothing:

1. ``validate`` streams the file once and collects every problem with its line number (Bahasa
   Indonesia). It keeps only ``code -> line`` in memory (needed for duplicates and parents).
2. ``load`` streams the file once per level (provinsi first) in batches: per batch one lookup of the
   existing codes, one of the parents (with their paths), an insert of the new rows and ``bulk_update``
   of renamed ones. On PostgreSQL the new rows get their ids from the sequence up front and go in with
   COPY, ``path`` included; elsewhere ``bulk_create`` and then ``fill_missing_paths`` (one UPDATE per
   level).
   Memory stays bounded by the batch size, whatever the file size.
"""

from __future__ import annotations

import csv
import gzip
import lzma
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import Level, Unit, path_segment
from .services import fill_missing_paths, kind_from_code

HEADER = ["code", "name", "level"]
LEVELS = (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA)
# Code pattern per level: NN, NN.NN, NN.NN.NN, NN.NN.NN.NNNN
CODE_RE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
LEVEL_BY_DEPTH = {1: Level.PROVINSI, 2: Level.KABUPATEN, 3: Level.KECAMATAN, 4: Level.DESA}
NAME_MAX = Unit._meta.get_field("name").max_length
BATCH = 2000
# The whole country, shipped with the repository (fixtures/wilayah/SOURCE.md).
DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "wilayah" / "wilayah.csv.xz"


class WilayahImportError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class ImportResult:
    created: dict[str, int] = field(default_factory=lambda: {lv.value: 0 for lv in LEVELS})
    updated: dict[str, int] = field(default_factory=lambda: {lv.value: 0 for lv in LEVELS})
    unchanged: dict[str, int] = field(default_factory=lambda: {lv.value: 0 for lv in LEVELS})


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def in_selection(code: str, root: str | None) -> bool:
    """``root``, its ancestors and everything under it."""
    if root is None:
        return True
    return code == root or code.startswith(root + ".") or root.startswith(code + ".")


def open_csv(path: str | Path):
    """A text handle on a CSV file, plain or compressed (``.xz``, ``.gz``)."""
    path = Path(path)
    opener = {".xz": lzma.open, ".gz": gzip.open}.get(path.suffix, open)
    return opener(path, "rt", encoding="utf-8-sig", newline="")


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) for every data row; line 1 is the header."""
    with open_csv(path) as fh:
        reader = csv.reader(fh)
        for row in reader:
            yield reader.line_num, row


def validate(path: Path, *, root: str | None = None) -> list[str]:
    """Every problem of the file, each with its line number; empty when the file can be imported."""
    problems: list[str] = []
    if root is not None and not CODE_RE.match(root):
        problems.append(f"Kode --root “{root}” tidak sah (format: NN, NN.NN, NN.NN.NN atau NN.NN.NN.NNNN).")
    try:
        rows = _rows(path)
        first = next(rows, None)
    except UnicodeDecodeError as exc:
        return [_not_utf8(path, exc)]
    except (OSError, EOFError, lzma.LZMAError) as exc:
        return [f"Berkas {path} tidak dapat dibaca: {getattr(exc, 'strerror', None) or exc}"]
    if first is None:
        return [f"Berkas {path} kosong (baris 1 harus berisi kepala kolom code,name,level)."]
    if [c.strip().lower() for c in first[1]] != HEADER:
        problems.append(f"Baris 1: kepala kolom harus “code,name,level”, tertulis “{','.join(first[1])}”.")

    seen: dict[str, int] = {}  # code -> line
    pending: list[tuple[int, str, str]] = []  # (line, code, parent code) whose parent was not seen yet
    root_found = root is None
    try:
        for line, row in rows:
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != 3:
                problems.append(f"Baris {line}: harus ada 3 kolom (code,name,level), tertulis {len(row)} kolom.")
                continue
            code, name, level = (c.strip() for c in row)
            ok = True
            if not CODE_RE.match(code):
                problems.append(
                    f"Baris {line}: kode “{code}” tidak sah (format: NN, NN.NN, NN.NN.NN atau NN.NN.NN.NNNN)."
                )
                ok = False
            if level not in LEVELS:
                problems.append(
                    f"Baris {line}: tingkat “{level}” tidak dikenal (harus provinsi, kabupaten, kecamatan atau desa)."
                )
                ok = False
            if ok and LEVEL_BY_DEPTH[code.count(".") + 1] != level:
                expected = LEVEL_BY_DEPTH[code.count(".") + 1]
                problems.append(
                    f"Baris {line}: tingkat “{level}” tidak cocok dengan kode {code} (kode ini untuk {expected})."
                )
                ok = False
            if not name:
                problems.append(f"Baris {line}: nama wilayah kosong untuk kode {code}.")
            elif len(name) > NAME_MAX:
                problems.append(f"Baris {line}: nama wilayah lebih dari {NAME_MAX} karakter untuk kode {code}.")
            if not CODE_RE.match(code):
                continue
            if code in seen:
                problems.append(f"Baris {line}: kode {code} ganda (sudah ada di baris {seen[code]}).")
                continue
            seen[code] = line
            if code == root:
                root_found = True
            parent = parent_code(code)
            if ok and parent is not None and parent not in seen:
                pending.append((line, code, parent))
    except UnicodeDecodeError as exc:
        problems.append(_not_utf8(path, exc))
        return problems
    except (OSError, EOFError, lzma.LZMAError) as exc:  # a truncated or corrupt .xz/.gz
        problems.append(f"Berkas {path} rusak setelah baris {len(seen) + 1}: {exc}")
        return problems

    # Parents that come later in the file are fine; the rest must already be in the database.
    missing = [(line, code, parent) for line, code, parent in pending if parent not in seen]
    if missing:
        wanted = sorted({p for _, _, p in missing})
        in_db: set[str] = set()
        for i in range(0, len(wanted), BATCH):
            in_db.update(Unit.objects.filter(code__in=wanted[i : i + BATCH]).values_list("code", flat=True))
        for line, code, parent in missing:
            if parent not in in_db:
                problems.append(
                    f"Baris {line}: induk {parent} untuk kode {code} tidak ada di berkas maupun di basis data."
                )
    if not root_found and CODE_RE.match(root or ""):
        problems.append(f"Kode --root {root} tidak ada di berkas.")
    problems.sort(key=_line_of)
    return problems


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> str:
    return f"Berkas {path} bukan teks UTF-8 (byte {exc.start}: {exc.reason}); simpan ulang sebagai CSV UTF-8."


def _line_of(problem: str) -> int:
    m = re.match(r"Baris (\d+):", problem)
    return int(m.group(1)) if m else 10**12


def _batches(path: Path, level: str, root: str | None) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    for line, row in _rows(path):
        if line == 1 or len(row) != 3:
            continue
        code, name, lv = (c.strip() for c in row)
        if lv != level or not in_selection(code, root):
            continue
        batch.append((code, name))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load(path: Path, *, root: str | None = None) -> ImportResult:
    """Write a file that ``validate`` accepted. Atomic: all or nothing."""
    result = ImportResult()
    now = timezone.now()
    with transaction.atomic():
        for level in LEVELS:
            for batch in _batches(path, level, root):
                codes = [code for code, _ in batch]
                existing = {
                    c: (pk, name, kind)
                    for c, pk, name, kind in Unit.objects.filter(code__in=codes).values_list(
                        "code", "pk", "name", "kind"
                    )
                }
                parents: dict[str, tuple[int, str]] = {}
                if level != Level.PROVINSI:
                    parent_codes = list({parent_code(c) for c in codes})
                    parents = {
                        c: (pk, path)
                        for c, pk, path in Unit.objects.filter(code__in=parent_codes).values_list("code", "pk", "path")
                    }
                new: list[tuple[str, str, str, int | None, str]] = []  # code, name, kind, parent id, parent path
                changed: list[Unit] = []
                for code, name in batch:
                    kind = kind_from_code(code, level)
                    if code in existing:
                        pk, old_name, old_kind = existing[code]
                        if old_name != name or old_kind != kind:
                            changed.append(Unit(pk=pk, name=name, kind=kind, updated_at=now))
                        else:
                            result.unchanged[level] += 1
                        continue
                    parent_id, parent_path = parents[parent_code(code)] if level != Level.PROVINSI else (None, "")
                    new.append((code, name, kind, parent_id, parent_path))
                if new:
                    _insert(level, new, now)
                    result.created[level] += len(new)
                if changed:
                    Unit.objects.bulk_update(changed, ["name", "kind", "updated_at"], batch_size=500)
                    result.updated[level] += len(changed)
        fill_missing_paths()
    return result


def _insert(level: str, new: list[tuple[str, str, str, int | None, str]], now) -> None:
    """Insert new units. On PostgreSQL the ids are reserved from the sequence first so that ``path`` is
    written with the row (COPY, no second pass over 90,000 rows); elsewhere ``bulk_create`` (which
    returns the pks) and ``fill_missing_paths`` afterwards."""
    if connection.vendor != "postgresql":
        Unit.objects.bulk_create(
            [
                Unit(level=level, kind=kind, code=code, name=name, parent_id=parent_id)
                for code, name, kind, parent_id, _ in new
            ],
            batch_size=BATCH,
        )
        return
    table = Unit._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [len(new)])
        ids = [row[0] for row in cur.fetchall()]
        columns = "id, created_at, updated_at, level, kind, code, name, parent_id, path, is_active"
        with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, (code, name, kind, parent_id, parent_path) in zip(ids, new, strict=True):
                # A parent without a path (should not happen) leaves the path to fill_missing_paths.
                path = parent_path + path_segment(pk) if parent_path or parent_id is None else ""
                copy.write_row((pk, now, now, level, kind, code, name, parent_id, path, True))


def import_wilayah(path: str | Path | None = None, *, root: str | None = None) -> ImportResult:
    """Validate the whole file (default: the whole country shipped in ``fixtures/wilayah``), then load it;
    raises ``WilayahImportError`` listing every problem."""
    path = Path(path) if path is not None else DEFAULT_FILE
    problems = validate(path, root=root)
    if problems:
        raise WilayahImportError(problems)
    return load(path, root=root)
