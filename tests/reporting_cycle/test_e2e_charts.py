"""Dashboard charts keep readable text at 360 px and do not blow up at 1024 px (QA finding). e2e."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.e2e.fixtures import ARTIFACTS, assert_fits_phone, shot

pytestmark = pytest.mark.e2e

# Rendered size of SVG text in CSS px: font-size (SVG units) x (drawn width / viewBox width).
TEXT_PX = """() => [...document.querySelectorAll('svg[role=img]')].map(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
}).flat()"""


@pytest.mark.parametrize("width", [360, 768, 1024])
def test_chart_text_is_readable_at_every_width(page, login, url, e2e_tree, width):
    from reporting.models import RekapBulanan

    year = dt.date.today().year
    for m in range(1, 13):
        RekapBulanan.objects.create(
            unit=e2e_tree.kaliboto, bulan=dt.date(year, m, 1), ibu_hamil=10 + m, bayi_lahir_l=m % 3
        )
    page.set_viewport_size({"width": width, "height": 900})
    login("desa")
    page.goto(url("/"))
    assert page.locator("svg[role=img]").count() >= 4
    sizes = page.evaluate(TEXT_PX)
    assert sizes, "no chart text"
    assert min(sizes) >= 11, f"chart text too small at {width} px: {min(sizes):.1f} px"
    assert max(sizes) <= 14, f"chart text too large at {width} px: {max(sizes):.1f} px"
    assert_fits_phone(page, f"dashboard at {width} px")
    shot(page, f"polish-dasbor-{width}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#tren-hamil-t").locator("xpath=ancestor::div[contains(@class,'row')][1]").screenshot(
        path=str(ARTIFACTS / f"polish-tren-{width}.png")
    )
    page.locator("figure.pkk-chart").first.screenshot(path=str(ARTIFACTS / f"polish-kelengkapan-{width}.png"))
