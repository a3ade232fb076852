"""Measurements run in a fresh process so that peak memory (``ru_maxrss``) is theirs alone.

``python -m bench.child export --unit-id N --out PATH`` / ``import --path PATH`` /
``sample --path PATH --kode-desa CODE --n-warga N``. Prints one JSON line: seconds, maxrss_mb (peak
resident memory, VmHWM), ru_maxrss_mb (getrusage; on Linux it carries the parent's high-water mark over
fork + exec), result.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time


def vm_hwm_mb() -> float | None:
    """Peak resident memory of this process image (``VmHWM``; unlike ``ru_maxrss`` it is not inherited
    across fork + exec from a large parent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["export", "import", "sample"])
    parser.add_argument("--unit-id", type=int)
    parser.add_argument("--out")
    parser.add_argument("--path")
    parser.add_argument("--kode-desa")
    parser.add_argument("--n-warga", type=int)
    parser.add_argument("--today")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk.settings")
    import django

    django.setup()
    from bench import adapters

    base_rss = vm_hwm_mb()
    t0 = time.perf_counter()
    if args.what == "export":
        from pkk.models import Unit

        fn = adapters.workbook_export()
        unit = Unit.objects.get(pk=args.unit_id)
        res = adapters.call_with(fn, unit=unit, out=args.out, actor=None, channel="command", username="bench")
        result = {k: getattr(res, k) for k in ("rumah_tangga", "warga", "kehamilan") if hasattr(res, k)}
    elif args.what == "sample":
        fn = adapters.write_sample_workbook()
        result = fn(args.path, kode_desa=args.kode_desa, n_warga=args.n_warga, seed=1)
    else:
        import datetime as dt

        fn = adapters.workbook_import()
        today = dt.date.fromisoformat(args.today) if args.today else None
        res = adapters.call_with(fn, source=args.path, actor=None, filename=os.path.basename(args.path), today=today)
        issues = getattr(res, "issues", [])
        result = {k: getattr(res, k) for k in ("rumah_tangga", "keluarga", "warga", "kehamilan") if hasattr(res, k)}
        result["issues"] = len(issues)
        result["first_issues"] = [str(i) for i in issues[:5]]
    seconds = time.perf_counter() - t0
    ru_maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = vm_hwm_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "maxrss_mb": peak if peak is not None else ru_maxrss,
                "ru_maxrss_mb": ru_maxrss,
                "baseline_rss_mb": base_rss,
                "result": result,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
