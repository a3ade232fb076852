"""Render ``BENCHMARKS.md`` from every ``bench/results/bench-scale-*.json``: every figure in it, prose
included, comes from the JSON of a run (the history of findings stays in ``bench/NOTES.md``, linked, never
copied). ``BENCH_REPORT`` (environment) writes it elsewhere."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
RESULTS_DIR = BASE / "bench" / "results"
OUT = Path(os.environ.get("BENCH_REPORT") or BASE / "BENCHMARKS.md")

METHOD = """\
## Method

`make bench` (= `python manage.py bench $(BENCH_ARGS)`, e.g. `BENCH_ARGS="--scale 0.01"`) runs on its own
PostgreSQL database (`--database-url`, default `postgres://postgres@127.0.0.1:5432/pkk_bench`), dropped and
re-created each run (`--reuse` keeps the generated data). Steps and measurements, all in one run:

- **Generation.** `import_wilayah` loads Kabupaten Purworejo from the official CSV (16 kecamatan, 494 desa/
  kelurahan); `demo.generator.generate` builds dusun/RW/RT/dasawisma (10-20 rumah tangga each), rumah tangga,
  keluarga, warga and a year of pregnancies, births, deaths and moves (`--scale 1` = 230,000 rumah tangga,
  about 810,000 warga) and writes them with `COPY ... FROM STDIN`; then `VACUUM ANALYZE`. Reference year T =
  last calendar year (data ends 31 December T).
- **1. Rebuild** of Buku II for T and Buku III for its 12 months, every measure at every tier
  (`reporting.rollup.rebuild`), two ways, each against its **floor** (`bench/floors.py`): plain SQL doing the
  same work on one connection, the best shape a database engineer would write by hand (the dasawisma rows from
  the project's measure SQL, every tier in one `GROUP BY` over the ancestors taken from the stored path):
  **first build** into empty rekap tables (emptied before each run; the floor inserts every row into an empty
  copy of each table) and **repeated rebuild** with nothing changed (the floor recomputes every row and
  compares it with the stored one; it also checks that they are equal). Floor and rebuild alternate, medians
  of the pairs. **Per-unit ORM**: one ORM `count()` per unit and column over the unit's subtree (30 Buku II
  columns, 13 Buku III columns x 12 months), timed on a random sample of units of every level (Buku III on one
  month, counted twelve times): an **extrapolation** from the sampled queries to every unit, not a run.
