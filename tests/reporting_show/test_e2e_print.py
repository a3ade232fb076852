"""Printing in headless Chromium (what "Cetak" gives): Buku I and a wide report page come out as PDF pages
with every column on the page, the last column's header included, on the paper of the sheet. Marked e2e."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.utils import timezone

from .conftest import seed_rekap

pytestmark = pytest.mark.e2e

PDFTOTEXT = shutil.which("pdftotext")


def printed(page, path):
    """Print the page as the browser's print dialog does (print media, the page's own @page sizes)."""
    page.emulate_media(media="print")
    page.pdf(path=str(path), prefer_css_page_size=True, print_background=True)
    if not PDFTOTEXT:
        pytest.skip("poppler-utils (pdftotext) is needed to read the printed PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    return text, (float(size[1]), float(size[2])), int(re.search(r"Pages:\s+(\d+)", info)[1])


def test_buku_1_prints_all_19_columns_on_a4_landscape(page, login, url, e2e_tree, tmp_path):
    from tests.e2e.test_reports import _household

    rt = _household(e2e_tree)
    login("kader")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(f"/data/rumah-tangga/{rt.pk}/buku-1/?tahun={timezone.localdate().year}"))
    text, (w, h), pages = printed(page, tmp_path / "buku1.pdf")
    assert (round(w), round(h)) == (842, 595), "A4 landscape"
    assert pages == 1
    for header in ("NAMA ANGGOTA KELUARGA", "BERKEBUTUHAN", "Perencanaan", "KET", "Budi Santoso", "TEMPAT SAMPAH"):
        assert header in text, header
    numbers = text.split("KET", 1)[-1]
    assert re.search(r"\b18\s+19\b", numbers), "the column numbers run to 19 on the page"
    assert "SIPKK" not in text, "the navigation is not printed"


def test_wide_report_page_prints_whole_on_a3(page, login, url, e2e_tree, tmp_path):
    today = timezone.localdate()
    seed_rekap(tahun=today.year, bulan=dt.date(today.year, today.month, 1))
    login("admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url("/laporan/"))
    page.locator("table.table-rekap").wait_for()
    assert "LAMPIRAN 4.17c" in page.content()
    text, (w, h), pages = printed(page, tmp_path / "rekap.pdf")
    assert (round(w), round(h)) == (1191, 842), "A3 landscape, the paper of 4.17c"
    assert pages == 1
    assert "KETERANGAN" in text, "the last column's header is on the page"
    assert re.search(r"\b35\s+36\b", text), "the column numbers run to 36 on the page"
    assert "Ketua TP PKK Kabupaten Purworejo" in text and "Halaman" not in text
    assert "Unduh Excel" not in text and "Cetak" not in text
