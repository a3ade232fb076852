"""Creating and dropping the benchmark's own database (never a test database, never the app's)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def check_bench_url(url: str) -> None:
    parts = urlsplit(url)
    name = db_name(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("bench: --database-url harus PostgreSQL (postgres://...).")
    if not name or "bench" not in name or name.startswith("test_"):
        raise SystemExit(f"bench: nama basis data '{name}' ditolak: harus memuat 'bench' dan bukan basis data uji.")


def _admin_url(url: str) -> str:
    p = urlsplit(url)
    return urlunsplit((p.scheme.replace("pgsql", "postgresql"), p.netloc, "/postgres", p.query, p.fragment))


def ensure_database(url: str, *, recreate: bool) -> None:
    """Create the database if missing; with ``recreate`` drop it first (it holds only bench data)."""
    name = db_name(url)
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and recreate:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
