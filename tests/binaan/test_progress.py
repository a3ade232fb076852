"""Status rules (pure function, boundaries worked by hand), the system's own measures for a desa binaan
against a hand-built desa (and against ``reporting.selectors_cycle.kelengkapan``), the overview and its Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from binaan import services
from binaan.models import TindakLanjut
from binaan.progress import (
    BAIK,
    PERHATIAN,
    TERTINGGAL,
    Facts,
    Thresholds,
    measures,
    months_ended,
    rows_for,
    status_of,
)
from binaan.services import TindakLanjutBaru
from tests.binaan.factories import full_data, penetapan

T = Thresholds()  # the defaults: 60 days, 2 overdue, 80/50 %, 60 %, 80 %, 10 warnings, 5 belum
TODAY = dt.date(2026, 4, 15)


def facts(**kw) -> Facts:
    base = {
        "today": TODAY,
        "sejak": dt.date(2026, 1, 15),
        "last_visit": dt.date(2026, 4, 1),
        "overdue": 0,
        "lengkap_pct": 90.0,
        "tepat_pct": 90.0,
        "cakupan_pct": 100.0,
        "peringatan": 0,
        "belum": 0,
    }
    return Facts(**{**base, **kw})


def test_all_good_is_baik_without_reasons():
    assert status_of(facts(), T) == (BAIK, [])


@pytest.mark.parametrize(
    "last_visit,expected",
    [
        (TODAY - dt.timedelta(days=60), BAIK),  # exactly the limit: fine
        (TODAY - dt.timedelta(days=61), PERHATIAN),
        (TODAY - dt.timedelta(days=120), PERHATIAN),
        (TODAY - dt.timedelta(days=121), TERTINGGAL),
    ],
)
def test_days_without_visit(last_visit, expected):
    status, reasons = status_of(facts(last_visit=last_visit), T)
    assert status == expected
    if expected != BAIK:
        days = (TODAY - last_visit).days
        assert reasons[0].text == f"Tidak ada kunjungan selama {days} hari (batas 60 hari)"


def test_never_visited_counts_from_the_start_of_the_designation():
    # designated 15 January, judged 15 April: 90 days without any visit
    status, reasons = status_of(facts(last_visit=None, belum=None), T)
    assert status == PERHATIAN
    assert [r.text for r in reasons] == ["Belum pernah dikunjungi selama 90 hari (batas 60 hari)"]
    assert status_of(facts(last_visit=None, belum=None, today=dt.date(2026, 3, 1)), T) == (BAIK, [])


@pytest.mark.parametrize("overdue,expected", [(0, BAIK), (1, PERHATIAN), (2, TERTINGGAL), (5, TERTINGGAL)])
def test_overdue_follow_ups(overdue, expected):
    status, reasons = status_of(facts(overdue=overdue), T)
    assert status == expected
    if overdue:
        assert reasons[0].text == f"{overdue} tindak lanjut melewati batas waktu"


@pytest.mark.parametrize(
    "pct,expected",
    [
        (80.0, BAIK),
        (79.9, PERHATIAN),
        (50.0, PERHATIAN),
        (49.9, TERTINGGAL),
        (None, BAIK),
    ],
)
def test_completeness(pct, expected):
    status, reasons = status_of(facts(lengkap_pct=pct), T)
    assert status == expected
    if expected != BAIK:
        assert reasons[0].text.startswith(f"Kelengkapan Buku III {pct:.1f}".replace(".", ","))


def test_timeliness_coverage_warnings_and_belum():
    assert status_of(facts(tepat_pct=59.9), T)[0] == PERHATIAN
    assert status_of(facts(tepat_pct=60.0), T)[0] == BAIK
    assert status_of(facts(cakupan_pct=79.9), T)[0] == PERHATIAN
    assert status_of(facts(cakupan_pct=49.9), T)[0] == TERTINGGAL
    assert status_of(facts(peringatan=10), T)[0] == BAIK
    assert status_of(facts(peringatan=11), T)[1][0].text == "11 peringatan kualitas data terbuka (lebih dari 10)"
    assert status_of(facts(belum=5), T)[0] == BAIK
    assert status_of(facts(belum=6), T)[0] == PERHATIAN


def test_the_worst_reason_decides_and_comes_first():
    status, reasons = status_of(facts(peringatan=20, overdue=3, tepat_pct=10.0), T)
    assert status == TERTINGGAL
    assert [r.level for r in reasons] == [TERTINGGAL, PERHATIAN, PERHATIAN]
    assert reasons[0].text == "3 tindak lanjut melewati batas waktu"


def test_thresholds_are_settings(settings):
    settings.PKK_BINAAN_DAYS_WITHOUT_VISIT = 30
    settings.PKK_BINAAN_MIN_COMPLETENESS = 95
    t = Thresholds.from_settings()
    assert status_of(facts(last_visit=TODAY - dt.timedelta(days=31)), t)[0] == PERHATIAN
    assert status_of(facts(lengkap_pct=90.0), t)[0] == PERHATIAN


def test_months_ended():
    assert months_ended(2026, TODAY) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert len(months_ended(2025, TODAY)) == 12
    assert months_ended(2027, TODAY) == []


# --------------------------------------------------------------------------- measures of a hand-built desa


def _laporan(unit, jenis, periode, *, status="diajukan", terlambat=False):
    from reporting.models import Laporan

    return Laporan.objects.create(
        unit=unit, jenis=jenis, periode=periode, status=status, submitted_at=timezone.now(), terlambat=terlambat
    )


@pytest.fixture
def hand_built(tree):
    """Kaliboto: Mawar, Melati, Anggrek registered. Households (without kepala or warga) in Mawar and Melati.
    Buku III: Mawar Jan on time, Feb late, Mar returned, Apr on time (April has not ended on 15 April);
    Melati Jan accepted on time. Buku II 2026: Anggrek on time. Kenanga (Kedungpucang) Jan on time."""
    from dasawisma.models import RumahTangga

    RumahTangga.objects.create(dasawisma=tree.mawar, kode="M1")
    RumahTangga.objects.create(dasawisma=tree.melati, kode="L1")
    b3 = "buku3"
    _laporan(tree.mawar, b3, dt.date(2026, 1, 1))
    _laporan(tree.mawar, b3, dt.date(2026, 2, 1), terlambat=True)
    _laporan(tree.mawar, b3, dt.date(2026, 3, 1), status="dikembalikan")
    _laporan(tree.mawar, b3, dt.date(2026, 4, 1))
    _laporan(tree.melati, b3, dt.date(2026, 1, 1), status="diterima")
    _laporan(tree.anggrek, "buku2", dt.date(2026, 1, 1))
    _laporan(tree.kenanga, b3, dt.date(2026, 1, 1))
    return tree


def test_measures_of_a_hand_built_desa(hand_built):
    tree = hand_built
    m = measures([tree.kaliboto, tree.kedungpucang], 2026, TODAY)
    k = m[tree.kaliboto.pk]
    assert (k.dasawisma, k.dasawisma_berdata) == (3, 2)
    assert k.cakupan_pct == 66.7
    assert (k.b3_bulan, k.b3_wajib, k.b3_diajukan, k.b3_tepat) == (3, 9, 3, 2)
    assert (k.b3_lengkap_pct, k.b3_tepat_pct) == (33.3, 22.2)
    assert (k.b2_wajib, k.b2_diajukan, k.b2_tepat) == (3, 1, 1)
    assert k.peringatan == 4  # two households each without a kepala and without an active warga
    kp = m[tree.kedungpucang.pk]
    assert (kp.dasawisma, kp.dasawisma_berdata, kp.b3_wajib, kp.b3_diajukan, kp.peringatan) == (1, 0, 3, 1, 0)


def test_completeness_equals_the_reporting_selector_summed_over_the_months(hand_built):
    from reporting.selectors_cycle import kelengkapan

    tree = hand_built
    wajib = diajukan = tepat = 0
    for bulan in months_ended(2026, TODAY):
        total, _ = kelengkapan(tree.kaliboto, "buku3", bulan)
        wajib, diajukan, tepat = wajib + total.terdaftar, diajukan + total.diajukan, tepat + total.tepat_waktu
    m = measures([tree.kaliboto], 2026, TODAY)[tree.kaliboto.pk]
    assert (m.b3_wajib, m.b3_diajukan, m.b3_tepat) == (wajib, diajukan, tepat)
    total, _ = kelengkapan(tree.kaliboto, "buku2", dt.date(2026, 1, 1))
    assert (m.b2_wajib, m.b2_diajukan, m.b2_tepat) == (total.terdaftar, total.diajukan, total.tepat_waktu)


def test_status_row_of_the_hand_built_desa(hand_built):
    tree = hand_built
    p = penetapan(tree, tahun=2026)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    [row] = rows_for([db], today=TODAY, thresholds=T)
    assert row.status == TERTINGGAL
    assert [r.text for r in row.reasons] == [
        "Kelengkapan Buku III 33,3 % (di bawah 80,0 %)",
        "Belum pernah dikunjungi selama 90 hari (batas 60 hari)",
        "Ketepatan waktu Buku III 22,2 % (di bawah 60,0 %)",
        "Cakupan dasawisma berdata 66,7 % (di bawah 80,0 %)",
    ]
    # A visit on 1 April with one follow-up due 10 April (overdue on the 15th) and one due in May.
    k = services.kunjungan_create(desa_binaan=db, tanggal=dt.date(2026, 4, 1), actor=tree.pembina)
    services.kunjungan_save(
        kunjungan=k,
        actor=tree.pembina,
        selesai=True,
        today=TODAY,
        data=full_data(
            dt.date(2026, 4, 1),
            status="belum",
            tindak_lanjut=[
                TindakLanjutBaru(apa="A", siapa="X", batas_waktu=dt.date(2026, 4, 10)),
                TindakLanjutBaru(apa="B", siapa="Y", batas_waktu=dt.date(2026, 5, 10)),
            ],
        ),
    )
    [row] = rows_for([db], today=TODAY, thresholds=T)
    assert (row.last_visit, row.visits, row.open, row.overdue, row.next_due, row.belum) == (
        dt.date(2026, 4, 1),
        1,
        2,
        1,
        dt.date(2026, 4, 10),
        15,
    )
    texts = [r.text for r in row.reasons]
    assert "1 tindak lanjut melewati batas waktu" in texts
    assert "15 bidang fokus masih 'belum' pada kunjungan terakhir (lebih dari 5)" in texts
    assert not any("kunjungan selama" in t for t in texts)
    # The desa answers the overdue one: no longer overdue.
    a = TindakLanjut.objects.get(apa="A")
    services.tindak_lanjut_answer(tindak_lanjut=a, catatan="Sudah", tanggal=TODAY, actor=tree.desa, today=TODAY)
    [row] = rows_for([db], today=TODAY, thresholds=T)
    assert row.overdue == 0 and row.open == 2


def test_a_past_year_is_judged_on_31_december(tree):
    p = penetapan(tree, tahun=2025)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    k = services.kunjungan_create(desa_binaan=db, tanggal=dt.date(2025, 12, 1), actor=tree.pembina)
    services.kunjungan_save(
        kunjungan=k,
        actor=tree.pembina,
        selesai=True,
        today=dt.date(2025, 12, 1),
        data=full_data(dt.date(2025, 12, 1), status="baik"),
    )
    [row] = rows_for([db], today=dt.date(2026, 11, 1), thresholds=T)
    assert not any("kunjungan selama" in r.text for r in row.reasons)  # 30 days before 31 December
    assert row.measures.b3_bulan == 12


# --------------------------------------------------------------------------- overview and Excel


@pytest.fixture
def two_binaan(tree):
    year = timezone.localdate().year
    p = penetapan(tree, tahun=year)
    kal = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    hb = services.desa_binaan_add(penetapan=p, desa=tree.harjobinangun, actor=tree.admin)
    return year, kal, hb


@pytest.mark.django_db
def test_kecamatan_overview_shows_only_its_desa_binaan(tree, two_binaan, as_user):
    year, kal, hb = two_binaan
    page = as_user(tree.pembina).get(reverse("binaan:ringkasan", kwargs={"tahun": year})).content.decode()
    assert f'id="baris-{kal.pk}"' in page and f'id="baris-{hb.pk}"' not in page
    page = as_user(tree.pembina_grabag).get(reverse("binaan:ringkasan", kwargs={"tahun": year})).content.decode()
    assert f'id="baris-{hb.pk}"' in page and f'id="baris-{kal.pk}"' not in page
    page = as_user(tree.admin).get(reverse("binaan:ringkasan", kwargs={"tahun": year})).content.decode()
    assert f'id="baris-{kal.pk}"' in page and f'id="baris-{hb.pk}"' in page and "<svg" in page
    for persona in ("desa", "kader", "ketua_rt"):
        assert (
            as_user(getattr(tree, persona)).get(reverse("binaan:ringkasan", kwargs={"tahun": year})).status_code == 403
        )


@pytest.mark.django_db
def test_overview_excel_print_setup_and_scope(tree, two_binaan, as_user):
    from openpyxl import load_workbook

    year, kal, hb = two_binaan
    resp = as_user(tree.admin).get(reverse("binaan:ringkasan_xlsx", kwargs={"tahun": year}))
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    wb = load_workbook(io.BytesIO(resp.content))
    ws = wb.active
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$5:$5"
    assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert ws.cell(5, 3).value == "DESA/KELURAHAN"
    desa = [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)]
    assert desa == ["Desa Kaliboto", "Desa Harjobinangun"]  # by kecamatan pembina (Bener, Grabag), then desa
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=14):
        for cell in row:
            assert cell.font.name == "Arial", cell.coordinate
    resp = as_user(tree.pembina).get(reverse("binaan:ringkasan_xlsx", kwargs={"tahun": year}))
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert [ws.cell(r, 3).value for r in range(6, ws.max_row + 1)] == ["Desa Kaliboto"]
    assert as_user(tree.desa).get(reverse("binaan:ringkasan_xlsx", kwargs={"tahun": year})).status_code == 403


@pytest.mark.django_db
def test_overview_excel_never_writes_a_formula(tree, as_user):
    from openpyxl import load_workbook

    year = timezone.localdate().year
    p = penetapan(tree, tahun=year)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    tree.kaliboto.name = '=HYPERLINK("http://evil.example","x")'
    tree.kaliboto.save()
    resp = as_user(tree.admin).get(reverse("binaan:ringkasan_xlsx", kwargs={"tahun": year}))
    ws = load_workbook(io.BytesIO(resp.content)).active
    kecamatan, desa = ws.cell(6, 2), ws.cell(6, 3)
    assert kecamatan.value == "Bener" and desa.value == 'Desa =HYPERLINK("http://evil.example","x")'
    tree.bener.name = "=1+1"
    tree.bener.save()
    resp = as_user(tree.admin).get(reverse("binaan:ringkasan_xlsx", kwargs={"tahun": year}))
    cell = load_workbook(io.BytesIO(resp.content)).active.cell(6, 2)
    assert cell.value == "=1+1" and cell.data_type == "s"  # text, not a formula
    assert db.pk


@pytest.mark.django_db
def test_dashboard_cards(tree, two_binaan, as_user):
    year, kal, hb = two_binaan
    page = as_user(tree.pembina).get(reverse("home")).content.decode()
    assert 'id="kartu-binaan"' in page and "1 desa binaan" in page
    page = as_user(tree.desa).get(reverse("home")).content.decode()
    assert f"Desa ini desa binaan tahun {year}" in page
    assert reverse("binaan:detail", kwargs={"binaan_id": kal.pk}) in page
    page = as_user(tree.desa_kp).get(reverse("home")).content.decode()
    assert f"Desa ini bukan desa binaan tahun {year}." in page
    page = as_user(tree.admin).get(reverse("home")).content.decode()
    assert "2 desa binaan" in page


@pytest.mark.django_db
def test_overview_queries_do_not_grow_with_the_number_of_desa_binaan(tree, two_binaan, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    year, kal, hb = two_binaan
    c = as_user(tree.admin)
    url = reverse("binaan:ringkasan", kwargs={"tahun": year})
    c.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as two:
        assert c.get(url).status_code == 200
    services.desa_binaan_add(penetapan=kal.penetapan, desa=tree.kedungpucang, actor=tree.admin)
    with CaptureQueriesContext(connection) as three:
        page = c.get(url).content.decode()
    assert "Kedungpucang" in page
    assert len(three) == len(two), [q["sql"] for q in three.captured_queries]
