"""Peak memory of the subtree Excel job down to every dasawisma: streamed writer vs the in-memory baseline.

    .venv/bin/python -m bench.export_memory --dasawisma 600 --dasawisma 2400 [--households 15]

For each size it builds a synthetic kabupaten in its own SQLite file (``/tmp/bench-export-<n>.sqlite3``,
kept for reruns): kecamatan of 31 desa, each desa 2 RW x 3 RT x 5 dasawisma (Purworejo has ~30 dasawisma
per desa), ``--households`` named households per dasawisma, stored Buku II rows with random numbers. Then,
each in a fresh process so that its peak is its own, it builds ``SubtreeData(kabupaten, Buku II, down to
dasawisma)`` and writes the workbook with one writer, reporting seconds and the peak resident memory
(``VmHWM``) before and after writing. Purworejo: 16 kecamatan, 494 desa, ~15,000 dasawisma, ~230,000 rumah
tangga: 15,428 dasawisma is ``--dasawisma 15000``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
TAHUN = 2025


def vm(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.pop("CELERY_BROKER_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk.settings")
    sys.path.insert(0, str(BASE))
    import django

    django.setup()


def setup(db: Path, n_dasawisma: int, households: int) -> dict:
    """The synthetic kabupaten (idempotent: an existing file is reused)."""
    _django(db)
    from django.core.management import call_command

    from dasawisma.models import Keluarga, RumahTangga, Warga
    from pkk.models import Level, Unit
    from pkk.services import fill_missing_paths
    from reporting.books import BUKU_II
    from reporting.models import RekapTahunan
    from reporting.selectors import measure_names

    call_command("migrate", verbosity=0)
    if Unit.objects.filter(level=Level.DASAWISMA).exists():
        return {"reused": True, "dasawisma": Unit.objects.filter(level=Level.DASAWISMA).count()}
    rng = random.Random(2026)
    prov = Unit.objects.create(level=Level.PROVINSI, name="Jawa Tengah", code="33")
    kab = Unit.objects.create(level=Level.KABUPATEN, name="Purworejo", code="33.06", parent=prov, kind="kabupaten")
    fill_missing_paths()
    n_desa = max(1, n_dasawisma // 30)
    n_kec = max(1, round(n_desa / 31))

    def bulk(level: str, parents: list, per: int, name) -> list:
        objs = [Unit(level=level, name=name(i, j), parent_id=p.pk, path="") for i, p in enumerate(parents)
                for j in range(per)]  # fmt: skip
        Unit.objects.bulk_create(objs, batch_size=2000)
        fill_missing_paths()
        return objs

    kecs = bulk(Level.KECAMATAN, [kab], n_kec, lambda i, j: f"Kecamatan {j + 1:02d}")
    desas = [Unit(level=Level.DESA, name=f"Desa {k:03d}", parent_id=kecs[k % n_kec].pk, path="", kind="desa")
             for k in range(n_desa)]  # fmt: skip
    Unit.objects.bulk_create(desas, batch_size=2000)
    fill_missing_paths()
    rws = bulk(Level.RW, desas, 2, lambda i, j: f"{j + 1:02d}")
    rts = bulk(Level.RT, rws, 3, lambda i, j: f"{j + 1:02d}")
    dws = bulk(Level.DASAWISMA, rts, 5, lambda i, j: f"Dasawisma {i}-{j}")
    first = ["Siti", "Sri", "Budi", "Agus", "Tri", "Eko", "Dwi", "Rina", "Wahyu", "Nur"]
    last = ["Santoso", "Rahayu", "Wibowo", "Lestari", "Saputra", "Handayani", "Purnomo"]
    reg = 0
    for start in range(0, len(dws), 200):
        chunk = dws[start : start + 200]
        rts_objs = [RumahTangga(dasawisma_id=d.pk, kode=f"RT{d.pk}-{h}") for d in chunk for h in range(households)]
        RumahTangga.objects.bulk_create(rts_objs, batch_size=2000)
        kels = [Keluarga(rumah_tangga_id=r.pk, no_kk=f"3306{r.pk:012d}") for r in rts_objs]
        Keluarga.objects.bulk_create(kels, batch_size=2000)
        people = []
        for r, k in zip(rts_objs, kels, strict=True):
            reg += 1
            people.append(Warga(
                dasawisma_id=r.dasawisma_id, rumah_tangga_id=r.pk, keluarga_id=k.pk, no_kk=k.no_kk,
                no_registrasi=f"REG{reg:010d}", nama=f"{rng.choice(first)} {rng.choice(last)}", jenis_kelamin="L",
                tanggal_lahir=f"{rng.randint(1950, 2000)}-01-15", status_perkawinan="kawin",
                status_dalam_keluarga="kepala_keluarga", agama="islam", pendidikan="sma",
            ))  # fmt: skip
        Warga.objects.bulk_create(people, batch_size=2000)
        for r, w in zip(rts_objs, people, strict=True):
            r.kepala_id = w.pk
        RumahTangga.objects.bulk_update(rts_objs, ["kepala"], batch_size=2000)
    names = measure_names(BUKU_II)
    rows = []
    for u in Unit.objects.exclude(level=Level.PROVINSI).only("pk"):
        rows.append(RekapTahunan(unit_id=u.pk, tahun=TAHUN, **{n: rng.randint(0, 500) for n in names}))
    RekapTahunan.objects.bulk_create(rows, batch_size=2000)
    return {"reused": False, "dasawisma": len(dws), "desa": n_desa, "kecamatan": n_kec,
            "rumah_tangga": len(dws) * households}  # fmt: skip


def measure(db: Path, writer: str) -> dict:
    """In this (fresh) process: load the subtree, write it with ``writer``; peak memory and seconds."""
    _django(db)
    from openpyxl import Workbook

    from pkk.models import Unit
    from reporting.books import BUKU_II
    from reporting.excel import sheet_title, write_sheet
    from reporting.exports import sheets_of, subtree_workbook_write
    from reporting.selectors import SubtreeData

    kab = Unit.objects.get(code="33.06")
    before = vm("VmRSS")
    started = time.perf_counter()
    data = SubtreeData(kab, BUKU_II, TAHUN, down_to="dasawisma")
    loaded_hwm = vm("VmHWM")
    out = Path(f"/tmp/bench-export-{os.getpid()}.xlsx")
    if writer == "streamed":
        written = subtree_workbook_write(data, str(out))
        sheets = written.sheets
    else:  # the baseline: every sheet in one in-memory workbook, as the job did before
        wb = Workbook()
        wb.remove(wb.active)
        used: set[str] = set()
        sheets = 0
        for layout, unit in sheets_of(data):
            report = data.report(layout, unit)
            title = sheet_title(layout.lampiran, report.unit_path_label, used)
            write_sheet(wb.create_sheet(title=title), report)
            sheets += 1
        buf = io.BytesIO()
        wb.save(buf)
        out.write_bytes(buf.getvalue())
    seconds = time.perf_counter() - started
    size = out.stat().st_size
    out.unlink()
    return {"writer": writer, "sheets": sheets, "seconds": round(seconds, 1), "rss_before_mb": round(before),
            "hwm_after_load_mb": round(loaded_hwm), "peak_mb": round(vm("VmHWM")),
            "file_mb": round(size / 2**20, 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dasawisma", type=int, action="append", help="sizes to measure (repeatable)")
    parser.add_argument("--households", type=int, default=15)
    parser.add_argument("--writers", default="memory,streamed")
    parser.add_argument("--measure", choices=["memory", "streamed"], help=argparse.SUPPRESS)
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument(
        "--out",
        default=str(BASE / "bench" / "results" / "export-memory.json"),
        help="where the JSON of the run goes (BENCHMARKS.md is written from it); '' for none",
    )
    opts = parser.parse_args(argv)
    if opts.setup:
        print(json.dumps(setup(Path(opts.db), opts.dasawisma[0], opts.households)))
        return 0
    if opts.measure:
        print(json.dumps(measure(Path(opts.db), opts.measure)))
        return 0
    results = []
    loadavg_at_start = [round(x, 2) for x in os.getloadavg()]
    for n in opts.dasawisma or [600]:
        db = Path(f"/tmp/bench-export-{n}-{opts.households}.sqlite3")
        cmd = [sys.executable, "-m", "bench.export_memory", "--db", str(db)]
        t = time.perf_counter()
        made = json.loads(subprocess.check_output([*cmd, "--setup", "--dasawisma", str(n),
                                                   "--households", str(opts.households)], cwd=BASE))  # fmt: skip
        print(f"# {n} dasawisma: data {made} in {time.perf_counter() - t:.0f} s", flush=True)
        for writer in opts.writers.split(","):
            res = json.loads(subprocess.check_output([*cmd, "--measure", writer], cwd=BASE))
            res["dasawisma"] = n
            results.append(res)
            print(json.dumps(res), flush=True)
    print("\n| dasawisma | writer | sheets | seconds | peak RSS MB | after loading MB | file MB |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['dasawisma']} | {r['writer']} | {r['sheets']} | {r['seconds']} | {r['peak_mb']} | "
              f"{r['hwm_after_load_mb']} | {r['file_mb']} |")  # fmt: skip
    if opts.out:
        doc = {
            "run_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "loadavg_at_start": loadavg_at_start,
            "households_per_dasawisma": opts.households,
            "results": results,
        }
        Path(opts.out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
