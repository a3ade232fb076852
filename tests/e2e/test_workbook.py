"""Journey: a TP PKK desa imports the standard workbook in the browser (all or nothing) and exports it, both as
background jobs (Celery runs eagerly here: the job page shows the outcome at once; otherwise htmx polls)."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.e2e.fixtures import assert_fits_phone, shot

KALIBOTO = "33.06.16.2006"


def _sample(tmp_path, n_warga=40):
    from dasawisma.workbook.sample import write_sample_workbook

    good = tmp_path / "dasawisma-kaliboto.xlsx"
    counts = write_sample_workbook(good, kode_desa=KALIBOTO, n_warga=n_warga, seed=3)
    return good, counts


def _broken_copy(good, tmp_path):
    """The same workbook with a 15-digit NIK in the first warga row."""
    wb = load_workbook(good)
    ws = wb["warga"]
    header = [cell.value for cell in ws[1]]
    ws.cell(row=2, column=header.index("nik") + 1, value="330610490592000")
    bad = tmp_path / "dasawisma-kaliboto-salah.xlsx"
    wb.save(bad)
    return bad


def _upload(page, url, path):
    page.goto(url("/data/workbook/"))
    page.set_input_files("#id_berkas", str(path))
    with page.expect_navigation():
        page.get_by_role("button", name="Unggah, periksa dan impor").click()
    page.wait_for_load_state()
    assert "/data/workbook/tugas/" in page.url, page.url
    page.locator("#job-status[data-status='selesai']").wait_for(timeout=30_000)


def test_desa_imports_a_workbook_all_or_nothing(page, login, url, e2e_tree, tmp_path):
    from dasawisma.models import RumahTangga, Warga

    good, counts = _sample(tmp_path)
    bad = _broken_copy(good, tmp_path)
    login("desa")
    page.goto(url("/data/workbook/"))
    assert_fits_phone(page, "workbook page")

    _upload(page, url, bad)
    result = page.locator("#hasil-impor")
    assert "Tidak ada data yang disimpan" in result.inner_text()
    errors = page.locator("#kesalahan-impor tbody tr")
    assert errors.count() >= 1
    first = errors.first.locator("td").all_inner_texts()
    assert first[0] == "warga" and first[1] == "2" and first[2] == "nik", first
    assert "16" in first[3], f"the reason should say a NIK has 16 digits: {first[3]!r}"
    assert Warga.objects.count() == 0 and RumahTangga.objects.count() == 0  # nothing written
    assert_fits_phone(page, "workbook errors")
    shot(page, "workbook-kesalahan")

    _upload(page, url, good)
    text = page.locator("#hasil-impor").inner_text()
    assert "Impor berhasil" in text
    assert f"{counts['warga']} warga" in text
    assert Warga.objects.filter(dasawisma__path__startswith=e2e_tree.kaliboto.path).count() == counts["warga"]
    shot(page, "workbook-berhasil")


def test_desa_exports_its_workbook(page, login, url, e2e_tree, tmp_path):
    from pkk.models import PersonalDataExportLog

    login("desa")
    page.goto(url("/data/workbook/"))
    button = page.locator(f"form[action='/data/workbook/ekspor/{e2e_tree.kaliboto.pk}/'] button")
    with page.expect_navigation():
        button.click()
    page.locator("#job-status[data-status='selesai']").wait_for(timeout=30_000)
    assert_fits_phone(page, "workbook export job")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh berkas").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    wb = load_workbook(target, read_only=True)
    assert {"rumah_tangga", "warga", "kehamilan"} <= set(wb.sheetnames)
    assert PersonalDataExportLog.objects.filter(user=e2e_tree.desa).exists()
