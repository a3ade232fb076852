"""``import_dasawisma`` and ``export_dasawisma``: output, exit codes, scope of --user, the export log."""

from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from dasawisma.management.commands import export_dasawisma, import_dasawisma
from dasawisma.models import Warga
from pkk.models import PersonalDataExportLog

from .conftest import counts, valid_rows

pytestmark = pytest.mark.django_db


def run(command, *argv) -> tuple[int, str, str]:
    """Run like ``manage.py``: returns (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    cmd = command.Command(stdout=out, stderr=err)
    code = 0
    # run_from_argv closes the DB connections at the end: keep the test transaction open.
    with mock.patch("django.core.management.base.connections.close_all"):
        try:
            cmd.run_from_argv(["manage.py", command.__name__.rsplit(".", 1)[-1], *argv])
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_command_success(tree, book):
    code, out, err = run(import_dasawisma, str(book()))
    assert code == 0, err
    assert "2 rumah tangga, 2 keluarga, 4 warga, 1 kehamilan" in out
    assert "Desa Kaliboto › Dusun Krajan › RW 02 › RT 05 › Dasawisma Bougenville" in out
    assert Warga.objects.count() == 4


def test_import_command_prints_every_error_and_exits_non_zero(tree, book):
    rows = valid_rows()
    rows["warga"][0]["nik"] = "123"
    rows["rumah_tangga"][1]["sumber_air"] = "laut"
    before = counts()
    code, out, err = run(import_dasawisma, str(book(rows)))
    assert code == 2
    assert "rumah_tangga\tbaris 3\tkolom sumber_air\t" in err
    assert "warga\tbaris 2\tkolom nik\tNIK harus 16 angka" in err
    assert "2 kesalahan; tidak ada data yang disimpan" in err
    assert counts() == before


def test_import_command_with_user_is_limited_to_their_scope(tree, book):
    code, _, err = run(import_dasawisma, str(book()), "--user", "desa_kp")
    assert code == 2 and "kolom kode_desa" in err and "di luar wilayah Anda" in err
    code, _, err = run(import_dasawisma, str(book()), "--user", "desa")
    assert code == 0, err


def test_import_command_missing_file_or_user(tree, book, tmp_path):
    assert run(import_dasawisma, str(tmp_path / "tidak-ada.xlsx"))[0] == 1
    assert run(import_dasawisma, str(book()), "--user", "siapa")[0] == 1


def test_export_command_by_code_and_by_id_logs_each_export(tree, book, tmp_path):
    call_command("import_dasawisma", str(book()), stdout=StringIO())
    out = tmp_path / "kaliboto.xlsx"
    code, stdout, err = run(export_dasawisma, "--unit", "33.06.16.2006", "--out", str(out))
    assert code == 0, err
    assert "2 rumah tangga, 4 warga, 1 kehamilan" in stdout
    wb = load_workbook(out, read_only=True)
    assert len(list(wb["warga"].iter_rows())) == 1 + 4
    log = PersonalDataExportLog.objects.get()
    assert (log.unit, log.channel, log.row_count, log.user) == (tree.kaliboto, "command", 7, None)
    assert log.username.startswith("(perintah)")

    code, stdout, err = run(export_dasawisma, "--unit-id", str(tree.mawar.pk), "--out", str(out), "--user", "kader")
    assert code == 0, err
    assert "1 rumah tangga, 3 warga, 1 kehamilan" in stdout
    log = PersonalDataExportLog.objects.order_by("-id").first()
    assert (log.unit, log.user, log.username) == (tree.mawar, tree.kader, "kader")


def test_export_command_unknown_unit_or_outside_user_scope(tree, tmp_path):
    out = str(tmp_path / "x.xlsx")
    assert run(export_dasawisma, "--unit", "99.99", "--out", out)[0] == 1
    code, _, err = run(export_dasawisma, "--unit", "33.06.16.2006", "--out", out, "--user", "kader_kp")
    assert code == 1 and "tidak ditemukan" in err
    assert not PersonalDataExportLog.objects.exists()
    with pytest.raises(CommandError):
        call_command("export_dasawisma", "--unit-id", "987654", "--out", out)
