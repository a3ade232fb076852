"""``manage.py export_rekap --lampiran 4.17c --unit 33.06 --tahun 2025 --out FILE.xlsx``

Writes the same single-sheet file as the report page's download (``reporting.excel.report_xlsx``).
Monthly sheets take ``--bulan YYYY-MM``. ``--unit`` is an official code or ``id:<n>``.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pkk.models import Unit
from reporting.books import BUKU_II, BUKU_III
from reporting.excel import report_xlsx
from reporting.exports import log_personal_export
from reporting.layouts import get_layout
from reporting.periods import parse_bulan
from reporting.selectors import report_for_unit


class Command(BaseCommand):
    help = "Tulis satu lembar rekap (lampiran Rakernas X) ke berkas Excel."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--lampiran", required=True, help="mis. 4.16a ... 4.19c")
        parser.add_argument("--unit", required=True, help="kode resmi (33.06) atau id:<n>")
        parser.add_argument("--tahun", type=int, help="tahun (Buku II)")
        parser.add_argument("--bulan", help="YYYY-MM (Buku III)")
        parser.add_argument("--out", required=True, help="berkas .xlsx yang ditulis")

    def handle(self, *args, **opts) -> None:
        layout = get_layout(opts["lampiran"])
        if layout is None:
            raise CommandError(f"Lampiran {opts['lampiran']!r} tidak dikenal.")
        unit = self._unit(opts["unit"])
        if unit.level != layout.tier:
            raise CommandError(
                f"Lampiran {layout.lampiran} untuk tingkat {layout.tier}, sedangkan {unit.label} tingkat {unit.level}."
            )
        if layout.buku == BUKU_II:
            if not opts["tahun"] or opts["bulan"]:
                raise CommandError(f"Lampiran {layout.lampiran} (Buku II) perlu --tahun, bukan --bulan.")
            periode = opts["tahun"]
        else:
            assert layout.buku == BUKU_III
            if not opts["bulan"] or opts["tahun"]:
                raise CommandError(f"Lampiran {layout.lampiran} (Buku III) perlu --bulan YYYY-MM, bukan --tahun.")
            try:
                periode = parse_bulan(opts["bulan"])
            except ValueError:
                raise CommandError(f"--bulan {opts['bulan']!r}: gunakan format YYYY-MM.") from None
        report = report_for_unit(layout, unit, periode)
        out = Path(opts["out"])
        out.write_bytes(report_xlsx(report))
        try:
            who = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name in some containers
            who = "command"
        log_personal_export(report=report, user=None, channel="command", username=f"command:{who}")
        self.stdout.write(f"Lampiran {layout.lampiran} {unit.label}: {len(report.rows)} baris -> {out}")

    def _unit(self, value: str) -> Unit:
        try:
            if value.startswith("id:"):
                return Unit.objects.get(pk=int(value[3:]))
            return Unit.objects.get(code=value)
        except (Unit.DoesNotExist, ValueError):
            raise CommandError(f"Unit {value!r} tidak ditemukan.") from None
