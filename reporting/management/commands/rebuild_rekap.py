"""``python manage.py rebuild_rekap [--unit CODE] [--tahun YYYY] [--bulan YYYY-MM]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pkk.models import Unit
from reporting import rollup
from reporting.periods import parse_bulan


class Command(BaseCommand):
    help = (
        "Menghitung ulang rekap tersimpan di bawah satu wilayah (bawaan: semua) untuk satu tahun dan dua belas "
        "bulannya (--tahun, bawaan: tahun ini) atau satu bulan (--bulan). Dengan --unit, wilayah di atasnya "
        "ikut dihitung ulang. Periode yang dikunci tidak berubah."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Kode wilayah Kemendagri (mis. 33.06); bawaan: semua wilayah")
        parser.add_argument("--unit-id", type=int, help="Id wilayah (untuk dusun/RW/RT/dasawisma tanpa kode)")
        parser.add_argument("--tahun", type=int, help="Tahun (Buku II dan 12 bulan Buku III)")
        parser.add_argument("--bulan", help="Bulan YYYY-MM (hanya Buku III bulan itu)")

    def handle(self, *args, **options):
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"--unit: wilayah dengan kode {options['unit']} tidak ditemukan.")
        elif options["unit_id"]:
            unit = Unit.objects.filter(pk=options["unit_id"]).first()
            if unit is None:
                raise CommandError(f"--unit-id: wilayah #{options['unit_id']} tidak ditemukan.")
        bulan = None
        if options["bulan"]:
            try:
                bulan = parse_bulan(options["bulan"])
            except (ValueError, TypeError):
                raise CommandError(f"--bulan: format harus YYYY-MM, bukan {options['bulan']!r}.")
        tahun = options["tahun"]
        if tahun is None and bulan is None:
            tahun = timezone.localdate().year
        if tahun is not None and not 1900 <= tahun <= 2200:
            raise CommandError(f"--tahun: {tahun} bukan tahun yang masuk akal.")
        result = rollup.rebuild(unit, tahun=tahun, bulan=bulan)
        where = unit.label if unit else "semua wilayah"
        parts = []
        if result["years"]:
            parts.append(f"tahun {', '.join(map(str, result['years']))}")
        if result["months"]:
            parts.append(f"{len(result['months'])} bulan")
        seconds = result["seconds"]
        message = f"Rekap {where} ({' + '.join(parts)}) dihitung ulang dalam {seconds:.2f} detik."
        self.stdout.write(self.style.SUCCESS(message))
