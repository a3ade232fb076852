"""Browser journey at 360 px (headless Chromium): the pembina records a visit with a photo and a follow-up,
saves a draft, reloads, finishes it; the desa answers the follow-up ("sudah dilaksanakan" with a photo);
the pembina confirms it and sees the desa's status change on the kecamatan overview.

The measures the system takes itself (completeness, coverage) are switched off by setting their thresholds
to 0, so that the status here depends on the visit and its follow-up only: overdue -> "Perlu perhatian",
confirmed -> "Baik".
"""

from __future__ import annotations

import datetime as dt
import io

import pytest

from binaan.models import BukuWajib, FokusArea
from tests.e2e.fixtures import assert_fits_phone, shot

pytestmark = pytest.mark.e2e


def _jpeg(path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2000, 1500), (200, 120, 40)).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def _navigate(page, click):
    with page.expect_navigation():
        click()
    page.wait_for_load_state()


def test_visit_follow_up_answer_confirm_and_status(e2e_tree, page, login, url, settings, tmp_path):
    from binaan import services
    from binaan.models import Kunjungan, TindakLanjut
    from tests.binaan.factories import penetapan

    for name in ("MIN_COMPLETENESS", "LOW_COMPLETENESS", "MIN_TIMELINESS", "MIN_COVERAGE"):
        setattr(settings, f"PKK_BINAAN_{name}", 0)
    tree = e2e_tree
    today = dt.date.today()
    p = penetapan(tree, tahun=today.year)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)

    # --- the pembina starts a visit on the phone
    login("pembina")
    page.goto(url(f"/binaan/{db.pk}/"))
    assert_fits_phone(page, "desa binaan page")
    _navigate(page, page.locator("#btn-kunjungan-baru").click)
    k = Kunjungan.objects.get(desa_binaan=db)
    assert page.url.endswith(f"/binaan/kunjungan/{k.pk}/")
    page.locator("input[name=tim]").first.check()
    page.fill("#id_tim_lain", "Ibu Sri Wahyuni")
    page.locator("input[name=fokus_posyandu][value=proses]").check()
    page.fill("#id_fokus_posyandu_catatan", "Meja 5 belum berjalan")
    yesterday = today - dt.timedelta(days=1)
    page.fill("#id_tl0_apa", "Lengkapi buku notulen")
    page.fill("#id_tl0_siapa", "Sekretaris TP PKK desa")
    page.fill("#id_tl0_batas", yesterday.isoformat())  # already due: overdue once the visit is finished
    _navigate(page, page.locator("#btn-simpan-draf").click)
    assert "Draf kunjungan tersimpan" in page.content()
    # --- reload: everything saved on the server comes back
    page.reload()
    assert page.locator("input[name=fokus_posyandu][value=proses]").is_checked()
    assert page.input_value("#id_fokus_posyandu_catatan") == "Meja 5 belum berjalan"
    assert page.input_value("#id_tl0_apa") == "Lengkapi buku notulen"
    assert page.locator("#status-kunjungan").inner_text() == "Draf"
    # --- a photo from the phone
    page.set_input_files("#id_foto", str(_jpeg(tmp_path / "posyandu.jpg")))
    page.fill("#id_keterangan", "Posyandu Mawar")
    _navigate(page, page.locator("#btn-unggah").click)
    assert "Foto tersimpan." in page.content()
    assert page.locator("img.binaan-foto").count() == 1
    page.locator("img.binaan-foto").scroll_into_view_if_needed()  # loading="lazy"
    page.wait_for_function(
        "() => { const i = document.querySelector('img.binaan-foto'); return i.complete && i.naturalWidth > 0; }"
    )
    size = page.evaluate(
        "() => { const i = document.querySelector('img.binaan-foto'); return [i.naturalWidth, i.naturalHeight]; }"
    )
    assert size == [1600, 1200]
    # --- finish: every area and every buku wajib filled
    for area in FokusArea.values:
        if area != "posyandu":
            page.locator(f"input[name=fokus_{area}][value=baik]").check()
    for buku in BukuWajib.values:
        page.locator(f"input[name=buku_{buku}_ada][value=ya]").check()
        page.locator(f"input[name=buku_{buku}_mutakhir][value=ya]").check()
    assert_fits_phone(page, "visit form")
    shot(page, "binaan-kunjungan-form")
    _navigate(page, page.locator("#btn-selesai").click)
    assert page.locator("#status-kunjungan").inner_text() == "Selesai", page.content()[:3000]
    k.refresh_from_db()
    assert not k.is_draft
    tl = TindakLanjut.objects.get(kunjungan=k)
    # --- the overview: overdue follow-up -> perlu perhatian
    page.goto(url(f"/binaan/ringkasan/{today.year}/"))
    row = page.locator(f"#baris-{db.pk}")
    assert row.locator(".status-cell").inner_text().strip() == "Perlu perhatian"
    assert "1 tindak lanjut melewati batas waktu" in row.inner_text()
    assert_fits_phone(page, "overview")

    # --- the desa answers the follow-up
    page.context.clear_cookies()
    login("desa")
    page.goto(url(f"/binaan/{db.pk}/"))
    _navigate(page, page.locator(f"#btn-jawab-{tl.pk}").click)
    page.fill("#id_catatan", "Buku notulen sudah dilengkapi sampai rapat bulan ini")
    page.set_input_files("#id_foto", str(_jpeg(tmp_path / "notulen.jpg")))
    assert_fits_phone(page, "answer form")
    _navigate(page, page.locator("#btn-jawab").click)
    assert "Jawaban terkirim" in page.content()
    assert "Buku notulen sudah dilengkapi" in page.locator(f"#tl-{tl.pk}").inner_text()

    # --- the pembina confirms and sees the status change
    page.context.clear_cookies()
    login("pembina")
    page.goto(url(f"/binaan/{db.pk}/"))
    _navigate(page, page.locator(f"#btn-konfirmasi-{tl.pk}").click)
    assert "dikonfirmasi selesai" in page.content()
    page.goto(url(f"/binaan/ringkasan/{today.year}/"))
    assert page.locator(f"#baris-{db.pk} .status-cell").inner_text().strip() == "Baik"
    shot(page, "binaan-ringkasan")
    tl.refresh_from_db()
    assert tl.status == "selesai" and tl.jawaban_foto.name
    assert not page.js_errors


def test_demo_pages_fit_a_phone(e2e_tree, page, login, url, settings):
    """The demo content (two visits, charts, every kind of follow-up) on the pages each role opens first."""
    from django.core.management import call_command

    from binaan.models import DesaBinaan, Penetapan

    settings.DEBUG = True
    call_command("seed_demo_binaan", "--force", stdout=io.StringIO())
    kal = DesaBinaan.objects.get(desa=e2e_tree.kaliboto)
    p = Penetapan.objects.get()
    login("pembina")
    page.goto(url(f"/binaan/{kal.pk}/"))
    page.locator("details summary").click()  # the charts per focus area
    assert page.locator("svg[id], figure.pkk-chart svg").count() >= 15
    assert_fits_phone(page, "desa binaan page with demo data")
    shot(page, "binaan-detail-demo")
    page.goto(url(f"/binaan/kunjungan/{kal.kunjungan.order_by('tanggal').first().pk}/"))
    assert page.locator("#status-kunjungan").inner_text() == "Selesai"
    assert_fits_phone(page, "finished visit")
    page.context.clear_cookies()
    login("admin")
    page.goto(url(f"/binaan/penetapan/{p.pk}/"))
    assert_fits_phone(page, "designation page")
    shot(page, "binaan-penetapan-demo")
    assert not page.js_errors
