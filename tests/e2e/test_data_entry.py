"""Journeys (b), (c), (d): a kader records a household on a phone.

(b) adds a household with three warga and a pregnancy, ends the pregnancy with a live birth and adds the
    baby through the prefilled form;
(c) a 15-digit NIK is refused with an Indonesian message naming NIK, and the typed input stays;
(d) the draft of a half-filled form comes back after a reload.

Page contract (docstring of dasawisma/views/__init__.py): buttons ``btn-tambah-rumah-tangga``, ``btn-tambah-warga``,
``btn-kehamilan``, ``btn-selesai-<kehamilan_id>``; every data form is ``form#form-data`` with submit
``#btn-simpan``; field ids are ``id_<field>``.
"""

from __future__ import annotations

import datetime as dt
import re

from tests.e2e.fixtures import assert_fits_phone, shot

TODAY = dt.date.today()
KK = "3306101203040001"


def save(page):
    """Submit form#form-data. draft.js posts with fetch, then navigates: to the next page on success, or by
    an ordinary re-submit that shows the server's errors; either way one navigation follows."""
    with page.expect_navigation():
        page.locator("#btn-simpan").click()
    page.wait_for_load_state()


def choose(page, name: str, value: str) -> None:
    page.locator(f"input[name={name}][value={value}]").check()


def fill_warga(
    page, *, nama, jk, lahir, kawin, status, agama="islam", pendidikan="sma", nik=None, no_kk=None, kepala=False
):
    if no_kk:
        page.fill("#id_no_kk_baru", no_kk)
    elif page.locator("#id_keluarga").count() and not page.locator("#id_keluarga").input_value():
        page.select_option("#id_keluarga", label=KK)
    if nik:
        page.fill("#id_nik", nik)
    page.fill("#id_nama", nama)
    choose(page, "jenis_kelamin", jk)
    page.fill("#id_tanggal_lahir", lahir.isoformat())
    choose(page, "status_perkawinan", kawin)
    page.select_option("#id_status_dalam_keluarga", status)
    page.select_option("#id_agama", agama)
    page.select_option("#id_pendidikan", pendidikan)
    if page.locator("#id_kepala_rumah_tangga").count():
        page.locator("#id_kepala_rumah_tangga").set_checked(kepala)


def start_household(page, login):
    """Log in as the kader of Mawar and create a rumah tangga; returns its id (page on its detail)."""
    login("kader")
    page.locator("#btn-tambah-rumah-tangga").click()
    page.wait_for_load_state()
    assert page.locator("form#form-data").is_visible()
    page.fill("#id_alamat", "Jl. Mawar No. 7, RT 01/RW 01")
    choose(page, "kriteria_rumah", "sehat")
    choose(page, "makanan_pokok", "beras")
    page.locator("input[name=sumber_air][value=sumur]").check()
    page.locator("#id_tempat_sampah").check()
    save(page)
    match = re.search(r"/data/rumah-tangga/(\d+)/$", page.url)
    assert match, f"after saving a rumah tangga the kader should land on its page, not {page.url}"
    return int(match.group(1))


def add_warga(page, **fields):
    page.locator("#btn-tambah-warga").click()
    page.wait_for_load_state()
    fill_warga(page, **fields)
    save(page)
    assert "/warga/baru/" not in page.url, f"warga {fields['nama']} not saved: {_errors(page)}"


def _errors(page) -> str:
    return " | ".join(page.locator(".invalid-feedback, .alert-danger, .errorlist").all_inner_texts())


