"""``python manage.py export_dasawisma --unit CODE --out PATH`` (or ``--unit-id ID``): the standard workbook."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dasawisma.workbook.exporter import workbook_export
from pkk.models import Unit
from pkk.scope import unit_in_scope


class Command(BaseCommand):
    help = "Ekspor data dasawisma sebuah wilayah dan semua di bawahnya ke workbook standar (.xlsx)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--unit", help="kode resmi wilayah, mis. 33.06.16.2006 (atau id angka)")
        target.add_argument("--unit-id", type=int, help="id wilayah (untuk dusun/RW/RT/dasawisma tanpa kode)")
        parser.add_argument("--out", required=True, help="berkas .xlsx yang ditulis")
        parser.add_argument("--user", help="ekspor atas nama akun ini (dibatasi wilayahnya; dicatat di log)")

    def handle(self, *args, **options):
        unit = self._unit(options)
        actor = None
        if options.get("user"):
            try:
                actor = get_user_model().objects.get(username=options["user"], is_active=True)
            except get_user_model().DoesNotExist:
                raise CommandError(f"Akun “{options['user']}” tidak ditemukan atau tidak aktif.")
            if not unit_in_scope(actor, unit):
                raise CommandError("Wilayah tidak ditemukan.")
        operator = f"(perintah) {getpass.getuser()}"
        result = workbook_export(unit=unit, out=options["out"], actor=actor, channel="command", username=operator)
        self.stdout.write(
            f"{unit}: {result.rumah_tangga} rumah tangga, {result.warga} warga, {result.kehamilan} kehamilan "
            f"ditulis ke {options['out']}."
        )

    def _unit(self, options) -> Unit:
        try:
            if options.get("unit_id") is not None:
                return Unit.objects.get(pk=options["unit_id"])
            value = options["unit"].strip()
            try:
                return Unit.objects.get(code=value)
            except Unit.DoesNotExist:
                if value.isdigit():
                    return Unit.objects.get(pk=int(value))
                raise
        except Unit.DoesNotExist:
            raise CommandError("Wilayah tidak ditemukan.")
