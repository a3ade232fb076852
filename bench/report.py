"""Render ``BENCHMARKS.md`` from every ``bench/results/bench-scale-*.json`` (plus ``bench/NOTES.md``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
RESULTS_DIR = BASE / "bench" / "results"
NOTES = BASE / "bench" / "NOTES.md"
OUT = BASE / "BENCHMARKS.md"

METHOD = """\
## Method

`make bench` (= `python manage.py bench $(BENCH_ARGS)`, e.g. `BENCH_ARGS="--scale 0.01"`) runs on its own
PostgreSQL database (`--database-url`, default `postgres://postgres@127.0.0.1:5432/pkk_bench`), dropped and
re-created each run (`--reuse` keeps the generated data). Steps and measurements, all in one run:

- **Generation.** `import_wilayah` loads Kabupaten Purworejo from the official CSV (16 kecamatan, 494 desa/
  kelurahan); `dasawisma.demo.generate` builds dusun/RW/RT/dasawisma (10-20 rumah tangga each), rumah tangga,
  keluarga, warga and a year of pregnancies, births, deaths and moves (`--scale 1` = 230,000 rumah tangga,
  about 810,000 warga) and writes them with `COPY ... FROM STDIN`; then `VACUUM ANALYZE`. Reference year T =
  last calendar year (data ends 31 December T).
- **1. Rebuild** of Buku II for T and Buku III for its 12 months, all tiers (`reporting.rollup.rebuild`, via
  `reporting.services` when it offers one), median of several runs (the first run inserts, later runs upsert).
  **Floor**: one hand-written SQL statement scanning `dasawisma_warga` once, grouped by dasawisma, computing the
  Buku II person measures (`bench/baselines.py::FLOOR_SQL`); it stores nothing. **Per-unit ORM**: one ORM
  `count()` per unit and column over the unit's subtree (30 Buku II columns, 13 Buku III columns x 12 months),
  timed on a random sample of units of every level (Buku III on one month, counted twelve times) and scaled
  by the number of units of each level.
- **2. Refresh**: 30 random households for each of two kinds of edit (an outbox row dated the reference day,
  and one dated 1 January, which touches all twelve months); for each, one warga is edited (flag + version)
  and `reporting.services.refresh_dasawisma` is timed (worker time, in-process): median and p95.
- **3. Pages** under 20 concurrent clients (threads with keep-alive connections, each 10-15 requests after 2
  warm-up requests) on loopback against gunicorn (`2 x cores + 1` sync workers, DEBUG off) started by the
  bench on a free port; logged in by a session created in the bench database. Queries per page: Django test
  client with `CaptureQueriesContext` (second request).
- **4. Excel**: the 4.17c and 4.17b downloads through their views (median); the standard workbook export of the
  largest kecamatan in a child process (wall time and peak resident memory `VmHWM`, which includes the ~80 MB
  of a Django process; `ru_maxrss` is kept in the JSON but on Linux it inherits the parent's peak over
  fork + exec).
- **5. Import** of a 50,000-warga standard workbook (`dasawisma.workbook.sample.write_sample_workbook`) into a
  desa outside Purworejo, in a child process (wall time, peak memory).