def test_kader_records_household_pregnancy_and_birth(page, login, url, e2e_tree):
    from dasawisma.models import Kehamilan, RumahTangga, Warga

    rt_id = start_household(page, login)
    shot(page, "rumah-tangga-baru-tersimpan")
    add_warga(
        page,
        nama="Budi Santoso",
        jk="L",
        lahir=dt.date(1990, 4, 12),
        kawin="kawin",
        status="kepala_keluarga",
        no_kk=KK,
        kepala=True,
    )
    add_warga(
        page,
        nama="Siti Aminah",
        jk="P",
        lahir=dt.date(1995, 8, 12),
        kawin="kawin",
        status="istri",
        nik="3306105208950002",
    )
    add_warga(
        page,
        nama="Dimas Saputra",
        jk="L",
        lahir=dt.date(2019, 2, 3),
        kawin="belum_kawin",
        status="anak",
        pendidikan="tidak_sekolah",
    )
    rt = RumahTangga.objects.get(pk=rt_id)
    assert rt.warga.count() == 3
    assert rt.kepala.nama == "Budi Santoso"
    for nama in ("Budi Santoso", "Siti Aminah", "Dimas Saputra"):
        assert page.get_by_text(nama).first.is_visible()
    assert_fits_phone(page, "rumah tangga page")
    shot(page, "rumah-tangga-detail")

    # A pregnancy of Siti, from her warga page.
    page.get_by_role("link", name="Siti Aminah").first.click()
    page.wait_for_load_state()
    shot(page, "warga-detail")
    page.locator("#btn-kehamilan").click()
    page.wait_for_load_state()
    mulai = TODAY - dt.timedelta(days=250)
    page.fill("#id_tanggal_mulai", mulai.isoformat())
    save(page)
    kehamilan = Kehamilan.objects.get(warga__nama="Siti Aminah")
    assert kehamilan.tanggal_mulai == mulai and kehamilan.tanggal_selesai is None

    # Ends with a live birth, from the rumah tangga page; the baby form comes prefilled.
    page.goto(url(f"/data/rumah-tangga/{rt_id}/"))
    page.locator(f"#btn-selesai-{kehamilan.pk}").click()
    page.wait_for_load_state()
    lahir = TODAY - dt.timedelta(days=1)
    page.fill("#id_tanggal_selesai", lahir.isoformat())
    choose(page, "hasil", "lahir_hidup")
    save(page)
    assert "/warga/baru/" in page.url, f"a live birth should lead to the baby's form, not {page.url}"
    siti = Warga.objects.get(nama="Siti Aminah")
    assert page.locator("#id_ibu").input_value() == str(siti.pk)
    assert page.locator("#id_tanggal_lahir").input_value() == lahir.isoformat()
    assert page.locator("#id_keluarga option:checked").inner_text().strip() == KK
    shot(page, "bayi-baru-prefilled")
    page.fill("#id_nama", "Ayu Lestari")
    choose(page, "jenis_kelamin", "P")
    # The baby's form takes agama from the mother and does not ask pendidikan under 5 (issue 10).
    assert page.locator("#id_agama").input_value() == siti.agama
    assert page.locator("#id_pendidikan").get_attribute("type") == "hidden"
    save(page)
    assert "/warga/baru/" not in page.url, _errors(page)

    bayi = Warga.objects.get(nama="Ayu Lestari")
    assert bayi.rumah_tangga_id == rt_id
    assert bayi.ibu_id == siti.pk
    assert bayi.no_kk == KK
    assert bayi.tanggal_lahir == lahir
    assert bayi.pendidikan == "tidak_sekolah"
    assert bayi.status_dalam_keluarga == "anak"
    kehamilan.refresh_from_db()
    assert (kehamilan.tanggal_selesai, kehamilan.hasil) == (lahir, "lahir_hidup")
    assert RumahTangga.objects.get(pk=rt_id).warga.count() == 4
    assert not page.js_errors, page.js_errors


def test_fifteen_digit_nik_is_refused_in_indonesian(page, login, e2e_tree):
    from dasawisma.models import Warga

    start_household(page, login)
    page.locator("#btn-tambah-warga").click()
    page.wait_for_load_state()
    fill_warga(
        page,
        nama="Rina Wulandari",
        jk="P",
        lahir=dt.date(1992, 5, 9),
        kawin="kawin",
        status="kepala_keluarga",
        nik="330610490592000",
        no_kk=KK,
        kepala=True,
    )
    save(page)
    assert "/warga/baru/" in page.url, "a 15-digit NIK must not be saved"
    error = page.locator("#id_nik").locator(
        "xpath=ancestor::*[contains(@class,'mb-3') or contains(@class,'form-group') or contains(@class,'field')][1]"
    )
    text = error.inner_text() if error.count() else _errors(page)
    assert "NIK" in text and "16 angka" in text, f"no Indonesian NIK error next to the field: {text!r}"
    nik = page.locator("#id_nik")
    assert nik.get_attribute("aria-invalid") == "true" or "is-invalid" in (nik.get_attribute("class") or "")
    assert page.locator("#id_nama").input_value() == "Rina Wulandari"  # nothing retyped
    assert not Warga.objects.filter(nama="Rina Wulandari").exists()
    assert_fits_phone(page, "warga form with an error")
    shot(page, "warga-nik-15")


