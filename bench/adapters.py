"""Late binding to the functions other parts of the project provide (rebuild, refresh, Excel, workbook).

Each finder returns a callable or raises ``NotAvailable`` with the reason: the benchmark then reports
that measurement as "not available" instead of inventing a figure.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable


class NotAvailable(Exception):
    pass


def _attr(module: str, *names: str) -> Callable:
    try:
        mod = importlib.import_module(module)
    except ImportError as exc:
        raise NotAvailable(f"module {module} not importable: {exc}") from None
    for name in names:
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn
    raise NotAvailable(f"{module} has none of {', '.join(names)}")


def call_with(fn: Callable, **candidates):
    """Call ``fn`` passing only the candidate keyword arguments it accepts."""
    params = inspect.signature(fn).parameters
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return fn(**candidates)
    return fn(**{k: v for k, v in candidates.items() if k in params})


def full_rebuild() -> Callable[[int], object]:
    """fn(tahun): Buku II of the year and Buku III of its twelve months, every unit and tier."""
    from reporting.rollup import rebuild

    return lambda tahun: rebuild(None, tahun=tahun)


def refresh_dasawisma() -> Callable:
    return _attr("reporting.services", "refresh_dasawisma")


def workbook_export() -> Callable:
    return _attr("dasawisma.workbook.exporter", "workbook_export")


def workbook_import() -> Callable:
    return _attr("dasawisma.workbook.importer", "workbook_import")


def write_sample_workbook() -> Callable:
    return _attr("dasawisma.workbook.sample", "write_sample_workbook")