- **2. Refresh after one edit**: 30 random households for each of two kinds of edit (an outbox row dated the
  reference day, and one dated 1 January, which touches all twelve months); for each, one warga is edited
  (flag + version), then the floor (the dasawisma's rows recomputed and their difference added to it and
  every ancestor, one `UPDATE` per book, rolled back) and `reporting.services.refresh_dasawisma` are timed on
  the same state (worker time, in-process): median and p95.
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
Goals (issue 13) hold for full scale (`--scale 1`, about 800,000 warga) on this 2-core machine; smaller runs
are shown, not judged, where fixed costs dominate.
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
                + (
                    f", {_f(setup['generate_python_cpu_s'], ' s')} CPU of the generator process"
                    if "generate_python_cpu_s" in setup
                    else ""
                )
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
        lines.append(f"| 1 | Rebuild vs floors | {st} | | |")
    else:
        for key, label, goal, judged in (
            (
                "first_build",
                "First build of a year + 12 months into empty tables",
                "<= 2x floor",
                rb.get("goal_first_build_le_2x_floor"),
            ),
            ("repeated", "Repeated rebuild, nothing changed", "<= 1.5x floor", rb.get("goal_repeated_le_1_5x_floor")),
        ):
            m = rb[key]
            verdict = _goal(judged) if judged is not None else "shown, not judged below scale 1"
            lines.append(
                f"| 1 | {label}: rebuild / floor, median of {m['pairs']} pairs | {_f(m['median_s'], ' s', 3)} / "
                f"{_f(m['floor_median_s'], ' s', 3)} = {_f(m['ratio'], 'x')} (per pair "
                f"{min(m['ratio_per_pair']):.2f}-{max(m['ratio_per_pair']):.2f}x) | {goal} | {verdict} |"
            )
        pu = rb["per_unit_orm"]
        lines.append(
            f"| 1 | Per-unit ORM counts: **extrapolation** from {pu['sampled_queries']:,} sampled queries "
            f"({_f(pu['sampled_s'], ' s', 1)}) to {pu['queries_total']:,} queries | "
            f"about {_f(pu['estimate_s'], ' s', 0)} (= {_f(rb['speedup_vs_per_unit'], 'x', 0)} the first "
            f"build) | | |"
        )

    rf = s.get("refresh")
    st = _status(rf)
    if st:
        lines.append(f"| 2 | Refresh after one edit | {st} | p95 <= 50 ms | |")
    else:
        for label, v in _refresh_variants(rf):
            lines.append(
                f"| 2 | Refresh after one edit, {label} ({v['refreshes']} edits): median / p95; floor "
                f"median / p95 | {_f(v['median_ms'], ' ms', 1)} / {_f(v['p95_ms'], ' ms', 1)}; floor "
                f"{_f(v.get('floor_median_ms'), ' ms', 1)} / {_f(v.get('floor_p95_ms'), ' ms', 1)} | "
                f"p95 <= 50 ms | {_goal(v.get('goal_met'))} |"
            )

    pg = s.get("pages")
    st = _status(pg)
    if st:
        lines.append(f"| 3 | Report pages under 20 clients | {st} | p95 <= 200 ms | |")
    else:
        for name, p in pg["pages"].items():
            if "p95_ms" in p:
                ok = p["p95_ms"] <= 200 and set(p.get("statuses", {})) == {"200"}
                lines.append(
                    f"| 3 | {name}: p50 / p95 ({p['requests']} requests, {_f(p['throughput_rps'], ' req/s', 1)}; "
                    f"{p['queries']} queries/page; HTTP {', '.join(f'{k}x{v}' for k, v in p['statuses'].items())}) | "
                    f"{_f(p['p50_ms'], ' ms', 0)} / {_f(p['p95_ms'], ' ms', 0)} | p95 <= 200 ms | {_goal(ok)} |"
                )
            else:
                lines.append(f"| 3 | {name} ({p.get('queries')} queries, HTTP {p.get('status')}) | not loaded | | |")
        fl = pg.get("floor")
        if fl:
            lines.append(
                f"| 3 | Floor: {fl['path']} on the same server and clients (no session, query or template): p50 / "
                f"p95 ({fl['requests']} requests, {_f(fl['throughput_rps'], ' req/s', 1)}) | "
                f"{_f(fl['p50_ms'], ' ms', 0)} / {_f(fl['p95_ms'], ' ms', 0)} | | |"
            )

    ex = s.get("excel")
    st = _status(ex)
    if st:
        lines.append(f"| 4 | Excel | {st} | | |")
    else:
        for name, x in ex["xlsx"].items():
            lines.append(
                f"| 4 | Excel {name} (HTTP {x['status']}, {x['bytes']:,} bytes), median | "
                f"{_f(x['median_s'], ' s', 3)} | <= 2 s | {_goal(x.get('goal_met'))} |"
            )
        wb = ex.get("workbook_export", {})
        if wb.get("status") == "not available":
            lines.append(f"| 4 | Workbook export of the largest kecamatan | not available: {wb.get('reason')} | | |")
        elif wb:
            lines.append(
                f"| 4 | Workbook export of Kecamatan {wb['kecamatan']} ({wb['kecamatan_warga']:,} warga): "
                f"time / peak RSS | {_f(wb['seconds'], ' s', 1)} / {_f(wb['maxrss_mb'], ' MB', 0)} | "
                f"<= 60 s / <= 300 MB | {_goal(wb.get('goal_met'))} |"
            )

    im = s.get("import")
    st = _status(im)
    if st:
        lines.append(f"| 5 | Import of a 50,000-warga workbook | {st} | <= 120 s | |")
    else:
        extra = "" if im["imported"] else f" (refused: {im['result'].get('first_issues')})"
        lines.append(
            f"| 5 | Import of a {im['n_warga']:,}-warga workbook: time / peak RSS{extra} | "
            f"{_f(im['seconds'], ' s', 1)} / {_f(im['maxrss_mb'], ' MB', 0)} | <= 120 s | "
            f"{_goal(im.get('goal_met'))} |"
        )
    lines.append("")
    for name, sec in s.items():
        if sec.get("status") == "error":
            lines += [f"Error in `{name}`:", "", "```", sec.get("traceback", sec.get("reason", "")).strip(), "```", ""]
    if rb and not _status(rb):
        lines.append(
            "Per-unit ORM extrapolation by level (seconds per unit, units, estimate): "
            + "; ".join(
                f"{lv} {_f(v['seconds_per_unit'], ' s', 3)} x {v['units']:,} = {_f(v['estimate_s'], ' s', 1)}"
                for lv, v in rb["per_unit_orm"]["by_level"].items()
            )
            + "."
        )
        lines.append("")
    return "\n".join(lines)