def test_draft_of_half_filled_form_survives_a_reload(page, login, e2e_tree):
    start_household(page, login)
    page.locator("#btn-tambah-warga").click()
    page.wait_for_load_state()
    form = page.locator("form#form-data")
    assert form.get_attribute("data-draft"), "data forms must carry data-draft (static/js/draft.js)"
    page.fill("#id_nama", "Sri Rahayu")
    page.fill("#id_tempat_lahir", "Purworejo")
    choose(page, "jenis_kelamin", "P")
    page.locator("#id_tempat_lahir").blur()
    page.wait_for_timeout(1200)  # draft.js may debounce its writes
    page.reload()
    page.wait_for_load_state()
    notice = page.locator("#draft-notice")
    notice.wait_for(state="visible", timeout=5000)
    assert "belum tersimpan" in notice.inner_text()
    assert page.locator("#id_nama").input_value() == ""  # offered, not forced
    shot(page, "draft-offered")
    notice.get_by_role("button", name="Pulihkan").click()
    assert page.locator("#id_nama").input_value() == "Sri Rahayu"
    assert page.locator("#id_tempat_lahir").input_value() == "Purworejo"
    assert page.locator("input[name=jenis_kelamin][value=P]").is_checked()
    shot(page, "draft-restored")


def test_submit_that_fails_for_the_network_keeps_the_input_for_a_retry(page, login, e2e_tree):
    from dasawisma.models import Warga

    start_household(page, login)
    page.locator("#btn-tambah-warga").click()
    page.wait_for_load_state()
    fill_warga(
        page,
        nama="Wahyu Nugroho",
        jk="L",
        lahir=dt.date(1988, 1, 30),
        kawin="kawin",
        status="kepala_keluarga",
        no_kk=KK,
        kepala=True,
    )

    def drop_posts(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/warga/baru/", drop_posts)
    page.locator("#btn-simpan").click()
    message = page.locator("#draft-network")
    message.wait_for(state="visible", timeout=5000)
    assert "coba lagi" in message.inner_text()
    assert page.locator("#id_nama").input_value() == "Wahyu Nugroho"
    assert not Warga.objects.filter(nama="Wahyu Nugroho").exists()
    shot(page, "warga-gagal-kirim")

    page.unroute("**/warga/baru/")
    save(page)
    page.wait_for_url("**/data/rumah-tangga/*/")
    assert Warga.objects.filter(nama="Wahyu Nugroho").count() == 1


def test_buku_1_is_a_printable_page(page, login, url, e2e_tree):
    """Buku I (Catatan Keluarga, lampiran 4.15) of a household: the members in a table that scrolls inside
    its box on a phone, and a print view without the navigation."""
    from tests.e2e.test_reports import _household

    rt = _household(e2e_tree)
    login("kader")
    page.goto(url(f"/data/rumah-tangga/{rt.pk}/buku-1/"))
    content = page.content()
    assert "4.15" in content
    year = TODAY.year
    assert f"{year // 1000}.{year % 1000:03d}" not in content, "the year is printed as a number with a separator"
    table = page.locator("table", has_text="NAMA ANGGOTA KELUARGA")
    assert table.get_by_text("Budi Santoso").count() == 1
    assert table.get_by_text("Siti Aminah").count() == 1
    assert_fits_phone(page, "Buku I")
    shot(page, "buku1")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible(), "the navigation must not be printed"
    assert table.is_visible()


def test_second_of_two_concurrent_edits_is_refused_and_keeps_its_input(browser, page, login, url, e2e_tree):
    """The kader and the TP PKK desa open the same warga; the desa saves first; the kader's save is refused
    with a message, the kader's typing is still in the form, and the value stored now is shown."""
    from dasawisma.models import Warga
    from tests.builders import PASSWORD
    from tests.e2e.fixtures import PHONE
    from tests.e2e.test_reports import _household

    _household(e2e_tree)
    siti = Warga.objects.get(nama="Siti Aminah")
    edit = url(f"/data/warga/{siti.pk}/ubah/")

    login("kader")
    page.goto(edit)
    other = browser.new_context(**PHONE)
    try:
        desa = other.new_page()
        desa.goto(url("/masuk/"))
        desa.fill("#id_username", "desa")
        desa.fill("#id_password", PASSWORD)
        desa.get_by_role("button", name="Masuk").click()
        desa.wait_for_load_state()
        desa.goto(edit)
        desa.fill("#id_pekerjaan", "Pedagang")
        save(desa)
        assert "/ubah/" not in desa.url, _errors(desa)
    finally:
        other.close()

    page.fill("#id_pekerjaan", "Guru")
    save(page)
    assert "/ubah/" in page.url, "the second save must be refused"
    assert "sudah diubah oleh pengguna lain" in page.locator("#form-errors").inner_text()
    assert page.locator("#id_pekerjaan").input_value() == "Guru"
    assert "Pedagang" in page.locator("#conflict-values").inner_text()
    siti.refresh_from_db()
    assert siti.pekerjaan == "Pedagang"  # nothing lost silently
    shot(page, "warga-konflik")
    save(page)  # a deliberate second save now overwrites
    siti.refresh_from_db()
    assert siti.pekerjaan == "Guru"
