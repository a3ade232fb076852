"""Gunicorn on loopback and a bounded concurrent HTTP load (threads, keep-alive connections)."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


@contextmanager
def gunicorn(base_dir: Path, env: dict, *, workers: int, log: Path):
    """Start ``gunicorn pkk.wsgi`` on 127.0.0.1:<free port>; yields the port; stops it (its pid only)."""
    port = free_port()
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    cmd = [
        str(gunicorn_bin),
        "pkk.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    fh = open(log, "ab")
    proc = subprocess.Popen(cmd, cwd=str(base_dir), env=env, stdout=fh, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError(f"gunicorn did not answer on port {port}; see {log}") from None
                time.sleep(0.3)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        fh.close()


def run_load(port: int, path: str, cookie: str, *, clients: int, per_client: int, warmup: int = 2) -> dict:
    """``clients`` threads each GET ``path`` ``per_client`` times (after ``warmup`` unmeasured requests)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    headers = {"Cookie": cookie, "Host": "127.0.0.1", "Connection": "keep-alive"}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, codes = [], {}
        try:
            for _ in range(warmup):
                conn.request("GET", path, headers=headers)
                conn.getresponse().read()
            barrier.wait()
            for _ in range(per_client):
                t0 = time.perf_counter()
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                mine.append(time.perf_counter() - t0)
                codes[resp.status] = codes.get(resp.status, 0) + 1
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            with lock:
                errors.append(repr(exc))
            try:
                barrier.abort()
            except threading.BrokenBarrierError:
                pass
        finally:
            conn.close()
        with lock:
            latencies.extend(mine)
            for k, v in codes.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    wall = time.perf_counter() - t0
    ms = [x * 1000 for x in latencies]
    return {
        "requests": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "max_ms": max(ms) if ms else float("nan"),
        "throughput_rps": len(ms) / wall if wall else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors[:5],
    }


def gunicorn_env(base_env: dict, *, database_url: str, secret_key: str, static_root: str) -> dict:
    env = dict(base_env)
    env.pop("PKK_BENCH_CHILD", None)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            "CELERY_BROKER_URL": "",
        }
    )
    env.setdefault("PYTHONPATH", os.getcwd())
    return env
