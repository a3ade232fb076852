"""Where the time goes: per-statement timings (and EXPLAIN ANALYZE of the slowest) of one refresh or rebuild.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkk_bench python -m bench.explain refresh [--explain]
    DATABASE_URL=... python -m bench.explain rebuild --tahun 2025 [--explain]

Runs against the bench database left by ``make bench`` (it edits one warga, as the benchmark does).
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["refresh", "rebuild"])
    parser.add_argument("--tahun", type=int, default=None)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the slowest statement")
    parser.add_argument("--under", default="", help="refresh: pick the household under this unit code")
    parser.add_argument("--since", default="", help="refresh: the edit's date (default 1 January of the year)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk.settings")
    import datetime as dt

    import django

    django.setup()
    from django.db import connection

    from bench import adapters

    tahun = args.tahun or dt.date.today().year - 1
    timings: list[tuple[float, str, object]] = []

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - t0, sql, params))

    t0 = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        if args.what == "refresh":
            from dasawisma.models import DasawismaChange, RumahTangga, Warga
            from pkk.models import Unit

            rts = RumahTangga.objects.all()
            if args.under:
                under = Unit.objects.get(code=args.under)
                rts = rts.filter(dasawisma__path__gte=under.path, dasawisma__path__lt=under.path + "A")
            rt = rts.order_by("?").first()
            w = Warga.objects.filter(rumah_tangga=rt).first()
            Warga.objects.filter(pk=w.pk).update(menyusui=not w.menyusui)
            since = dt.date.fromisoformat(args.since) if args.since else dt.date(tahun, 1, 1)
            DasawismaChange.objects.create(dasawisma_id=rt.dasawisma_id, since=since)
            timings.clear()
            t0 = time.perf_counter()
            adapters.call_with(adapters.refresh_dasawisma(), dasawisma_id=rt.dasawisma_id, today=dt.date(tahun, 12, 31))
        else:
            adapters.full_rebuild()(tahun)
    total = time.perf_counter() - t0
    print(
        f"{args.what}: {total * 1000:.1f} ms wall, {len(timings)} statements, "
        f"{sum(t for t, _, _ in timings) * 1000:.1f} ms in the database"
    )
    slow = sorted(timings, key=lambda x: x[0], reverse=True)
    for t, sql, _ in slow[: args.top]:
        print(f"{t * 1000:9.1f} ms  {' '.join(sql.split())[:220]}")
    if args.explain and slow:
        _, sql, params = slow[0]
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(r[0] for r in cur.fetchall()))
        connection.rollback() if not connection.get_autocommit() else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