def headline(r: dict) -> list[str]:
    """The goals of issue 13 for one run, each with its figure and verdict, from that run's JSON only."""
    s = r["sections"]
    warga = s.get("setup", {}).get("counts", {}).get("warga", 0)
    load = ", ".join(f"{x:.2f}" for x in r.get("machine", {}).get("loadavg_at_start", []))
    out = [
        f"Headline: scale {r['scale']:g}, run {r['started_at']} ({warga:,} warga; load average at start {load}"
        f" on {r.get('machine', {}).get('cores')} cores).",
        "",
    ]

    def verdict(ok):
        return "not judged below scale 1" if ok is None else ("met" if ok else "**missed**")

    rb = s.get("rebuild", {})
    if rb.get("status") == "ok":
        for key, goal, ok in (
            ("first_build", "at most 2x", rb.get("goal_first_build_le_2x_floor")),
            ("repeated", "at most 1.5x", rb.get("goal_repeated_le_1_5x_floor")),
        ):
            m = rb[key]
            name = "first build of a year" if key == "first_build" else "repeated rebuild, nothing changed"
            out.append(
                f"- Rebuild, {name}: {_f(m['median_s'], ' s', 3)} = {_f(m['ratio'], 'x')} its floor "
                f"({_f(m['floor_median_s'], ' s', 3)}); goal {goal}: {verdict(ok)}."
            )
    rf = s.get("refresh", {})
    if rf.get("status") == "ok":
        for label, v in _refresh_variants(rf):
            out.append(
                f"- Refresh after one edit, {label}: p95 {_f(v['p95_ms'], ' ms', 1)} (floor "
                f"{_f(v.get('floor_p95_ms'), ' ms', 1)}); goal at most 50 ms: {verdict(v.get('goal_met'))}."
            )
    pg = s.get("pages", {})
    if pg.get("status") == "ok":
        p95s = {n: p["p95_ms"] for n, p in pg["pages"].items() if "p95_ms" in p}
        if p95s:
            worst = max(p95s, key=p95s.get)
            out.append(
                f"- Pages under {pg.get('load', {}).get('clients', 20)} clients: worst p95 "
                f"{_f(p95s[worst], ' ms', 0)} ({worst}); goal at most 200 ms: {verdict(pg.get('goal_met'))}"
                + (
                    f" (floor: /healthz p95 {_f(pg['floor']['p95_ms'], ' ms', 0)} on the same server and clients)."
                    if pg.get("floor")
                    else "."
                )
            )
    return [*out, ""]


