"""``python manage.py seed_demo [--households N] [--seed S] [--today YYYY-MM-DD] [--force]``

Builds the demo kabupaten: the hand-written real units of ``fixtures/demo_wilayah.json`` (get-or-create
by code), generated dusun/RW/RT/dasawisma and their data (``demo.generator.generate``), the demo accounts
(password ``pkk-demo-2026``), then the stored roll-ups (``rebuild_rekap``).

Re-running when the demo data exists (the account ``admin.purworejo`` or any warga under the demo desa)
changes nothing and says so (exit status 0, so ``make run`` can be repeated). To start over, use a fresh
database. Refuses to run when DEBUG is off, unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import io
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dasawisma.models import Warga
from demo.accounts import DEMO_PASSWORD, create_demo_accounts
from demo.generator import generate
from demo.wilayah import load_fixture
from pkk.models import Level


class Command(BaseCommand):
    help = "Membuat data demo (kabupaten Purworejo, warga sintetis, akun demo)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=600, help="Jumlah rumah tangga (bawaan 600).")
        parser.add_argument("--seed", type=int, default=2026, help="Benih acak (data sama untuk benih sama).")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="Tanggal acuan YYYY-MM-DD (bawaan: hari ini)."
        )
        parser.add_argument("--force", action="store_true", help="Jalankan walau DEBUG mati.")
        parser.add_argument("--no-rebuild", action="store_true", help="Jangan hitung ulang rekap.")

    def handle(self, *args, households, seed, today, force, no_rebuild, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo menolak berjalan karena DEBUG mati (kemungkinan server produksi). "
                "Tambahkan --force bila memang disengaja."
            )
        if households < 1:
            raise CommandError("--households harus minimal 1.")
        today = today or timezone.localdate()
        User = get_user_model()
        units = load_fixture()
        desa = [u for u in units.values() if u.level == Level.DESA]
        has_data = Warga.objects.filter(dasawisma__path__startswith=units["33.06"].path).exists()
        if has_data or User.objects.filter(username="admin.purworejo").exists():
            self.stdout.write(
                self.style.WARNING(
                    "Data demo sudah ada; tidak ada yang diubah. Untuk membuat ulang, gunakan basis data baru."
                )
            )
            self._print_accounts(create_demo_accounts())
            return
        t0 = time.perf_counter()
        result = generate(
            desa_units=desa,
            total_households=households,
            seed=seed,
            today=today,
            progress=lambda m: self.stdout.write(f"  {m}") if options["verbosity"] > 1 else None,
        )
        self.stdout.write(
            f"Dibuat dalam {time.perf_counter() - t0:.1f} detik: "
            + ", ".join(f"{k} {v:,}".replace(",", ".") for k, v in result.counts.items())
        )
        accounts = create_demo_accounts()
        if not no_rebuild:
            self._rebuild(today)
        call_command(
            "seed_demo_laporan", "--seed", str(seed), "--today", today.isoformat(), "--force", stdout=self.stdout
        )
        call_command("seed_demo_kegiatan", "--today", today.isoformat(), "--force", stdout=self.stdout)
        call_command("seed_demo_binaan", "--today", today.isoformat(), "--force", stdout=self.stdout)
        self._print_accounts(accounts)

    def _rebuild(self, today: dt.date) -> None:
        """Stored rekap for last year and this year (Buku II and the twelve months of Buku III).

        Through the ``rebuild_rekap`` command, the operator's own entry point."""
        t0 = time.perf_counter()
        for tahun in (today.year - 1, today.year):
            call_command("rebuild_rekap", "--tahun", str(tahun), stdout=io.StringIO())
        took = time.perf_counter() - t0
        self.stdout.write(f"Rekap {today.year - 1} dan {today.year} dihitung dalam {took:.1f} detik.")

    def _print_accounts(self, accounts) -> None:
        self.stdout.write(self.style.SUCCESS(f"Akun demo (kata sandi: {DEMO_PASSWORD}):"))
        for username, role, unit in accounts:
            self.stdout.write(f"  {username:<20} {role:<18} {unit.label}")
