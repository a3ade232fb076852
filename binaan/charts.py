"""Server-rendered SVG charts of the desa binaan pages, drawn with the dashboards' ``Chart`` geometry and
template (``reporting/dashboard/_chart.html``): no JavaScript, a text description for screen readers."""

from __future__ import annotations

import datetime as dt

from reporting.dashboards import Chart

from .models import FokusStatus

W, H = 340, 110
LEFT, RIGHT, TOP, BOTTOM = 52, 10, 10, 22
LEVELS = [
    (FokusStatus.BELUM, "Belum", "#dc3545"),
    (FokusStatus.PROSES, "Proses", "#fd7e14"),
    (FokusStatus.BAIK, "Baik", "#198754"),
]


def _f(v: float) -> str:
    return f"{v:.1f}"


def area_chart(area: str, label: str, points: list[tuple[dt.date, str]]) -> Chart:
    """The status of one focus area at each finished visit: a step line over belum / proses / baik."""
    chart = Chart(id=f"fokus-{area}", title=label, desc="", width=W, height=H)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    ys = {}
    for i, (key, name, _color) in enumerate(LEVELS):
        y = TOP + plot_h * (1 - i / 2)
        ys[key] = y
        chart.grid.append(
            {"x1": str(LEFT), "x2": str(W - RIGHT), "y": _f(y), "label": name, "lx": str(LEFT - 5), "ly": _f(y + 4)}
        )
    n = len(points)
    step = plot_w / max(n, 1)
    segment: list[str] = []
    for i, (tanggal, status) in enumerate(points):
        x = LEFT + step * (i + 0.5)
        chart.xlabels.append({"x": _f(x), "y": str(H - 6), "text": f"{tanggal:%d/%m}"})
        if not status:
            if len(segment) > 1:
                chart.lines.append({"points": " ".join(segment), "color": "#6c757d"})
            segment = []
            continue
        y = ys[status]
        segment.append(f"{_f(x)},{_f(y)}")
        color = next(c for k, _, c in LEVELS if k == status)
        chart.dots.append(
            {"x": _f(x), "y": _f(y), "color": color, "title": f"{tanggal:%d-%m-%Y}: {FokusStatus(status).label}"}
        )
    if len(segment) > 1:
        chart.lines.append({"points": " ".join(segment), "color": "#6c757d"})
    described = [f"{t:%d-%m-%Y} {FokusStatus(s).label if s else 'tidak dinilai'}" for t, s in points]
    chart.desc = f"{label}: " + ("; ".join(described) if described else "belum ada kunjungan selesai") + "."
    return chart


SW, ROW = 340, 34


def status_chart(groups: list[tuple[str, dict[str, int]]], *, id: str, title: str) -> Chart:
    """Per group (a kecamatan, or one total row) a stacked bar of baik / perlu perhatian / tertinggal."""
    from .progress import BAIK, PERHATIAN, STATUS_COLOR, STATUS_LABEL, TERTINGGAL

    order = [BAIK, PERHATIAN, TERTINGGAL]
    chart = Chart(id=id, title=title, desc="", width=SW, height=max(ROW * len(groups), ROW) + 4)
    chart.legend = [{"label": STATUS_LABEL[s], "color": STATUS_COLOR[s]} for s in order]
    most = max((sum(c.values()) for _, c in groups), default=0) or 1
    bar_max = SW - 40
    desc = []
    for i, (name, counts) in enumerate(groups):
        y0 = i * ROW
        chart.texts.append({"x": "0", "y": _f(y0 + 12), "text": name, "anchor": "start", "cls": "lbl"})
        x = 0.0
        for s in order:
            n = counts.get(s, 0)
            if not n:
                continue
            w = bar_max * n / most
            chart.bars.append(
                {
                    "x": _f(x),
                    "y": _f(y0 + 16),
                    "w": _f(w),
                    "h": "12",
                    "color": STATUS_COLOR[s],
                    "title": f"{name}: {n} {STATUS_LABEL[s].lower()}",
                }
            )
            x += w
        total = sum(counts.values())
        chart.texts.append({"x": _f(x + 4), "y": _f(y0 + 26), "text": str(total), "anchor": "start", "cls": "val"})
        desc.append(f"{name}: " + ", ".join(f"{counts.get(s, 0)} {STATUS_LABEL[s].lower()}" for s in order))
    chart.desc = "; ".join(desc) + "." if desc else "Belum ada desa binaan."
    return chart
