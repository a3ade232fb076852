"""Dashboards per role: completeness of the children for a month and monthly trends of the unit's own
stored ``RekapBulanan`` rows, drawn as server-rendered inline SVG (no JavaScript, no CDN).

Every chart is returned as plain geometry (strings, already formatted with a dot as decimal separator so
that localisation never touches an SVG attribute) and a table of the same numbers for screen readers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from pkk.models import Unit

from .models import RekapBulanan
from .periods import BULAN_NAMA
from .selectors_cycle import KelengkapanRow

BULAN_SINGKAT = [b[:3] for b in BULAN_NAMA]

# (key, label, measures summed, colour)
TREN_SERIES: list[tuple[str, str, tuple[str, ...], str]] = [
    ("ibu_hamil", "Ibu hamil", ("ibu_hamil",), "#198754"),
    ("ibu_hamil_kek", "Ibu hamil KEK", ("ibu_hamil_kek",), "#dc3545"),
    ("kelahiran", "Kelahiran (bayi lahir L+P)", ("bayi_lahir_l", "bayi_lahir_p"), "#0d6efd"),
    ("kematian_bayi", "Kematian bayi (L+P)", ("bayi_meninggal_l", "bayi_meninggal_p"), "#6f42c1"),
    ("kematian_balita", "Kematian balita (L+P)", ("balita_meninggal_l", "balita_meninggal_p"), "#fd7e14"),
]
# Short column heads for the phone-width table.
TREN_HEADERS = ["Ibu hamil", "Hamil KEK", "Lahir", "Bayi meninggal", "Balita meninggal"]
TREN_FIELDS = sorted({m for _, _, measures, _ in TREN_SERIES for m in measures})


def _f(value: float) -> str:
    return f"{value:.1f}"


def nice_max(value: int) -> int:
    """A round upper bound for an axis (at least 1)."""
    if value <= 5:
        return max(value, 1)
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(value)) - 1)
    return ((value + magnitude - 1) // magnitude) * magnitude


# --------------------------------------------------------------------------- trends


@dataclass
class Tren:
    tahun: int
    months: list[dt.date]
    series: dict[str, list[int | None]]  # key -> 12 values (None: no stored row for that month)

    def table(self) -> list[dict]:
        rows = []
        for i, month in enumerate(self.months):
            rows.append(
                {
                    "bulan": month,
                    "label": BULAN_NAMA[month.month - 1],
                    "values": [self.series[k][i] for k, *_ in TREN_SERIES],
                }
            )
        return rows

    @property
    def has_data(self) -> bool:
        return any(v is not None for values in self.series.values() for v in values)


def tren_bulanan(unit: Unit, tahun: int, *, today: dt.date | None = None) -> Tren:
    """The 12 months of ``tahun`` of the unit's stored RekapBulanan (one query).

    Months after the current one show no value ("–"): a rebuild of the year stores them too, but a month
    that has not begun is no trend."""
    today = today or timezone.localdate()
    months = [dt.date(tahun, m, 1) for m in range(1, 13)]
    stored = {
        row["bulan"]: row
        for row in RekapBulanan.objects.filter(unit=unit, bulan__gte=months[0], bulan__lte=months[-1]).values(
            "bulan", *TREN_FIELDS
        )
    }
    series: dict[str, list[int | None]] = {}
    for key, _, measures, _ in TREN_SERIES:
        series[key] = [sum(stored[m][f] for f in measures) if m in stored and m <= today else None for m in months]
    return Tren(tahun=tahun, months=months, series=series)


# --------------------------------------------------------------------------- SVG geometry


# Charts are drawn at their natural size: one SVG unit is one CSS pixel (``width``/``height`` on the
# <svg>, scaled down only when the column is narrower, ``max-width: 100%``). W fits a 360 px phone
# (content ~344 px: scale 0.96), so 13-unit text reads as ~12.5 px there and stays 13 px on a desktop
# instead of growing with the column.
FONT, FONT_SMALL = 13, 12


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    legend: list[dict] = field(default_factory=list)
    grid: list[dict] = field(default_factory=list)  # horizontal gridlines with labels
    xlabels: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)  # {"points": "x,y x,y", "color"}
    dots: list[dict] = field(default_factory=list)  # {"x", "y", "color", "title"}
    bars: list[dict] = field(default_factory=list)  # {"x", "y", "w", "h", "color", "title"}
    texts: list[dict] = field(default_factory=list)  # {"x", "y", "text", "anchor", "cls"}
    font: int = 0  # font sizes in SVG units (set from FONT / FONT_SMALL)
    font_small: int = 0

    def __post_init__(self) -> None:
        self.font = self.font or FONT
        self.font_small = self.font_small or FONT_SMALL


W, H = 360, 210
LEFT, RIGHT, TOP, BOTTOM = 46, 6, 12, 26


def _axes(chart: Chart, ymax: int) -> tuple[float, float]:
    plot_w = W - LEFT - RIGHT
    plot_h = H - TOP - BOTTOM
    for frac in (0, 0.5, 1):
        y = TOP + plot_h * (1 - frac)
        value = ymax * frac
        label = f"{value:,.0f}".replace(",", ".") if value == int(value) else f"{value:.1f}".replace(".", ",")
        chart.grid.append(
            {"x1": str(LEFT), "x2": str(W - RIGHT), "y": _f(y), "label": label, "lx": str(LEFT - 5), "ly": _f(y + 4)}
        )
    step = plot_w / 12
    for i, name in enumerate(BULAN_SINGKAT):
        chart.xlabels.append({"x": _f(LEFT + step * (i + 0.5)), "y": str(H - 7), "text": name})
    return plot_w, plot_h


def line_chart(tren: Tren, keys: list[str], *, id: str, title: str) -> Chart:
    chosen = [s for s in TREN_SERIES if s[0] in keys]
    values = [v for k, *_ in chosen for v in tren.series[k] if v is not None]
    ymax = nice_max(max(values, default=0))
    chart = Chart(id=id, title=title, desc=_desc(tren, chosen), width=W, height=H)
    plot_w, plot_h = _axes(chart, ymax)
    step = plot_w / 12
    for key, label, _, color in chosen:
        chart.legend.append({"label": label, "color": color})
        segment: list[str] = []
        for i, v in enumerate(tren.series[key]):
            if v is None:
                if len(segment) > 1:
                    chart.lines.append({"points": " ".join(segment), "color": color})
                segment = []
                continue
            x, y = LEFT + step * (i + 0.5), TOP + plot_h * (1 - v / ymax)
            segment.append(f"{_f(x)},{_f(y)}")
            chart.dots.append({"x": _f(x), "y": _f(y), "color": color, "title": f"{label}, {BULAN_NAMA[i]}: {v}"})
        if len(segment) > 1:
            chart.lines.append({"points": " ".join(segment), "color": color})
    return chart


def bar_chart(tren: Tren, keys: list[str], *, id: str, title: str) -> Chart:
    chosen = [s for s in TREN_SERIES if s[0] in keys]
    values = [v for k, *_ in chosen for v in tren.series[k] if v is not None]
    ymax = nice_max(max(values, default=0))
    chart = Chart(id=id, title=title, desc=_desc(tren, chosen), width=W, height=H)
    plot_w, plot_h = _axes(chart, ymax)
    step = plot_w / 12
    bar_w = step * 0.8 / len(chosen)
    for j, (key, label, _, color) in enumerate(chosen):
        chart.legend.append({"label": label, "color": color})
        for i, v in enumerate(tren.series[key]):
            if v is None:
                continue
            h = plot_h * v / ymax
            x = LEFT + step * i + step * 0.1 + bar_w * j
            chart.bars.append(
                {"x": _f(x), "y": _f(TOP + plot_h - h), "w": _f(bar_w), "h": _f(h), "color": color,
                 "title": f"{label}, {BULAN_NAMA[i]}: {v}"}
            )  # fmt: skip
    return chart


def _desc(tren: Tren, chosen) -> str:
    parts = []
    for key, label, _, _ in chosen:
        vals = ", ".join(f"{BULAN_SINGKAT[i]} {v}" for i, v in enumerate(tren.series[key]) if v is not None)
        parts.append(f"{label}: {vals or 'belum ada data'}")
    return f"Tahun {tren.tahun}. " + "; ".join(parts) + "."


def tren_charts(tren: Tren) -> list[Chart]:
    return [
        line_chart(tren, ["ibu_hamil", "ibu_hamil_kek"], id="tren-hamil", title=f"Ibu hamil dan KEK {tren.tahun}"),
        bar_chart(tren, ["kelahiran"], id="tren-lahir", title=f"Kelahiran {tren.tahun}"),
        bar_chart(
            tren,
            ["kematian_bayi", "kematian_balita"],
            id="tren-kematian",
            title=f"Kematian bayi dan balita {tren.tahun}",
        ),
    ]


# --------------------------------------------------------------------------- completeness bars

BAR_W, LABEL_H, ROW_H, BAR_MAX, BAR_H = 340, 15, 46, 260, 11
WARNA_LENGKAP, WARNA_TEPAT = "#198754", "#0d6efd"


def completeness_chart(rows: list[KelengkapanRow], *, id: str, title: str) -> Chart:
    """Horizontal bars: per row a completeness bar and a timeliness bar, with the numbers as text."""
    chart = Chart(id=id, title=title, desc="", width=BAR_W, height=max(ROW_H * len(rows), ROW_H) + 4)
    chart.legend = [
        {"label": "Kelengkapan", "color": WARNA_LENGKAP},
        {"label": "Ketepatan waktu", "color": WARNA_TEPAT},
    ]
    desc = []
    for i, row in enumerate(rows):
        y0 = i * ROW_H
        chart.texts.append(
            {"x": "0", "y": _f(y0 + LABEL_H - 2), "text": row.unit.label, "anchor": "start", "cls": "lbl"}
        )
        for j, (pct, color, name) in enumerate(
            ((row.lengkap_pct, WARNA_LENGKAP, "lengkap"), (row.tepat_pct, WARNA_TEPAT, "tepat waktu"))
        ):
            y = y0 + LABEL_H + 2 + j * (BAR_H + 2)
            w = BAR_MAX * (pct or 0) / 100
            text = "–" if pct is None else f"{pct:.1f}".replace(".", ",") + " %"
            chart.bars.append(
                {
                    "x": "0",
                    "y": _f(y),
                    "w": _f(w),
                    "h": str(BAR_H),
                    "color": color,
                    "title": f"{row.unit.label}: {text} {name}",
                }
            )
            chart.texts.append({"x": _f(w + 4), "y": _f(y + BAR_H - 1), "text": text, "anchor": "start", "cls": "val"})
        desc.append(f"{row.unit.label}: lengkap {_pct_text(row.lengkap_pct)}, tepat waktu {_pct_text(row.tepat_pct)}")
    chart.desc = "; ".join(desc) + "." if desc else "Tidak ada wilayah di bawah unit ini."
    return chart


def _pct_text(pct: float | None) -> str:
    return "–" if pct is None else f"{pct:.1f}".replace(".", ",") + " %"
