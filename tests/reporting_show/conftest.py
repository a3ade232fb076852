"""Fixtures for the rekap report pages, Excel sheets and export jobs.

Stored rekap rows are inserted directly (the roll-up engine is tested elsewhere): each dasawisma gets
deterministic values, and every ancestor gets the sum of its children, as the roll-up would store it.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.test import Client

from pkk.models import Level, Unit
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from reporting.models import RekapBulanan, RekapTahunan
from reporting.selectors import COUNT_BY_LEVEL

TAHUN = 2025
BULAN = dt.date(2025, 3, 1)


def seed_values(names: list[str], unit: Unit, salt: int) -> dict[str, int]:
    # Big enough to need thousand separators on the upper tiers.
    return {n: (unit.pk * 37 + i * 11 + salt) % 97 * 31 for i, n in enumerate(names)}


def seed_rekap(*, tahun: int = TAHUN, bulan: dt.date = BULAN, skip: tuple[Unit, ...] = ()) -> None:
    """Store Buku II and Buku III rows for every unit (parents = sum of children). ``skip``: no row."""
    units = list(Unit.objects.order_by("-path"))  # children before parents
    children: dict[int, list[int]] = {}
    for u in units:
        if u.parent_id:
            children.setdefault(u.parent_id, []).append(u.pk)
    for model, names, period in (
        (RekapTahunan, BUKU_II_MEASURES, {"tahun": tahun}),
        (RekapBulanan, BUKU_III_MEASURES, {"bulan": bulan}),
    ):
        values: dict[int, dict[str, int]] = {}
        for u in units:
            if u.level == Level.DASAWISMA:
                values[u.pk] = seed_values(names, u, 1 if model is RekapTahunan else 5)
            else:
                values[u.pk] = {n: sum(values[c][n] for c in children.get(u.pk, [])) for n in names}
            # Stored unit counts as the roll-up writes them: a registered unit counts itself at its level.
            own = COUNT_BY_LEVEL.get(u.level) if u.is_active else None
            for n in UNIT_COUNT_NAMES:
                values[u.pk][n] = (1 if n == own else 0) + sum(values[c][n] for c in children.get(u.pk, []))
        skip_ids = {s.pk for s in skip}
        model.objects.bulk_create(
            [model(unit_id=u.pk, **period, **values[u.pk]) for u in units if u.pk not in skip_ids]
        )


@pytest.fixture
def seeded(tree):
    seed_rekap()
    return tree


@pytest.fixture
def big(tree, monkeypatch):
    """Every lampiran at real kabupaten magnitudes (6-digit JUMLAH figures) and two households in Mawar
    (tests/reporting_show/paper.py)."""
    import sys

    from . import paper

    monkeypatch.setattr(sys.modules[__name__], "seed_values", paper.big_values)
    seed_rekap()
    paper.households(tree)
    return tree


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TableParser(HTMLParser):
    """Reads the ``.table-rekap`` table: header cells, column numbers, body rows and the JUMLAH row."""

    def __init__(self) -> None:
        super().__init__()
        self.in_table = False
        self.section = ""
        self.rows: dict[str, list[list[str]]] = {"thead": [], "tbody": [], "tfoot": []}
        self.cell: list[str] | None = None
        self.spans: list[tuple[int, int]] = []
        self.current: list[str] | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "table-rekap" in (a.get("class") or ""):
            self.in_table = True
        if not self.in_table:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        elif tag == "tr":
            self.current = []
        elif tag in ("td", "th"):
            self.cell = []
            if self.section == "thead":
                self.spans.append((int(a.get("rowspan", 1)), int(a.get("colspan", 1))))
        elif tag == "a" and self.section == "tbody":
            self.links.append(a.get("href", ""))

    def handle_endtag(self, tag):
        if not self.in_table:
            return
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.current.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.current is not None:
            self.rows[self.section].append(self.current)
            self.current = None
        elif tag == "table":
            self.in_table = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def parse_table(html: str) -> TableParser:
    parser = TableParser()
    parser.feed(html)
    return parser


def angka(text: str) -> int | None:
    """'12.345' -> 12345; '' -> None."""
    text = text.strip()
    if not text:
        return None
    return int(text.replace(".", ""))
