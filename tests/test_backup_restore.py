"""Backup and restore as docs/deploy.md describes it (pg_dump custom format, pg_restore into a fresh database,
the private and the public media directory each in a tar), on demo data: the restored copy gives identical
reports, row counts and files. PostgreSQL only (marker ``postgres``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(settings.BASE_DIR)
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{name}"


def fingerprint() -> dict:
    """What must survive a restore: every table's row count, every stored rekap row, three official sheets
    cell by cell, and every file's checksum. Runs in a subprocess against the database of DATABASE_URL."""
    import io

    from django.apps import apps
    from openpyxl import load_workbook

    from pkk.models import Unit
    from reporting.excel import report_xlsx
    from reporting.layouts import get_layout
    from reporting.models import RekapBulanan, RekapTahunan
    from reporting.selectors import report_for_unit

    out: dict = {"rows": {}, "rekap": [], "sheets": {}, "files": {}}
    for model in apps.get_models():
        out["rows"][model._meta.db_table] = model.objects.count()
    for model in (RekapTahunan, RekapBulanan):
        rows = model.objects.order_by("unit__path", *(["tahun"] if model is RekapTahunan else ["bulan"])).values()
        out["rekap"] += [json.dumps({k: v for k, v in r.items() if k not in ("id", "computed_at")}, default=str)
                         for r in rows]  # fmt: skip
    year = RekapTahunan.objects.order_by("-tahun").values_list("tahun", flat=True).first()
    for code, lampiran in (("33.06", "4.17c"), ("33.06.16", "4.17b"), ("33.06.16.2006", "4.17a")):
        unit = Unit.objects.get(code=code)
        report = report_for_unit(get_layout(lampiran), unit, year)
        ws = load_workbook(io.BytesIO(report_xlsx(report))).active
        out["sheets"][lampiran] = [[c.value for c in row] for row in ws.iter_rows()]
    for label, root in (("private", settings.PKK_PRIVATE_MEDIA_ROOT), ("media", settings.MEDIA_ROOT)):
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                out["files"][f"{label}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _fingerprint_of(database_url: str, private: Path, media: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "PKK_PRIVATE_MEDIA_ROOT": str(private),
           "MEDIA_ROOT": str(media), "DJANGO_SETTINGS_MODULE": "pkk.settings"}  # fmt: skip
    code = ("import json, django; django.setup(); from tests.test_backup_restore import fingerprint; "
            "print('FP' + json.dumps(fingerprint(), default=str))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(x for x in done.stdout.splitlines() if x.startswith("FP"))
    return json.loads(line[2:])


def _run(*cmd: str) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"{' '.join(cmd)}:\n{done.stderr[-3000:]}"


def test_dump_and_restore_give_identical_reports_and_files(tmp_path, settings, django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are pg_dump/pg_restore: needs a PostgreSQL DATABASE_URL")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed")
    from dasawisma.models import WorkbookJob
    from dasawisma.workbook.jobs import workbook_export_job_create
    from pkk.models import Unit

    private, media = Path(settings.PKK_PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)
    call_command("seed_demo", households=40, force=True, verbosity=0)
    from django.contrib.auth import get_user_model

    desa = get_user_model().objects.get(username="desa.kaliboto")
    with django_capture_on_commit_callbacks(execute=True):  # an uploaded/generated private file to keep
        workbook_export_job_create(unit=Unit.objects.get(code="33.06.16.2006"), actor=desa)
    job = WorkbookJob.objects.get()
    assert job.status == "selesai" and Path(job.file.path).is_file()
    (media / "exports").mkdir(parents=True, exist_ok=True)
    (media / "exports" / "contoh.xlsx").write_bytes(b"PK\x03\x04 a public export file")

    source = _url(connection.settings_dict["NAME"])
    before = _fingerprint_of(source, private, media)
    assert before["rows"]["dasawisma_warga"] > 100 and before["rekap"] and before["files"]
    assert any(k.startswith("private/workbook/ekspor/") for k in before["files"])

    # Backup: the commands of docs/deploy.md.
    dump = tmp_path / "sipkk.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--dbname={source}", f"--file={dump}")
    for label, root in (("private", private), ("media", media)):
        _run("tar", "-czf", str(tmp_path / f"sipkk-{label}.tar.gz"), "-C", str(root), ".")

    # Restore into a fresh database and fresh directories.
    name = f"pkk_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_url(name)}", str(dump))
        restored = tmp_path / "restore"
        for label in ("private", "media"):
            (restored / label).mkdir(parents=True)
            _run("tar", "-xzf", str(tmp_path / f"sipkk-{label}.tar.gz"), "-C", str(restored / label))
        after = _fingerprint_of(_url(name), restored / "private", restored / "media")
    finally:
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert after["rows"] == before["rows"]
    assert after["rekap"] == before["rekap"]
    assert after["sheets"] == before["sheets"]
    assert after["files"] == before["files"]
