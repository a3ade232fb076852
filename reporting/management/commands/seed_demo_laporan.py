"""Demo submissions so the dashboards and completeness pages of the demo show something real.

Called by ``seed_demo`` (through ``call_command``: dasawisma never imports reporting). For every active
dasawisma and every month of the current year before the current one: about 85 % submitted, most on time,
older months mostly accepted, a few returned with a reason. Deterministic for a given seed and date.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pkk.models import Level, Unit
from reporting.models import JenisLaporan, Laporan
from reporting.periods import deadline

ALASAN = [
    "Jumlah ibu hamil belum sesuai catatan posyandu, mohon dicek kembali.",
    "Data kelahiran bulan ini belum lengkap (akta kelahiran).",
    "Mohon lengkapi data kematian balita.",
]


class Command(BaseCommand):
    help = "Buat contoh pengajuan laporan Buku III untuk data demo (hanya bila belum ada laporan)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--force", action="store_true", help="jalankan walau DEBUG mati")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG mati: data demo hanya untuk lingkungan pengembangan (pakai --force).")
        if Laporan.objects.exists():
            self.stdout.write("Laporan sudah ada: contoh pengajuan tidak dibuat lagi.")
            return
        today = options["today"] or timezone.localdate()
        rng = random.Random(options["seed"])
        tz = timezone.get_current_timezone()
        months = [dt.date(today.year, m, 1) for m in range(1, today.month)]
        dasawisma = list(
            Unit.objects.filter(level=Level.DASAWISMA, is_active=True).order_by("path").values_list("pk", flat=True)
        )
        rows = []
        for periode in months:
            due = deadline(JenisLaporan.BUKU_III, periode)
            age = (today.year - periode.year) * 12 + today.month - periode.month
            for dw in dasawisma:
                if rng.random() > 0.85:
                    continue
                late = rng.random() < 0.2
                day = (
                    due + dt.timedelta(days=rng.randint(1, 12)) if late else due - dt.timedelta(days=rng.randint(0, 6))
                )
                submitted = dt.datetime.combine(min(day, today), dt.time(rng.randint(7, 20), rng.randint(0, 59)), tz)
                status, alasan, reviewed = Laporan.Status.DIAJUKAN, "", None
                roll = rng.random()
                if age >= 2 and roll < 0.85 or age == 1 and roll < 0.4:
                    status, reviewed = Laporan.Status.DITERIMA, submitted + dt.timedelta(days=rng.randint(1, 5))
                elif roll > 0.97:
                    status, alasan = Laporan.Status.DIKEMBALIKAN, rng.choice(ALASAN)
                    reviewed = submitted + dt.timedelta(days=2)
                rows.append(
                    Laporan(
                        dasawisma_id=dw,
                        jenis=JenisLaporan.BUKU_III,
                        periode=periode,
                        status=status,
                        submitted_at=submitted,
                        terlambat=late,
                        reviewed_at=reviewed,
                        alasan=alasan,
                    )
                )
        Laporan.objects.bulk_create(rows, batch_size=2000)
        self.stdout.write(f"Contoh pengajuan Buku III: {len(rows)} laporan untuk {len(months)} bulan.")
