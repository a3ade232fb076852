"""``python manage.py import_dasawisma PATH [--user USERNAME]``: the standard workbook, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dasawisma.workbook.importer import workbook_import


class Command(BaseCommand):
    help = (
        "Impor workbook standar dasawisma (lembar rumah_tangga, warga, kehamilan). Semua atau tidak sama sekali: "
        "bila ada sel yang salah, tidak ada yang disimpan dan setiap kesalahan dicetak."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="berkas .xlsx")
        parser.add_argument(
            "--user",
            help="impor atas nama akun ini (dibatasi wilayahnya); tanpa --user: operator, tanpa batas wilayah",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        actor = None
        if options.get("user"):
            try:
                actor = get_user_model().objects.get(username=options["user"], is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Akun “{options['user']}” tidak ditemukan atau tidak aktif.")
        result = workbook_import(source=path, actor=actor, filename=path.name)
        if not result.ok:
            for issue in result.issues:
                row = issue.row or "-"
                self.stderr.write(f"{issue.sheet or '-'}\tbaris {row}\tkolom {issue.column or '-'}\t{issue.reason}")
            if result.overflow:
                self.stderr.write(result.overflow)
            total = len(result.issues) + result.more_issues
            raise CommandError(f"{total} kesalahan; tidak ada data yang disimpan.", returncode=2)
        self.stdout.write(
            f"Berhasil: {result.rumah_tangga} rumah tangga, {result.keluarga} keluarga, {result.warga} warga, "
            f"{result.kehamilan} kehamilan."
        )
        if result.new_units:
            self.stdout.write(f"Wilayah baru ({len(result.new_units)}):")
            for label in result.new_units:
                self.stdout.write(f"  {label}")
        if result.nik_warnings:
            self.stdout.write(
                f"Peringatan: {result.nik_warnings} warga dengan NIK yang tidak cocok dengan tanggal lahir "
                "atau jenis kelamin (lihat halaman kualitas data)."
            )
