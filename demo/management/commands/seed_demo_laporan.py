"""Demo submissions so the dashboards and completeness pages of the demo show something real.

Called by ``seed_demo`` (through ``call_command``). For every active
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
from reporting.books import BUKU_III
from reporting.models import AwalPelaporan, Laporan
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
            due = deadline(BUKU_III, periode)
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
                        unit_id=dw,
                        jenis=BUKU_III,
                        periode=periode,
                        status=status,
                        submitted_at=submitted,
                        terlambat=late,
                        reviewed_at=reviewed,
                        alasan=alasan,
                    )
                )
        Laporan.objects.bulk_create(rows, batch_size=2000)
        tiers = self._tiers(rng, today, months, tz)
        for kab in Unit.objects.filter(level=Level.KABUPATEN):
            AwalPelaporan.objects.get_or_create(kabupaten=kab, defaults={"mulai": dt.date(today.year, 1, 1)})
        self.stdout.write(
            f"Contoh pengajuan Buku III: {len(rows)} laporan dasawisma, {tiers} laporan desa/kecamatan "
            f"untuk {len(months)} bulan."
        )

    def _tiers(self, rng, today, months, tz) -> int:
        """Desa reports (to the kecamatan) for months whose dasawisma reports are all decided, mostly
        accepted; kecamatan reports (to the kabupaten) for older months whose desa reports all are."""
        rows = []
        pending = set(Laporan.objects.filter(status=Laporan.Status.DIAJUKAN).values_list("unit__path", "periode"))
        desa = list(Unit.objects.filter(level=Level.DESA, is_active=True).order_by("path"))
        kecamatan = list(Unit.objects.filter(level=Level.KECAMATAN, is_active=True).order_by("path"))
        for periode in months:
            age = (today.year - periode.year) * 12 + today.month - periode.month
            if age < 2:
                continue
            waiting = {p for p, m in pending if m == periode}
            accepted_desa = set()
            for d in desa:
                if any(p.startswith(d.path) for p in waiting) or rng.random() > 0.9:
                    continue
                due = deadline(BUKU_III, periode, Level.DESA)
                late = rng.random() < 0.15
                day = due + dt.timedelta(days=rng.randint(1, 9)) if late else due - dt.timedelta(days=rng.randint(0, 4))
                at = dt.datetime.combine(min(day, today), dt.time(9, 0), tz)
                ok = age >= 3 or rng.random() < 0.5
                rows.append(
                    Laporan(
                        unit=d,
                        jenis=BUKU_III,
                        periode=periode,
                        submitted_at=at,
                        terlambat=late,
                        status=Laporan.Status.DITERIMA if ok else Laporan.Status.DIAJUKAN,
                        reviewed_at=at + dt.timedelta(days=2) if ok else None,
                    )
                )
                if ok:
                    accepted_desa.add(d.pk)
            if age < 3:
                continue
            for k in kecamatan:
                mine = [d for d in desa if d.parent_id == k.pk]
                if not mine or any(d.pk not in accepted_desa for d in mine):
                    continue
                due = deadline(BUKU_III, periode, Level.KECAMATAN)
                at = dt.datetime.combine(min(due, today), dt.time(10, 0), tz)
                rows.append(
                    Laporan(
                        unit=k,
                        jenis=BUKU_III,
                        periode=periode,
                        submitted_at=at,
                        status=Laporan.Status.DITERIMA,
                        reviewed_at=at + dt.timedelta(days=3),
                    )
                )
        Laporan.objects.bulk_create(rows, batch_size=2000)
        return len(rows)
