"""Browser journey at 360 px: the desa reports a kegiatan with a photo from the phone and sees it in the
list; the pembina of its kecamatan sees it with the photo; the Buku Kegiatan prints whole."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from tests.e2e.fixtures import ARTIFACTS, assert_fits_phone, shot
from tests.photos_util import image_bytes

pytestmark = pytest.mark.e2e


def _image_loaded(page, selector: str) -> bool:
    """The photo (lazy-loaded) arrives from the scoped view and decodes: waits up to the default timeout."""
    page.locator(selector).first.scroll_into_view_if_needed()
    page.wait_for_function(
        "sel => { const img = document.querySelector(sel); return img && img.complete && img.naturalWidth > 0; }",
        arg=selector,
    )
    return True


def test_desa_reports_a_kegiatan_and_the_pembina_sees_it(page, context, login, url, e2e_tree, tmp_path):
    from kegiatan.models import Kegiatan

    photo = tmp_path / "posyandu.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(2400, 1800)))
    day = dt.date.today() - dt.timedelta(days=1)

    login("desa")
    page.get_by_role("link", name="Kegiatan").first.wait_for(state="attached")
    page.goto(url("/kegiatan/"))
    assert_fits_phone(page, "daftar kegiatan (kosong)")
    page.get_by_role("link", name="Laporkan kegiatan").click()
    page.wait_for_load_state()
    assert_fits_phone(page, "form kegiatan")
    page.fill("#id_tanggal", day.isoformat())
    page.fill("#id_tempat", "Posyandu Melati")
    page.select_option("#id_pokja", "IV")
    page.select_option("#id_program_pokok", "7")
    page.fill("#id_judul", "Posyandu balita Maret")
    page.fill("#id_uraian", "Penimbangan 38 balita dan penyuluhan gizi.")
    page.fill("#id_jumlah_peserta", "46")
    assert page.get_attribute("#id_foto", "capture") == "environment"
    page.set_input_files("#id_foto", str(photo))
    shot(page, "kegiatan-form")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert "Kegiatan „Posyandu balita Maret“ tersimpan." in page.content()
    assert _image_loaded(page, ".kegiatan-foto img")
    assert_fits_phone(page, "detail kegiatan")
    shot(page, "kegiatan-detail")
    k = Kegiatan.objects.get()
    assert (k.unit, k.jumlah_peserta, k.foto.count()) == (e2e_tree.kaliboto, 46, 1)

    page.goto(url("/kegiatan/"))
    assert "Posyandu balita Maret" in page.content() and "1 kegiatan." in page.content()
    assert_fits_phone(page, "daftar kegiatan")
    shot(page, "kegiatan-daftar")
    assert not page.js_errors, page.js_errors

    # The pembina of Kecamatan Bener sees it, with its photo, but may not edit it.
    context.clear_cookies()
    login("pembina")
    page.goto(url("/kegiatan/"))
    assert "Posyandu balita Maret" in page.content()
    page.get_by_role("link", name="Posyandu balita Maret").click()
    page.wait_for_load_state()
    assert "Desa Kaliboto" in page.content() and _image_loaded(page, ".kegiatan-foto img")
    assert page.get_by_role("link", name="Ubah").count() == 0
    # Its dashboard counts it under Pokja IV.
    page.goto(url("/"))
    card = page.locator(".kegiatan-card")
    assert "Pokja IV" in card.inner_text() and "1" in card.locator("tr", has_text="Pokja IV").inner_text()

    # An outsider pembina (Grabag) gets the 404 page for the same kegiatan.
    context.clear_cookies()
    login("pembina_grabag")
    resp = page.goto(url(f"/kegiatan/{k.pk}/"))
    assert resp.status == 404


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_buku_kegiatan_prints_whole_in_chromium(page, login, url, e2e_tree, tmp_path):
    from tests.kegiatan.conftest import make_kegiatan

    today = dt.date.today()
    make_kegiatan(
        e2e_tree.kaliboto,
        actor=e2e_tree.desa,
        tanggal=today,
        judul="Kerja bakti RW 01",
        pokja="I",
        program_pokok=2,
        tempat="Lingkungan RW 01",
    )
    login("desa")
    page.goto(url(f"/kegiatan/buku/{e2e_tree.kaliboto.pk}/{today.year}/"))
    assert_fits_phone(page, "buku kegiatan")
    shot(page, "buku-kegiatan")
    pdf = ARTIFACTS / "buku-kegiatan-chromium.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for label in (
        "LAMPIRAN 4.13",
        "BUKU KEGIATAN",
        "NO",
        "NAMA",
        "JABATAN",
        "KEGIATAN",
        "TANGGAL",
        "TEMPAT",
        "URAIAN",
        "TANDA TANGAN",
        "Kerja bakti RW 01",
        "Mengetahui,",
    ):
        assert label in text, label
    assert "Keluar" not in text and "Unduh Excel" not in text  # no navigation, no buttons on paper
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size"))
    w, h = (float(x) for x in size.split(":")[1].split("pts")[0].split("x"))
    assert w > h, f"landscape expected: {size}"
