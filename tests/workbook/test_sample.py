"""The synthetic workbook used by the benchmark is valid, deterministic, and exports back identically."""

from __future__ import annotations

import hashlib

import pytest
from openpyxl import load_workbook

from dasawisma.models import Kehamilan, RumahTangga, Warga
from dasawisma.workbook.exporter import workbook_export
from dasawisma.workbook.importer import workbook_import
from dasawisma.workbook.sample import write_sample_workbook

pytestmark = pytest.mark.django_db


def _cells(path) -> str:
    wb = load_workbook(path, read_only=True)
    return hashlib.sha256(repr([list(wb[s].iter_rows(values_only=True)) for s in wb.sheetnames]).encode()).hexdigest()


def test_sample_workbook_is_valid_and_deterministic(tree, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    counts = write_sample_workbook(a, kode_desa="33.06.16.2006", n_warga=600, seed=7)
    write_sample_workbook(b, kode_desa="33.06.16.2006", n_warga=600, seed=7)
    assert _cells(a) == _cells(b)
    assert counts["warga"] == 600 and counts["kehamilan"] > 0
    result = workbook_import(source=a, actor=tree.desa)
    assert result.ok, result.issues[:5]
    assert Warga.objects.count() == 600
    assert RumahTangga.objects.count() == counts["rumah_tangga"]
    assert Kehamilan.objects.count() == counts["kehamilan"]
    assert Warga.objects.filter(tanggal_meninggal__isnull=False).exists()
    assert Warga.objects.filter(tanggal_pindah__isnull=False).exists()
    assert Kehamilan.objects.filter(tanggal_selesai__isnull=True).exists()
    assert RumahTangga.objects.filter(kepala__isnull=True).count() == 0
    out = tmp_path / "out.xlsx"
    exported = workbook_export(unit=tree.kaliboto, out=out, actor=tree.desa)
    assert (exported.rumah_tangga, exported.warga, exported.kehamilan) == (
        counts["rumah_tangga"], counts["warga"], counts["kehamilan"])  # fmt: skip
