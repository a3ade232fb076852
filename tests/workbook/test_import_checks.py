"""Every kind of error is reported with sheet, row and column; a file with any error writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from dasawisma.models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga
from dasawisma.workbook import columns as c
from dasawisma.workbook.importer import workbook_import
from pkk.models import Level, Unit

from .conftest import KEDUNGPUCANG, counts, hamil_row, rt_row, valid_rows, warga_row

pytestmark = pytest.mark.django_db

RT, W, K = c.SHEET_RUMAH_TANGGA, c.SHEET_WARGA, c.SHEET_KEHAMILAN
FUTURE = dt.date.today() + dt.timedelta(days=3)


def _set(rows, sheet, index, **cells):
    rows[sheet][index].update(cells)
    return rows


def where(result) -> set[tuple[str, int, str]]:
    return {(i.sheet, i.row, i.column) for i in result.issues}


def test_a_valid_file_imports_everything(tree, book):
    before = counts()
    result = workbook_import(source=book(), actor=tree.desa, filename="data.xlsx")
    assert result.ok, result.issues
    after = counts()
    assert after["rumah_tangga"] - before["rumah_tangga"] == 2
    assert after["keluarga"] - before["keluarga"] == 2
    assert after["warga"] - before["warga"] == 4
    assert after["kehamilan"] - before["kehamilan"] == 1
    # Mawar existed; RW 02 > RT 05 > Dasawisma Bougenville did not: created under Dusun Krajan and listed.
    assert result.new_units == [
        "Desa Kaliboto › Dusun Krajan › RW 02",
        "Desa Kaliboto › Dusun Krajan › RW 02 › RT 05",
        "Desa Kaliboto › Dusun Krajan › RW 02 › RT 05 › Dasawisma Bougenville",
    ]
    rt1 = RumahTangga.objects.get(kode="RT-1")
    assert rt1.dasawisma == tree.mawar
    assert rt1.kepala.kode == "W-1"
    assert (rt1.sumber_air_pdam, rt1.sumber_air_sumur, rt1.sumber_air_sungai, rt1.sumber_air_lainnya) == (
        True, True, False, False)  # fmt: skip
    assert rt1.stiker_p4k is None and rt1.jumlah_jamban == 1 and rt1.tempat_sampah and not rt1.spal
    bougenville = Unit.objects.get(level=Level.DASAWISMA, name="Bougenville")
    assert bougenville.path.startswith(tree.krajan.path) and bougenville.parent.parent.name == "02"
    w3 = Warga.objects.get(kode="W-3")
    assert w3.ibu.kode == "W-2" and w3.keluarga.no_kk == "3306101203040001" and w3.no_kk == w3.keluarga.no_kk
    assert Warga.objects.get(kode="W-2").jenis_kb == "pil"
    assert Keluarga.objects.filter(rumah_tangga=rt1).count() == 1
    k = Kehamilan.objects.get()
    assert k.warga.kode == "W-2" and k.dasawisma == tree.mawar and k.kek is False and k.tanggal_selesai is None
    # One summary audit row per rumah tangga, one outbox row per touched dasawisma.
    audit = Riwayat.objects.get(model="rumah_tangga", object_id=rt1.pk)
    assert audit.aksi == "buat" and audit.actor == tree.desa and audit.changes["jumlah_warga"] == [None, 3]
    assert "data.xlsx" in audit.changes["sumber"][1]
    changes = dict(DasawismaChange.objects.values_list("dasawisma_id", "since"))
    assert changes == {tree.mawar.pk: dt.date(1980, 5, 17), bougenville.pk: dt.date(1980, 5, 17)}
    # No. Registrasi: desa code digits + entry year + sequence, unique.
    regs = sorted(Warga.objects.values_list("no_registrasi", flat=True))
    year = dt.date.today().year
    assert regs == [f"3306162006{year}{n:05d}" for n in range(1, 5)]


def test_numbers_typed_as_excel_numbers_and_case_are_accepted(tree, book):
    rows = valid_rows()
    _set(rows, W, 0, nik=3306101705800001, no_kk=3306101203040001.0, kepala_rumah_tangga="YA", jenis_kelamin="l")
    _set(rows, RT, 1, rw=2, rt=5, sumber_air="PDAM, Sumur")
    _set(rows, K, 0, tanggal_mulai="2025-03-01", hpl="2025-12-06")
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert result.ok, result.issues
    assert Warga.objects.get(kode="W-1").nik == "3306101705800001"
    assert "Desa Kaliboto › Dusun Krajan › RW 02" in result.new_units


def test_rw_and_rt_match_existing_units_by_number(tree, book):
    rows = valid_rows()
    _set(rows, RT, 0, rw="1", rt=1, dasawisma=" mawar ")
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert result.ok, result.issues
    assert RumahTangga.objects.get(kode="RT-1").dasawisma == tree.mawar


def test_desa_without_dusun_puts_rw_under_the_desa(tree, book):
    rows = valid_rows()
    _set(rows, RT, 0, kode_desa=KEDUNGPUCANG, dusun="", rw="01", rt="01", dasawisma="Kenanga")
    _set(rows, RT, 1, kode_desa="3306162004", dusun="", rw="03", rt="01", dasawisma="Baru")
    result = workbook_import(source=book(rows), actor=tree.pembina)  # pembina reads, does not write (DOMAIN 2)
    assert not result.ok and "di luar wilayah Anda" in str(result.issues)
    result = workbook_import(source=book(rows), actor=None)  # the command line (an operator)
    assert result.ok, result.issues
    assert RumahTangga.objects.get(kode="RT-1").dasawisma == tree.kenanga
    assert result.new_units[0] == "Desa Kedungpucang › RW 03"
    assert Unit.objects.get(level=Level.RW, name="03").parent == tree.kedungpucang


CASES = [
    # (sheet, index of the data row, cells, column of the expected error, words of the reason)
    (W, 0, {"nik": "330610170580001"}, "nik", "16 angka"),
    (W, 0, {"nik": "33061017058000AB"}, "nik", "16 angka"),
    (W, 1, {"nik": "3306101705800001"}, "nik", "baris 2"),
    (W, 0, {"no_kk": "12345"}, "no_kk", "16 angka"),
    (W, 0, {"no_kk": ""}, "no_kk", "wajib"),
    (W, 0, {"nama": ""}, "nama", "wajib"),
    (W, 0, {"nama": "x" * 121}, "nama", "terlalu panjang"),
    (W, 0, {"jenis_kelamin": "X"}, "jenis_kelamin", "bukan pilihan"),
    (W, 0, {"agama": "islamm"}, "agama", "bukan pilihan"),
    (W, 0, {"status_perkawinan": ""}, "status_perkawinan", "wajib"),
    (W, 0, {"status_dalam_keluarga": "bos"}, "status_dalam_keluarga", "bukan pilihan"),
    (W, 0, {"pendidikan": "sma2"}, "pendidikan", "bukan pilihan"),
    (W, 0, {"kelompok_belajar": "paket_d"}, "kelompok_belajar", "bukan pilihan"),
    (W, 0, {"berkebutuhan_khusus": "mental"}, "berkebutuhan_khusus", "bukan pilihan"),
    (W, 0, {"akseptor_kb": "y"}, "akseptor_kb", "“ya” atau “tidak”"),
    (W, 0, {"tanggal_lahir": FUTURE}, "tanggal_lahir", "masa depan"),
    (W, 0, {"tanggal_lahir": "17-05-1980"}, "tanggal_lahir", "YYYY-MM-DD"),
    (W, 0, {"tanggal_lahir": "2023-02-30"}, "tanggal_lahir", "bukan tanggal"),
    (W, 0, {"tanggal_lahir": None}, "tanggal_lahir", "wajib"),
    (W, 2, {"tanggal_meninggal": dt.date(2010, 1, 1)}, "tanggal_meninggal", "sebelum tanggal lahir"),
    (W, 2, {"tanggal_pindah": FUTURE}, "tanggal_pindah", "masa depan"),
    (W, 2, {"sebab_meninggal": "Sakit"}, "sebab_meninggal", "tanggal_meninggal"),
    (W, 2, {"tiga_buta": "ya"}, "tiga_buta", "13 tahun"),
    (W, 0, {"menyusui": "ya"}, "menyusui", "perempuan"),
    (W, 1, {"kode_warga": "W-1"}, "kode_warga", "baris 2"),
    (W, 0, {"kode_rumah_tangga": "RT-9"}, "kode_rumah_tangga", "tidak ada di lembar rumah_tangga"),
    (W, 1, {"kepala_rumah_tangga": "ya"}, "kepala_rumah_tangga", "sudah punya kepala"),
    (W, 2, {"kode_warga_ibu": "W-9"}, "kode_warga_ibu", "tidak ada"),
    (W, 2, {"kode_warga_ibu": "W-1"}, "kode_warga_ibu", "perempuan"),
    (RT, 0, {"kode_desa": "33.06.16.2999"}, "kode_desa", "tidak ditemukan atau di luar wilayah"),
    (RT, 0, {"kode_desa": "33.06.01.2001"}, "kode_desa", "tidak ditemukan atau di luar wilayah"),  # Grabag
    (RT, 1, {"kode_rumah_tangga": "RT-1"}, "kode_rumah_tangga", "baris 2"),
    (RT, 0, {"kriteria_rumah": "layak"}, "kriteria_rumah", "bukan pilihan"),
    (RT, 0, {"makanan_pokok": ""}, "makanan_pokok", "wajib"),
    (RT, 0, {"rw": "satu"}, "rw", "harus berupa nomor"),  # issue 10: RW/RT are numbers
    (RT, 0, {"rt": "0"}, "rt", "harus berupa nomor"),
    (W, 0, {"tanggal_lahir": dt.date(1890, 5, 14)}, "tanggal_lahir", "lebih dari 120 tahun"),
    (RT, 0, {"sumber_air": "pdam,pam"}, "sumber_air", "“pam” bukan pilihan"),
    (RT, 0, {"sumber_air": ""}, "sumber_air", "wajib"),
    (RT, 0, {"jumlah_jamban": "dua"}, "jumlah_jamban", "bilangan bulat"),
    (RT, 0, {"stiker_p4k": "mungkin"}, "stiker_p4k", "“ya” atau “tidak”"),
    (RT, 0, {"rw": ""}, "rw", "wajib"),
    (RT, 0, {"dasawisma": None}, "dasawisma", "wajib"),
    (K, 0, {"kode_warga_ibu": "W-1"}, "kode_warga_ibu", "perempuan"),
    (K, 0, {"kode_warga_ibu": "W-404"}, "kode_warga_ibu", "tidak ada di lembar warga"),
    (K, 0, {"tanggal_selesai": dt.date(2025, 11, 30)}, "hasil", "wajib diisi bila tanggal_selesai"),
    (K, 0, {"hasil": "lahir_hidup"}, "tanggal_selesai", "wajib diisi bila hasil"),
    (K, 0, {"hasil": "kembar", "tanggal_selesai": dt.date(2025, 11, 30)}, "hasil", "bukan pilihan"),
    (K, 0, {"tanggal_selesai": dt.date(2025, 1, 1), "hasil": "keguguran"}, "tanggal_selesai", "sebelum tanggal mulai"),
    (K, 0, {"tanggal_mulai": FUTURE}, "tanggal_mulai", "masa depan"),
    (K, 0, {"tanggal_mulai": dt.date(1995, 1, 1)}, "tanggal_mulai", "usia subur"),
    (K, 0, {"hpl": dt.date(2024, 1, 1)}, "hpl", "sebelum tanggal mulai"),
    (K, 0, {"kek": "kurus"}, "kek", "“ya” atau “tidak”"),
]


@pytest.mark.parametrize(("sheet", "index", "cells", "column", "reason"), CASES)
def test_each_error_is_reported_with_sheet_row_and_column_and_nothing_is_written(
    tree, book, sheet, index, cells, column, reason
):
    rows = _set(valid_rows(), sheet, index, **cells)
    before = counts()
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert not result.ok
    issue = next((i for i in result.issues if (i.sheet, i.row, i.column) == (sheet, index + 2, column)), None)
    assert issue is not None, result.issues
    assert reason in issue.reason, issue.reason
    assert counts() == before  # all or nothing: not a single row, not a single unit


def test_every_error_of_a_file_is_reported_at_once(tree, book):
    rows = valid_rows()
    _set(rows, RT, 1, kriteria_rumah="x", sumber_air="air")
    _set(rows, W, 0, nik="1", agama="?")
    _set(rows, W, 3, tanggal_lahir="kemarin")
    _set(rows, K, 0, kek="?")
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert {(RT, 3, "kriteria_rumah"), (RT, 3, "sumber_air"), (W, 2, "nik"), (W, 2, "agama"),
            (W, 5, "tanggal_lahir"), (K, 2, "kek")} <= where(result)  # fmt: skip


def test_a_household_without_kepala_is_an_error(tree, book):
    rows = _set(valid_rows(), W, 3, kepala_rumah_tangga="tidak")
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert (RT, 3, "kode_rumah_tangga") in where(result)
    assert "tidak punya kepala" in result.issues[0].reason


def test_overlapping_pregnancies_are_an_error(tree, book):
    rows = valid_rows()
    rows[K] = [
        hamil_row("W-2", tanggal_mulai=dt.date(2024, 1, 1), tanggal_selesai=dt.date(2024, 9, 1), hasil="lahir_hidup"),
        hamil_row("W-2", tanggal_mulai=dt.date(2024, 8, 1)),
    ]
    assert (K, 3, "tanggal_mulai") in where(workbook_import(source=book(rows), actor=tree.desa))
    rows[K][1]["tanggal_mulai"] = dt.date(2024, 9, 1)  # starting on the day the previous ended is fine
    rows[K][1]["hpl"] = None
    assert workbook_import(source=book(rows), actor=tree.desa).ok


def test_nik_already_registered_in_scope_names_the_record(tree, book):
    assert workbook_import(source=book(), actor=tree.desa).ok
    rows = valid_rows()
    for sheet in rows.values():
        for row in sheet:
            for key in ("kode_rumah_tangga", "kode_warga", "kode_warga_ibu"):
                if row.get(key):
                    row[key] += "-lagi"
    before = counts()
    result = workbook_import(source=book(rows), actor=tree.desa)
    issue = next(i for i in result.issues if (i.sheet, i.row, i.column) == (W, 2, "nik"))
    assert "sudah terdaftar" in issue.reason and "Warga W-1" in issue.reason and "Mawar" in issue.reason
    assert counts() == before


def test_nik_registered_outside_scope_does_not_say_where(tree, book):
    rows = valid_rows()
    workbook_import(source=book(rows), actor=None)  # the operator imports Kaliboto
    other = {RT: [rt_row("KP-1", kode_desa=KEDUNGPUCANG, dusun="", dasawisma="Kenanga")],
             W: [warga_row("KP-W1", "KP-1", kepala_rumah_tangga="ya", nik="3306101705800001")], K: []}  # fmt: skip
    result = workbook_import(source=book(other), actor=tree.desa_kp)
    issue = next(i for i in result.issues if i.column == "nik")
    assert (issue.sheet, issue.row) == (W, 2)
    assert "sudah terdaftar" in issue.reason
    for secret in ("Kaliboto", "Mawar", "W-1", "Warga", "Krajan", "No. Registrasi"):
        assert secret not in issue.reason


def test_reimporting_the_same_file_is_refused_and_changes_nothing(tree, book):
    path = book()
    assert workbook_import(source=path, actor=tree.desa).ok
    before = counts()
    result = workbook_import(source=path, actor=tree.desa)
    assert not result.ok
    assert {(RT, 2, "kode_rumah_tangga"), (RT, 3, "kode_rumah_tangga"), (W, 2, "kode_warga")} <= where(result)
    assert "sudah pernah diimpor" in result.issues[0].reason
    assert counts() == before


def test_a_desa_outside_the_importers_scope_is_refused(tree, book):
    """An outsider TP PKK desa (Kedungpucang) cannot import into Kaliboto; same answer as a missing desa."""
    before = counts()
    result = workbook_import(source=book(), actor=tree.desa_kp)
    assert {(RT, 2, "kode_desa"), (RT, 3, "kode_desa")} <= where(result)
    assert counts() == before


def test_a_kader_cannot_import_even_into_their_own_desa(tree, book):
    result = workbook_import(source=book(), actor=tree.kader)
    assert (RT, 2, "kode_desa") in where(result)


def test_header_problems(tree, book):
    keys = {W: [k for k in c.WARGA_KEYS if k != "agama"] + ["hobi"]}
    result = workbook_import(source=book(keys=keys), actor=tree.desa)
    assert (W, 1, "agama") in where(result)
    assert any(i.sheet == W and i.row == 1 and "hobi" in i.reason for i in result.issues)


def test_a_missing_sheet_and_a_file_that_is_not_a_workbook(tree, book, tmp_path):
    rows = valid_rows()
    del rows[K]
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert [(i.sheet, i.row) for i in result.issues] == [(K, 0)]
    junk = tmp_path / "junk.xlsx"
    junk.write_text("bukan excel")
    result = workbook_import(source=junk, actor=tree.desa)
    assert not result.ok and result.issues[0].reason.startswith("Berkas bukan workbook Excel (.xlsx)")


def test_the_standard_keys_alone_are_enough(tree, book):
    """The two extra warga columns of the export are optional."""
    result = workbook_import(source=book(keys={W: c.WARGA_KEYS}), actor=tree.desa)
    assert result.ok, result.issues
    assert Warga.objects.get(kode="W-3").ibu is None


def test_queries_do_not_grow_with_rows(tree, book, django_assert_max_num_queries):
    """Checks and writes use a fixed number of queries per batch (plus a few per new unit), never one per row.

    404 rows (202 households, 202 warga): one query per row would be 400+. SQLite batches are smaller (its
    parameter limit), hence the margin; on PostgreSQL this import takes about 35 queries."""
    rows = valid_rows()
    for n in range(200):
        rows[RT].append(rt_row(f"X-{n}"))
        nik = f"330610170580{n + 10:04d}"
        rows[W].append(warga_row(f"XW-{n}", f"X-{n}", kepala_rumah_tangga="ya", nik=nik))
    with django_assert_max_num_queries(100):
        result = workbook_import(source=book(rows), actor=tree.desa)
    assert result.ok, result.issues[:3]
    assert Warga.objects.count() == 204


def test_row_numbers_count_empty_rows(tree, book):
    """An empty row in the middle is skipped, and the rows after it keep their spreadsheet numbers."""
    rows = valid_rows()
    rows[W].insert(1, {})
    rows[W][2]["agama"] = "?"  # W-2, now on spreadsheet row 4
    result = workbook_import(source=book(rows), actor=tree.desa)
    assert where(result) == {(W, 4, "agama")}


@pytest.mark.django_db(transaction=True)
def test_big_import_refreshes_planner_statistics(monkeypatch, tmp_path):
    """After a big import the tables are ANALYZEd after commit (PostgreSQL), so the roll-up's plans see
    the new rows; a small import skips it."""
    from dasawisma.workbook import importer
    from dasawisma.workbook.sample import write_sample_workbook
    from tests.builders import build_tree
    from tests.workbook.conftest import KALIBOTO

    build_tree(with_users=False)
    calls = []
    original = importer._analyze_tables
    monkeypatch.setattr(importer, "_analyze_tables", lambda: (calls.append(1), original()))
    small, big = tmp_path / "small.xlsx", tmp_path / "big.xlsx"
    write_sample_workbook(small, kode_desa=KALIBOTO, n_warga=20, seed=3)
    assert not importer.workbook_import(source=small).issues
    assert calls == []
    monkeypatch.setattr(importer, "ANALYZE_AFTER_ROWS", 10)
    write_sample_workbook(big, kode_desa=KALIBOTO, n_warga=20, seed=4)
    result = importer.workbook_import(source=big)
    assert not result.issues, result.issues
    assert calls == [1]
