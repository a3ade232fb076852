"""Chart geometry: drawn at natural size with readable text, and thousands shown as 1.234."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from reporting.dashboards import FONT, FONT_SMALL, Tren, W, completeness_chart, line_chart
from reporting.selectors_cycle import KelengkapanRow


def _tren(values):
    months = [dt.date(2025, m, 1) for m in range(1, 13)]
    return Tren(tahun=2025, months=months, series={"ibu_hamil": values, "ibu_hamil_kek": [None] * 12})


def test_svg_has_natural_size_and_fixed_text_size():
    chart = line_chart(_tren([23456] + [None] * 11), ["ibu_hamil"], id="c", title="Ibu hamil")
    html = render_to_string("reporting/dashboard/_chart.html", {"chart": chart})
    svg = re.search(r"<svg[^>]*pkk-chart-svg[^>]*>", html).group(0)  # not a legend swatch
    # width/height in CSS px equal to the viewBox: 1 unit = 1 px unless the column is narrower.
    assert f'viewBox="0 0 {W} {chart.height}"' in svg and f'width="{W}"' in svg and f'height="{chart.height}"' in svg
    # Shrinks with a narrow column: max-width 100% from static/css/pkk.css (CSP: no style attribute).
    assert 'class="pkk-chart-svg"' in svg and "style=" not in svg and 'width="100%"' not in svg
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "pkk.css").read_text()
    assert re.search(r"\.pkk-chart-svg \{[^}]*max-width: 100%", css)
    sizes = {int(s) for s in re.findall(r'font-size="(\d+)"', html)}
    assert sizes and sizes <= {FONT, FONT_SMALL} and min(sizes) >= 12
    assert W <= 360  # fits a phone without shrinking the text below ~12 px


def test_axis_labels_use_thousand_dots():
    chart = line_chart(_tren([23456] + [None] * 11), ["ibu_hamil"], id="c", title="Ibu hamil")
    assert [g["label"] for g in chart.grid] == ["0", "15.000", "30.000"]
    small = line_chart(_tren([3] + [None] * 11), ["ibu_hamil"], id="c", title="Ibu hamil")
    assert [g["label"] for g in small.grid] == ["0", "1,5", "3"]


@pytest.mark.django_db
def test_completeness_counts_use_thousand_dots(tree):
    row = KelengkapanRow(unit=tree.kab, terdaftar=12345, diajukan=2345, tepat_waktu=1000)
    html = render_to_string(
        "reporting/dashboard/_completeness.html",
        {"rows": [row], "total": row, "chart": completeness_chart([row], id="k", title="Kelengkapan")},
    )
    assert "2.345 dari 12.345" in html and "1.000 dari 12.345" in html
    texts = re.findall(r'font-size="(\d+)"', html)
    assert texts and min(int(t) for t in texts) >= 12


def test_trend_leaves_months_that_have_not_begun_empty(tree):
    import datetime as dt

    from reporting.dashboards import tren_bulanan
    from reporting.models import RekapBulanan

    for m in range(1, 13):
        RekapBulanan.objects.create(unit=tree.kab, bulan=dt.date(2026, m, 1), ibu_hamil=m)
    tren = tren_bulanan(tree.kab, 2026, today=dt.date(2026, 11, 24))
    values = [row["values"][0] for row in tren.table()]
    assert values[:11] == list(range(1, 12)) and values[11] is None