A measurement whose function the project does not provide is shown as "not available", never estimated.
Timings are on a shared machine (see load average), so treat differences under ~20 % as noise.
"""


def _f(x, unit="", digits=2):
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, (int,)) and not unit:
        return f"{x:,}"
    return f"{x:,.{digits}f}{unit}"


def _goal(v):
    return "–" if v is None else ("**met**" if v else "**missed**")


def _status(sec: dict | None) -> str | None:
    if sec is None:
        return "not run"
    if sec.get("status") in ("not available", "error"):
        return f"{sec['status']}: {sec.get('reason', '')}"
    return None


REFRESH_LABELS = {
    "edit_today": "edit dated the reference day (year + its month)",
    "edit_since_january": "edit dated 1 January (year + 12 months)",
}


def _refresh_variants(rf: dict) -> list[tuple[str, dict]]:
    if "median_ms" in rf:  # first format: one variant, dated 1 January
        return [(REFRESH_LABELS["edit_since_january"], rf)]
    return [(label, rf[key]) for key, label in REFRESH_LABELS.items() if key in rf]


def render_run(r: dict) -> str:
    s = r["sections"]
    m = r["machine"]
    lines = [f"## Scale {r['scale']:g} (run {r['started_at']})", ""]
    lines.append(
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('memory_gb')} GB RAM, {m.get('os')}; "
        f"PostgreSQL {m.get('postgresql')} (shared_buffers {m.get('shared_buffers')}, work_mem {m.get('work_mem')}); "
        f"Python {m.get('python')}, Django {m.get('django')}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m.get('loadavg_at_start', []))}. Runs per measurement: {r['runs']}."
    )
    lines.append("")
    setup = s.get("setup", {})
    c = setup.get("counts", {})
    if c:
        lines.append(
            f"Data: {c.get('kecamatan', 0):,} kecamatan, {c.get('desa', 0):,} desa/kelurahan, "
            f"{c.get('dusun', 0):,} dusun, {c.get('rw', 0):,} RW, {c.get('rt', 0):,} RT, "
            f"{c.get('dasawisma', 0):,} dasawisma, "
            f"{c.get('rumah_tangga', 0):,} rumah tangga, {c.get('keluarga', 0):,} keluarga, "
            f"{c.get('warga', 0):,} warga, "
            f"{c.get('kehamilan', 0):,} kehamilan; in year {r['tahun']}: {c.get('births_in_year', 0):,} births, "
            f"{c.get('deaths_in_year', 0):,} deaths."
        )
        if "generate_s" in setup:
            lines.append(
                f"Generation: {_f(setup['generate_s'], ' s')} wall"
                + (f", {_f(setup['generate_python_cpu_s'], ' s')} CPU of the generator process"
                   if "generate_python_cpu_s" in setup else "")
                + f" (+ VACUUM ANALYZE {_f(setup['vacuum_analyze_s'], ' s')}; "
                f"wilayah via {setup['wilayah_loader']} {_f(setup['wilayah_s'], ' s')}; "
                f"migrate {_f(setup['migrate_s'], ' s')}). "
                f"Goal < 300 s: {_goal(setup.get('goal_met'))}."
            )
        lines.append("")
    lines += ["| # | Measurement | Result | Goal | |", "|---|---|---|---|---|"]

    rb = s.get("rebuild")
    st = _status(rb)
    if st:
        lines.append(f"| 1 | Rebuild vs baselines | {st} | | |")
    else:
        reb = rb.get("rebuild", {})
        if reb.get("status") == "not available":
            lines.append(f"| 1 | Full rebuild (Buku II year + Buku III 12 months, all tiers) | not available: "
                         f"{reb.get('reason')} | | |")
        else:
            how = f"median of {reb['pairs']} runs, each after a floor run" if reb.get("pairs") else "median"
            pairs = reb.get("ratio_per_pair")
            spread = f"; rebuild / floor per pair {min(pairs):.2f}-{max(pairs):.2f}x" if pairs else ""
            lines.append(f"| 1 | Full rebuild (Buku II year + Buku III 12 months, all tiers), {how} | "
                         f"{_f(reb.get('median_s'), ' s', 3)} (warm-up run {_f(reb.get('first_s'), ' s', 3)}"
                         f"{spread}) | | |")
        lines.append(f"| 1 | Floor: one SQL scan of warga grouped by dasawisma, median | "
                     f"{_f(rb['floor']['median_s'], ' s', 3)} | | |")
        pu = rb["per_unit_orm"]
        lines.append(f"| 1 | Per-unit ORM counts (estimate from {pu['sampled_queries']:,} sampled queries, "
                     f"{pu['queries_total']:,} queries in all) | {_f(pu['estimate_s'], ' s', 1)} | | |")
        if "ratio_rebuild_to_floor" in rb:
            judged = rb.get("goal_rebuild_le_2x_floor")
            verdict = _goal(judged) if judged is not None else "not judged below scale 1 (fixed cost)"
            lines.append(f"| 1 | Rebuild / floor | {_f(rb['ratio_rebuild_to_floor'], 'x')} | <= 2x at scale 1 | "
                         f"{verdict} |")
            lines.append(f"| 1 | Per-unit ORM / rebuild | {_f(rb['speedup_vs_per_unit'], 'x', 0)} | >= 50x | "
                         f"{_goal(rb.get('goal_50x_faster_than_per_unit'))} |")

    rf = s.get("refresh")
    st = _status(rf)
    if st:
        lines.append(f"| 2 | Refresh after one edited household | {st} | <= 200 ms | |")
    else:
        for label, v in _refresh_variants(rf):
            lines.append(f"| 2 | Refresh after one edited household, {label} ({v['refreshes']} edits): "
                         f"median / p95 | {_f(v['median_ms'], ' ms', 1)} / {_f(v['p95_ms'], ' ms', 1)} | "
                         f"<= 200 ms | {_goal(v.get('goal_met'))} |")

    pg = s.get("pages")
    st = _status(pg)
    if st:
        lines.append(f"| 3 | Report pages under 20 clients | {st} | p95 <= 300 ms | |")
    else:
        for name, p in pg["pages"].items():
            if "p95_ms" in p:
                ok = p["p95_ms"] <= 300 and set(p.get("statuses", {})) == {"200"}
                lines.append(
                    f"| 3 | {name}: p50 / p95 ({p['requests']} requests, {_f(p['throughput_rps'], ' req/s', 1)}; "
                    f"{p['queries']} queries/page; HTTP {', '.join(f'{k}x{v}' for k, v in p['statuses'].items())}) | "
                    f"{_f(p['p50_ms'], ' ms', 0)} / {_f(p['p95_ms'], ' ms', 0)} | p95 <= 300 ms | {_goal(ok)} |")
            else:
                lines.append(f"| 3 | {name} ({p.get('queries')} queries, HTTP {p.get('status')}) | not loaded | | |")

    ex = s.get("excel")
    st = _status(ex)
    if st:
        lines.append(f"| 4 | Excel | {st} | | |")
    else:
        for name, x in ex["xlsx"].items():
            lines.append(f"| 4 | Excel {name} (HTTP {x['status']}, {x['bytes']:,} bytes), median | "
                         f"{_f(x['median_s'], ' s', 3)} | <= 2 s | {_goal(x.get('goal_met'))} |")
        wb = ex.get("workbook_export", {})
        if wb.get("status") == "not available":
            lines.append(f"| 4 | Workbook export of the largest kecamatan | not available: {wb.get('reason')} | | |")
        elif wb:
            lines.append(f"| 4 | Workbook export of Kecamatan {wb['kecamatan']} ({wb['kecamatan_warga']:,} warga): "
                         f"time / peak RSS | {_f(wb['seconds'], ' s', 1)} / {_f(wb['maxrss_mb'], ' MB', 0)} | "
                         f"<= 60 s / <= 300 MB | {_goal(wb.get('goal_met'))} |")

    im = s.get("import")
    st = _status(im)
    if st:
        lines.append(f"| 5 | Import of a 50,000-warga workbook | {st} | <= 120 s | |")
    else:
        extra = "" if im["imported"] else f" (refused: {im['result'].get('first_issues')})"
        lines.append(f"| 5 | Import of a {im['n_warga']:,}-warga workbook: time / peak RSS{extra} | "
                     f"{_f(im['seconds'], ' s', 1)} / {_f(im['maxrss_mb'], ' MB', 0)} | <= 120 s | "
                     f"{_goal(im.get('goal_met'))} |")
    lines.append("")
    for name, sec in s.items():
        if sec.get("status") == "error":
            lines += [f"Error in `{name}`:", "", "```", sec.get("traceback", sec.get("reason", "")).strip(), "```", ""]
    if rb and not _status(rb):
        lines.append("Per-unit ORM estimate by level (seconds per unit, units, estimate): " + "; ".join(
            f"{lv} {_f(v['seconds_per_unit'], ' s', 3)} x {v['units']:,} = {_f(v['estimate_s'], ' s', 1)}"
            for lv, v in rb["per_unit_orm"]["by_level"].items()) + ".")
        lines.append("")
    return "\n".join(lines)


def render() -> Path:
    runs = []
    for p in sorted(RESULTS_DIR.glob("bench-scale-*.json")):
        try:
            runs.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    runs.sort(key=lambda r: r.get("scale", 0), reverse=True)
    parts = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (issue 5); this file is written by the benchmark from "
        "`bench/results/bench-scale-*.json` (the raw figures) and `bench/NOTES.md` (findings and changes).",
        "",
    ]
    if not runs:
        parts.append("No results yet: run `make bench`.")
    by_scale = {r["scale"]: dict(_refresh_variants(r["sections"]["refresh"])) for r in runs
                if r["sections"].get("refresh", {}).get("status") == "ok"}
    if len(by_scale) >= 2:
        lo, hi = min(by_scale), max(by_scale)
        for label in by_scale[lo]:
            if label in by_scale[hi]:
                a, b = by_scale[lo][label], by_scale[hi][label]
                parts.append(
                    f"Refresh across scale, {label}: median {_f(a['median_ms'], ' ms', 1)} at scale {lo:g} vs "
                    f"{_f(b['median_ms'], ' ms', 1)} at scale {hi:g}; p95 {_f(a['p95_ms'], ' ms', 1)} vs "
                    f"{_f(b['p95_ms'], ' ms', 1)} (goal: no growth with scale)."
                )
                parts.append("")
    for r in runs:
        parts.append(render_run(r))
    if NOTES.exists():
        parts.append(NOTES.read_text(encoding="utf-8").strip())
        parts.append("")
    parts.append(METHOD)
    OUT.write_text("\n".join(parts).rstrip() + "\n", encoding="utf-8")
    return OUT
