"""The benchmark run (inside ``manage.py bench``, connected to the bench database).

Steps: migrate, load Kabupaten Purworejo (``import_wilayah``), generate the data at ``--scale`` with COPY,
VACUUM ANALYZE, then the measurements of issue 5, each in its own section. A section whose function is not
(yet) provided by the project is recorded as "not available"; one that fails is recorded as "error" with the
reason. Results go to ``bench/results/bench-scale-<scale>.json`` after every section, and ``BENCHMARKS.md``
is rendered from every results file at the end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
import traceback
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import override_settings

from . import adapters, baselines, load, report

FULL = {"kecamatan": 16, "desa": 494, "warga": 810_000, "rumah_tangga": 230_000, "dasawisma": 15_000}
BASE = Path(settings.BASE_DIR)
RESULTS_DIR = BASE / "bench" / "results"
SCRATCH = BASE / "bench-results"
# The whole country shipped in fixtures/wilayah; the bench loads Kabupaten Purworejo (--root 33.06) from it.
WILAYAH = Path(os.environ.get("BENCH_WILAYAH_CSV", BASE / "fixtures" / "wilayah" / "wilayah.csv.xz"))
BENCH_PASSWORD = "bench-only-2026"


def median(xs):
    return statistics.median(xs) if xs else None


def p95(xs):
    return load.percentile(list(xs), 95) if xs else None


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "loadavg_at_start": os.getloadavg(),
    }


class Run:
    def __init__(self, opts: dict, stdout):
        self.opts = opts
        self.out = stdout
        self.scale = float(opts["scale"])
        self.runs = opts["runs"] or (3 if self.scale >= 0.5 else 5)
        self.tahun = int(os.environ.get("BENCH_TAHUN", dt.date.today().year - 1))
        self.today = dt.date(self.tahun, 12, 31)
        self.only = {s.strip() for s in opts["only"].split(",") if s.strip()}
        tag = f"{self.scale:g}".replace(".", "_")
        self.json_path = Path(opts["out"]).resolve() if opts["out"] else RESULTS_DIR / f"bench-scale-{tag}.json"
        previous = {}
        if self.only and self.json_path.exists():  # a partial re-run updates the sections it measures
            previous = json.loads(self.json_path.read_text(encoding="utf-8")).get("sections", {})
        self.results: dict = {
            "scale": self.scale,
            "tahun": self.tahun,
            "seed": opts["seed"],
            "runs": self.runs,
            "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "sections": previous,
        }
        SCRATCH.mkdir(exist_ok=True)
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)

    def say(self, msg: str) -> None:
        self.out.write(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {msg}")
        self.out.flush()

    def save(self) -> None:
        self.json_path.write_text(json.dumps(self.results, indent=2, default=str) + "\n", encoding="utf-8")

    def section(self, name: str, fn) -> None:
        if self.only and name not in self.only:
            return
        self.say(f"-- {name}")
        t0 = time.perf_counter()
        try:
            data = fn()
            data.setdefault("status", "ok")
        except adapters.NotAvailable as exc:
            data = {"status": "not available", "reason": str(exc)}
        except Exception as exc:  # noqa: BLE001 - a failed measurement is reported, the run goes on
            data = {
                "status": "error",
                "reason": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=6),
            }
        data["section_seconds"] = round(time.perf_counter() - t0, 2)
        self.results["sections"][name] = data
        self.say(f"   {name}: {data.get('status')} {json.dumps(_brief(data), default=str)[:600]}")
        self.save()

    # ------------------------------------------------------------------ setup

    def setup(self) -> dict:
        from dasawisma.models import Warga
        from demo.generator import generate
        from demo.wilayah import load_wilayah_csv
        from pkk.models import Level, Unit

        if self.opts["reuse"] and Warga.objects.exists():
            self.say("reusing the existing bench data")
            return {"status": "reused", "counts": self.counts()}
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        t_migrate = time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            call_command("import_wilayah", str(WILAYAH), root="33.06", verbosity=0)
            loader = "import_wilayah"
        except Exception as exc:  # noqa: BLE001 - fall back to the bulk loader of demo.wilayah
            self.say(f"import_wilayah failed ({exc}); loading the CSV with demo.wilayah.load_wilayah_csv")
            load_wilayah_csv(WILAYAH, root="33.06")
            loader = "demo.wilayah.load_wilayah_csv"
        t_wilayah = time.perf_counter() - t0
        kab = Unit.objects.get(code="33.06")
        desa = list(Unit.objects.subtree(kab).filter(level=Level.DESA))
        households = max(len(desa), round(FULL["rumah_tangga"] * self.scale))
        self.say(f"generating {households:,} rumah tangga under {len(desa)} desa (scale {self.scale:g})")
        cpu0 = time.process_time()
        res = generate(
            desa_units=desa,
            total_households=households,
            seed=self.opts["seed"],
            today=self.today,
            use_copy=True,
            trust_foreign_keys=True,
            progress=lambda m: self.say("   " + m),
        )
        gen_cpu = time.process_time() - cpu0
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        t_analyze = time.perf_counter() - t0
        counts = self.counts()
        return {
            "migrate_s": t_migrate,
            "wilayah_s": t_wilayah,
            "wilayah_loader": loader,
            "generate_s": res.seconds,
            "generate_python_cpu_s": gen_cpu,
            "vacuum_analyze_s": t_analyze,
            "generation_total_s": res.seconds + t_analyze,
            "goal_s": 300,
            "goal_met": res.seconds + t_analyze <= 300,
            "counts": counts,
        }

    def counts(self) -> dict:
        from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
        from pkk.models import Unit

        out = dict(Unit.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
        out.update(
            {
                "rumah_tangga": RumahTangga.objects.count(),
                "keluarga": Keluarga.objects.count(),
                "warga": Warga.objects.count(),
                "kehamilan": Kehamilan.objects.count(),
            }
        )
        t0, t1 = self.today.replace(month=1, day=1), self.today
        out["births_in_year"] = Warga.objects.filter(tanggal_lahir__gte=t0, tanggal_lahir__lte=t1).count()
        out["deaths_in_year"] = Warga.objects.filter(tanggal_meninggal__gte=t0, tanggal_meninggal__lte=t1).count()
        return out

    # ------------------------------------------------------------------ fixtures of the measurements

    def targets(self) -> dict:
        from django.contrib.auth import get_user_model

        from dasawisma.models import RumahTangga, Warga
        from pkk.models import Level, Role, RoleAssignment, Unit

        kab = Unit.objects.get(code="33.06")
        kec_sizes = []
        for kec in Unit.objects.filter(level=Level.KECAMATAN, parent=kab):
            n = Warga.objects.filter(dasawisma__path__gte=kec.path, dasawisma__path__lt=kec.path + "A").count()
            kec_sizes.append((n, kec.pk))
        n_kec, kec_id = max(kec_sizes)
        kec = Unit.objects.get(pk=kec_id)
        rt = (
            Unit.objects.subtree(kec)
            .filter(level=Level.RT)
            .annotate(n=Count("children"))
            .order_by("-n", "path")
            .first()
        )
        dw = (
            Unit.objects.filter(level=Level.DASAWISMA, pk__in=RumahTangga.objects.values("dasawisma"))
            .filter(path__gte=kec.path, path__lt=kec.path + "A")
            .annotate(n=Count("rumah_tangga"))
            .order_by("-n", "path")
            .first()
        )
        User = get_user_model()

        def user(name, role, unit):
            u, _ = User.objects.get_or_create(username=name)
            u.set_password(BENCH_PASSWORD)
            u.save()
            RoleAssignment.objects.get_or_create(user=u, role=role, unit=unit)
            return u

        return {
            "kab": kab,
            "kec": kec,
            "kec_warga": n_kec,
            "rt": rt,
            "dw": dw,
            "admin": user("bench.admin", Role.ADMIN_KABUPATEN, kab),
            "kader": user("bench.kader", Role.KADER, dw),
        }

    # ------------------------------------------------------------------ 1. rebuild vs floors

    def _pairs(self, label: str, floor_fn, project_fn, pairs: int) -> dict:
        """``pairs`` x (floor, project), interleaved so both meet the same state of the machine; medians."""
        floor_times, times, floor_out = [], [], None
        for i in range(pairs):
            t0 = time.perf_counter()
            floor_out = floor_fn()
            floor_times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            project_fn()
            times.append(time.perf_counter() - t0)
            self.say(f"   {label} pair {i + 1}: floor {floor_times[-1]:.3f} s, rebuild {times[-1]:.3f} s")
        fl, rb = median(floor_times), median(times)
        return {
            "median_s": rb,
            "runs_s": times,
            "floor_median_s": fl,
            "floor_runs_s": floor_times,
            "floor_result": floor_out,
            "pairs": pairs,
            "ratio": rb / fl if fl else None,
            "ratio_per_pair": [r / f for r, f in zip(times, floor_times, strict=True)],
        }

    def rebuild(self) -> dict:
        """The rebuild of a year (Buku II) and its 12 months (Buku III), every measure at every tier, measured
        two ways, each against its floor (``bench.floors``, one connection, rolled back):

        * ``first_build``: into empty rekap tables (emptied before each run);
        * ``repeated``: again, with nothing changed (nothing to write).

        Then the per-unit ORM approach, extrapolated from a sample of its queries."""
        from reporting.models import RekapBulanan, RekapTahunan

        from . import floors

        fn = adapters.full_rebuild()
        pairs = max(self.runs, 3)
        tables = ", ".join(m._meta.db_table for m in (RekapTahunan, RekapBulanan))

        def first_build() -> None:
            with connection.cursor() as cur:
                cur.execute(f"TRUNCATE {tables}")
            fn(self.tahun)

        out: dict = {}
        out["first_build"] = self._pairs("first build", lambda: floors.first_build(self.tahun), first_build, pairs)
        fn(self.tahun)  # the stored rows are complete: the repeated rebuild and its floor have nothing to write
        out["repeated"] = self._pairs("repeated", lambda: floors.repeat(self.tahun), lambda: fn(self.tahun), pairs)
        out["repeated"]["floor_rows_differing"] = out["repeated"]["floor_result"]["differing"]
        full = self.scale >= 0.5
        per_level = {"provinsi": 1, "kabupaten": 1, "kecamatan": 2 if full else 4}
        per_level.update({lv: 3 if full else 8 for lv in ("desa", "dusun", "rw", "rt", "dasawisma")})
        out["per_unit_orm"] = baselines.per_unit_orm(
            self.tahun, per_level=per_level, seed=self.opts["seed"], budget_s=240 if full else 60
        )
        out["per_unit_orm"]["extrapolated"] = True
        judged = self.scale >= 1  # the goals are set for full scale; below it the fixed costs dominate
        out["goal_first_build_le_2x_floor"] = out["first_build"]["ratio"] <= 2 if judged else None
        out["goal_repeated_le_1_5x_floor"] = out["repeated"]["ratio"] <= 1.5 if judged else None
        out["speedup_vs_per_unit"] = out["per_unit_orm"]["estimate_s"] / out["first_build"]["median_s"]
        return out

    # ------------------------------------------------------------------ 2. refresh one household

    def refresh(self) -> dict:
        """Edit one warga of a random household, then time the floor (rolled back) and ``refresh_dasawisma``
        on the same state (two kinds of edit)."""
        from dasawisma.models import DasawismaChange, RumahTangga, Warga
        from pkk.models import Unit
        from reporting.periods import months_of_year

        from . import floors

        fn = adapters.refresh_dasawisma()
        rng = random.Random(self.opts["seed"])
        ids = list(RumahTangga.objects.values_list("pk", flat=True))
        out: dict = {"goal_p95_ms": 50}
        variants = {
            # an edit dated the reference day: Buku II of the year and Buku III of its month, every tier
            "edit_today": (self.today, [self.today.replace(day=1)]),
            # an edit dated 1 January: the year and all twelve months, every tier
            "edit_since_january": (dt.date(self.tahun, 1, 1), months_of_year(self.tahun)),
        }
        for name, (since, months) in variants.items():
            times, floor_times = [], []
            for rt_id in rng.sample(ids, min(30, len(ids))):
                rt = RumahTangga.objects.get(pk=rt_id)
                w = Warga.objects.filter(rumah_tangga=rt).order_by("pk").first()
                if w is None:
                    continue
                # the edit a kader makes: one warga's flag and version, and the outbox row
                Warga.objects.filter(pk=w.pk).update(menyusui=not w.menyusui, version=w.version + 1)
                DasawismaChange.objects.create(dasawisma_id=rt.dasawisma_id, since=since)
                dw = Unit.objects.get(pk=rt.dasawisma_id)
                t0 = time.perf_counter()
                floors.refresh(dw, self.tahun, months)
                floor_times.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                adapters.call_with(fn, dasawisma_id=rt.dasawisma_id, today=self.today)
                times.append(time.perf_counter() - t0)
            ms = [t * 1000 for t in times]
            fms = [t * 1000 for t in floor_times]
            out[name] = {
                "since": since,
                "months": len(months),
                "refreshes": len(ms),
                "median_ms": median(ms),
                "p95_ms": p95(ms),
                "max_ms": max(ms) if ms else None,
                "floor_median_ms": median(fms),
                "floor_p95_ms": p95(fms),
                "goal_met": bool(ms) and p95(ms) <= 50,
            }
        out["goal_met"] = all(v["goal_met"] for k, v in out.items() if isinstance(v, dict))
        return out

    # ------------------------------------------------------------------ 3. pages under load

    def page_paths(self, t: dict) -> dict[str, tuple[str, object]]:
        from django.urls import reverse

        return {
            "4.17c": (
                reverse("reporting:rekap_tahunan", kwargs={"unit_id": t["kab"].pk, "tahun": self.tahun}),
                t["admin"],
            ),
            "4.17b": (
                reverse("reporting:rekap_tahunan", kwargs={"unit_id": t["kec"].pk, "tahun": self.tahun}),
                t["admin"],
            ),
            "4.16b": (
                reverse("reporting:rekap_tahunan", kwargs={"unit_id": t["rt"].pk, "tahun": self.tahun}),
                t["admin"],
            ),
            "kader household list": (reverse("dasawisma:dasawisma_home", kwargs={"unit_id": t["dw"].pk}), t["kader"]),
        }

    def pages(self) -> dict:
        from importlib import import_module

        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        t = self.targets()
        paths = self.page_paths(t)
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        out: dict = {
            "targets": {
                "kecamatan": t["kec"].name,
                "kecamatan_warga": t["kec_warga"],
                "rt_dasawisma": t["rt"].children.count(),
                "kader_rumah_tangga": t["dw"].n,
            },
            "pages": {},
        }
        for name, (path, user) in paths.items():
            c = Client()
            c.force_login(user)
            c.get(path)  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                resp = c.get(path)
            out["pages"][name] = {
                "path": path,
                "status": resp.status_code,
                "queries": len(ctx.captured_queries),
                "bytes": len(resp.content),
            }
        # sessions for the HTTP clients
        store_cls = import_module(settings.SESSION_ENGINE).SessionStore
        cookies = {}
        # gunicorn runs with DEBUG off, which refuses the development key: both sides share a random one
        # (sessions are signed and the auth hash is keyed with it).
        secret_key = secrets.token_urlsafe(64)
        with override_settings(SECRET_KEY=secret_key):
            for u in (t["admin"], t["kader"]):
                s = store_cls()
                s[SESSION_KEY] = str(u.pk)
                s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                s[HASH_SESSION_KEY] = u.get_session_auth_hash()
                s.create()
                cookies[u.pk] = f"{settings.SESSION_COOKIE_NAME}={s.session_key}"
        static_root = str(SCRATCH / "static")
        env = load.gunicorn_env(
            os.environ, database_url=os.environ["DATABASE_URL"], secret_key=secret_key, static_root=static_root
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=str(BASE), env=env, check=True
        )
        workers = 2 * (os.cpu_count() or 1) + 1
        clients = self.opts["clients"]
        per_client = 10 if self.scale >= 0.5 else 15
        out["load"] = {"clients": clients, "requests_per_client": per_client, "gunicorn_workers": workers}
        with load.gunicorn(BASE, env, workers=workers, log=SCRATCH / "gunicorn.log") as port:
            for name, (path, user) in paths.items():
                self.say(f"   load {name} {path}")
                res = load.run_load(port, path, cookies[user.pk], clients=clients, per_client=per_client)
                out["pages"][name].update(res)
            # The floor: the same server, clients and request count on /healthz (no session, no query, no
            # template): what the machine and the harness cost before any page work.
            self.say("   load floor /healthz")
            out["floor"] = {
                "path": "/healthz",
                **load.run_load(port, "/healthz", "", clients=clients, per_client=per_client),
            }
        p95s = [p["p95_ms"] for p in out["pages"].values() if "p95_ms" in p]
        out["goal_ms"] = 200
        out["goal_met"] = (
            bool(p95s)
            and max(p95s) <= 200
            and all(set(p.get("statuses", {})) == {"200"} for p in out["pages"].values())
        )
        return out

    # ------------------------------------------------------------------ 4. Excel

    def excel(self) -> dict:
        from django.test import Client
        from django.urls import reverse

        t = self.targets()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        out: dict = {"xlsx": {}}
        for name, unit in (("4.17c", t["kab"]), ("4.17b", t["kec"])):
            path = reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": unit.pk, "tahun": self.tahun})
            c = Client()
            c.force_login(t["admin"])
            times, status, size = [], None, 0
            for _ in range(self.runs):
                t0 = time.perf_counter()
                resp = c.get(path)
                body = b"".join(resp.streaming_content) if getattr(resp, "streaming", False) else resp.content
                times.append(time.perf_counter() - t0)
                status, size = resp.status_code, len(body)
            out["xlsx"][name] = {
                "path": path,
                "status": status,
                "bytes": size,
                "median_s": median(times),
                "runs_s": times,
                "goal_s": 2,
                "goal_met": status == 200 and median(times) <= 2,
            }
        # the standard workbook export of the largest kecamatan, in its own process (peak memory)
        target = SCRATCH / f"workbook-{t['kec'].code}.xlsx"
        try:
            adapters.workbook_export()
            res = self.child(["export", "--unit-id", str(t["kec"].pk), "--out", str(target)])
            res.update(
                {
                    "kecamatan": t["kec"].name,
                    "kecamatan_warga": t["kec_warga"],
                    "goal_s": 60,
                    "goal_mb": 300,
                    "bytes": target.stat().st_size if target.exists() else None,
                }
            )
            res["goal_met"] = res["seconds"] <= 60 and res["maxrss_mb"] <= 300
            out["workbook_export"] = res
        except adapters.NotAvailable as exc:
            out["workbook_export"] = {"status": "not available", "reason": str(exc)}
        out["goal_met"] = all(v.get("goal_met") for v in [*out["xlsx"].values(), out["workbook_export"]])
        return out

    def child(self, args: list[str]) -> dict:
        env = dict(os.environ)
        env.pop("PKK_BENCH_CHILD", None)
        proc = subprocess.run(
            [sys.executable, "-m", "bench.child", *args],
            cwd=str(BASE),
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"bench.child {args[0]} failed: {proc.stderr.strip()[-1500:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    # ------------------------------------------------------------------ 5. import

    def import_(self) -> dict:
        import csv

        from pkk.models import Level, Unit
        from pkk.services import kind_from_code, unit_create

        adapters.workbook_import()
        adapters.write_sample_workbook()
        # A desa outside Purworejo (official codes of Kabupaten Magelang) so that the sample's NIK never
        # collide with the generated ones and the import does not change the measured kabupaten.
        rows = {}
        from pkk.wilayah_import import open_csv

        with open_csv(WILAYAH) as fh:
            for r in csv.DictReader(fh):
                if r["code"] in ("33.08", "33.08.01") or r["code"].startswith("33.08.01.2001"):
                    rows[r["code"]] = r
        parent = Unit.objects.get(code="33")
        for code in ("33.08", "33.08.01", "33.08.01.2001"):
            r = rows[code]
            unit = Unit.objects.filter(code=code).first() or unit_create(
                level=r["level"], name=r["name"], parent=parent, code=code, kind=kind_from_code(code, r["level"])
            )
            parent = unit
        desa = parent
        assert desa.level == Level.DESA
        n = 50_000
        path = SCRATCH / "import-50000.xlsx"
        sample = self.child(["sample", "--path", str(path), "--kode-desa", desa.code, "--n-warga", str(n)])
        res = self.child(["import", "--path", str(path), "--today", str(self.today)])
        ok = res["result"].get("issues") == 0
        return {
            "desa": f"{desa.code} {desa.name}",
            "n_warga": n,
            "sample": sample["result"],
            "sample_write_s": sample["seconds"],
            "seconds": res["seconds"],
            "maxrss_mb": res["maxrss_mb"],
            "result": res["result"],
            "imported": ok,
            "goal_s": 120,
            "goal_met": ok and res["seconds"] <= 120,
        }

    # ------------------------------------------------------------------ all

    def run(self) -> None:
        if self.only and not self.opts["reuse"]:
            self.only.add("setup")  # a fresh database needs its data
        if not (self.only and self.opts["reuse"]):
            self.section("setup", self.setup)
        if self.results["sections"].get("setup", {}).get("status") == "error":
            self.save()
            report.render()
            raise RuntimeError("bench setup failed: " + self.results["sections"]["setup"]["reason"])
        self.section("rebuild", self.rebuild)
        self.section("refresh", self.refresh)
        self.section("pages", self.pages)
        self.section("excel", self.excel)
        self.section("import", self.import_)
        self.results["finished_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self.save()
        path = report.render()
        self.say(f"results: {self.json_path}; report: {path}")


def _brief(data: dict) -> dict:
    keep = {}
    for k, v in data.items():
        if k in ("traceback", "counts", "runs_s"):
            continue
        if isinstance(v, dict):
            keep[k] = {kk: vv for kk, vv in v.items() if not isinstance(vv, (dict, list))}
        else:
            keep[k] = v
    return keep


def run(opts: dict, stdout) -> None:
    Run(opts, stdout).run()
