"""``python manage.py bench [--scale 0.01] [--database-url URL] [--runs N] [--reuse] [--only a,b]``

The benchmark of issue 5 (``make bench``). It runs on its own PostgreSQL database (default
``postgres://postgres@127.0.0.1:5432/pkk_bench``): dropped and re-created unless ``--reuse``, never a test
database. The command re-executes itself with ``DATABASE_URL`` pointing there, so nothing of the
configured default database is touched. See ``bench/runner.py`` for what is measured and ``BENCHMARKS.md``
for the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pkk_bench"
CHILD_FLAG = "PKK_BENCH_CHILD"


class Command(BaseCommand):
    help = "Benchmark skala kabupaten (Purworejo) pada basis data PostgreSQL tersendiri."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Skala (1 = Purworejo, 0.01 = 1%%).")
        parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
        parser.add_argument("--runs", type=int, default=0, help="Ulangan per ukuran (bawaan 5; 3 pada skala penuh).")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--reuse", action="store_true", help="Pakai data yang sudah ada (lewati pembangkitan).")
        parser.add_argument("--only", default="", help="Bagian yang diukur, mis. rebuild,refresh,pages,excel,import.")
        parser.add_argument("--clients", type=int, default=20)
        parser.add_argument("--out", default="", help="Berkas JSON hasil (bawaan bench/results/bench-<skala>.json).")

    def handle(self, *args, **opts):
        from bench import dbutil

        url = opts["database_url"]
        dbutil.check_bench_url(url)
        if os.environ.get(CHILD_FLAG) != "1":
            dbutil.ensure_database(url, recreate=not opts["reuse"])
            env = dict(os.environ)
            env.update({CHILD_FLAG: "1", "DATABASE_URL": url, "DEBUG": env.get("DEBUG", "1")})
            env.setdefault("CELERY_BROKER_URL", "")
            cmd = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench", *sys.argv[2:]]
            rc = subprocess.call(cmd, env=env, cwd=str(settings.BASE_DIR))
            if rc:
                raise CommandError(f"bench gagal (kode keluar {rc})")
            return
        from django.db import connection

        if connection.vendor != "postgresql" or connection.settings_dict["NAME"] != dbutil.db_name(url):
            raise CommandError("bench harus berjalan pada basis data bench PostgreSQL.")
        from bench.runner import run

        run(opts, stdout=self.stdout)