def render_side_runs() -> list[str]:
    """The two stand-alone scripts' runs, from their JSON (``bench/kader_load.py``, ``bench/export_memory.py``)."""
    parts: list[str] = []
    load_path = RESULTS_DIR / "kader-load.json"
    if load_path.exists():
        d = json.loads(load_path.read_text(encoding="utf-8"))
        ok = not d["errors"] and not d["rows_differing_from_saves"] and not d["outbox_left"]
        parts += [
            f"## Load: {d['clients']} kader saving forms for {d['seconds']} s (run {d.get('run_at', '?')})",
            "",
            f"`python -m bench.kader_load`: gunicorn with {d['web_workers']} sync workers and one real Celery worker "
            f"on loopback; load average at start {d.get('loadavg_at_start', '?')}.",
            "",
            "| requests | saves | saves/s | errors | rows differing from saves | outbox left | caught up after "
            "| stored rekap = clean rebuild | GET p50 / p95 | POST p50 / p95 |",
            "|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
            f"| {d['requests']:,} | {d['saves']:,} | {d['saves_per_s']} | {d['errors']} | "
            f"{len(d['rows_differing_from_saves'])} | {d['outbox_left']} | {d['caught_up_s']} s | "
            f"{'yes' if d['rekap_equals_clean_rebuild'] else '**no**'} | {d['get_p50_ms']} / {d['get_p95_ms']} ms | "
            f"{d['post_p50_ms']} / {d['post_p95_ms']} ms |",
            "",
            f"Goal (issue 12): no error, no lost write, every refresh caught up: {'**met**' if ok else '**missed**'}. "
            "Response times are queueing on 2 cores, not a goal.",
            "",
        ]
    mem_path = RESULTS_DIR / "export-memory.json"
    if mem_path.exists():
        d = json.loads(mem_path.read_text(encoding="utf-8"))
        parts += [
            f"## Whole-subtree Excel export: peak memory (run {d.get('run_at', '?')})",
            "",
            "`python -m bench.export_memory`: the subtree job down to every dasawisma, in-memory writer (baseline) "
            "against the streamed one, each in its own process (peak RSS = VmHWM; with DEBUG on Django keeps a "
            "bounded log of up to 9,000 queries, production runs with it off); load average at start "
            f"{d.get('loadavg_at_start', '?')}.",
            "",
            "| dasawisma | writer | sheets | DEBUG | seconds | peak RSS MB | file MB |",
            "|---:|---|---:|---|---:|---:|---:|",
        ]
        parts += [
            f"| {r['dasawisma']:,} | {r['writer']} | {r['sheets']:,} | {'on' if r.get('debug', True) else 'off'} | "
            f"{r['seconds']} | {r['peak_mb']} | "
            f"{r['file_mb']} |"
            for r in d["results"]
        ]
        parts.append("")
        parts.append(
            f"Goal (issue 12): the streamed job at Purworejo scale (15,428 dasawisma, about 20,000 sheets) "
            f"peaks under 300 MB: {_export_goal(d['results'])}."
        )
        parts.append("")
    return parts


def _export_goal(results: list[dict]) -> str:
    full = [r for r in results if r["writer"] == "streamed" and r["dasawisma"] >= 15000]
    if not full:
        return "not measured at that scale"
    return "; ".join(
        f"{'**met**' if r['peak_mb'] < 300 else '**missed**'} with DEBUG {'on' if r.get('debug', True) else 'off'} "
        f"({r['peak_mb']} MB)"
        for r in full
    )


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
        "Written by `make bench` from `bench/results/bench-scale-*.json` alone: every figure below comes from "
        "the JSON of a run. The history of the roll-up's optimisation (earlier code, earlier figures) is in "
        "`bench/NOTES.md` and `docs/performance.md`.",
        "",
    ]
    if not runs:
        parts.append("No results yet: run `make bench`.")
    else:
        parts += headline(runs[0])
    by_scale = {
        r["scale"]: dict(_refresh_variants(r["sections"]["refresh"]))
        for r in runs
        if r["sections"].get("refresh", {}).get("status") == "ok"
    }
    if len(by_scale) >= 2:
        lo, hi = min(by_scale), max(by_scale)
        for label in by_scale[lo]:
            if label in by_scale[hi]:
                a, b = by_scale[lo][label], by_scale[hi][label]
                parts.append(
                    f"Refresh across scale, {label}: median {_f(a['median_ms'], ' ms', 1)} at scale {lo:g} vs "
                    f"{_f(b['median_ms'], ' ms', 1)} at scale {hi:g}; p95 {_f(a['p95_ms'], ' ms', 1)} vs "
                    f"{_f(b['p95_ms'], ' ms', 1)} (goal: no growth with scale: "
                    f"{'met' if b['p95_ms'] <= max(a['p95_ms'] * 1.5, a['p95_ms'] + 10) else '**missed**'})."
                )
                parts.append("")
    for r in runs:
        parts.append(render_run(r))
    parts += render_side_runs()
    parts.append(METHOD)
    OUT.write_text("\n".join(parts).rstrip() + "\n", encoding="utf-8")
    return OUT
