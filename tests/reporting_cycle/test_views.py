import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pkk.models import Level
from pkk.services import unit_create
from reporting.models import KunciPeriode, KunciRiwayat, Laporan, RekapBulanan
from reporting.services import laporan_submit, periode_lock

from .conftest import at

pytestmark = pytest.mark.django_db

MAR = dt.date(2025, 3, 1)


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def submit(unit, user, when=None, periode=MAR, jenis="buku3"):
    when = when or at(2025, 4, 2)
    return laporan_submit(dasawisma=unit, jenis=jenis, periode=periode, actor=user, now=when)


def messages_of(resp):
    return [str(m) for m in resp.context["messages"]] if resp.context else []


# --------------------------------------------------------------------------- anonymous and scope


def cycle_urls(tree, lap):
    u = tree.kaliboto.pk
    return [
        ("get", reverse("reporting:laporan_saya")),
        ("post", reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk})),
        ("get", reverse("reporting:laporan_detail", kwargs={"laporan_id": lap.pk})),
        ("post", reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk})),
        ("post", reverse("reporting:laporan_kembalikan", kwargs={"laporan_id": lap.pk})),
        ("get", reverse("reporting:verifikasi")),
        ("post", reverse("reporting:verifikasi_terima")),
        ("get", reverse("reporting:kunci", kwargs={"unit_id": u})),
        ("post", reverse("reporting:kunci_tutup", kwargs={"unit_id": u})),
        ("post", reverse("reporting:kunci_buka", kwargs={"unit_id": u})),
        ("get", reverse("reporting:kelengkapan_home")),
        ("get", reverse("reporting:kelengkapan_unit", kwargs={"unit_id": u})),
        ("get", reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": u, "bulan": "2025-03"})),
        ("get", reverse("reporting:kelengkapan_tahunan", kwargs={"unit_id": u, "tahun": 2025})),
        ("get", reverse("reporting:dasbor", kwargs={"unit_id": u})),
    ]


def test_anonymous_is_sent_to_login(tree, client):
    lap = submit(tree.mawar, tree.kader)
    for method, url in cycle_urls(tree, lap):
        resp = getattr(client, method)(url)
        assert resp.status_code == 302 and resp["Location"].startswith("/masuk/"), (method, url)


@pytest.mark.parametrize("persona", ["pembina_grabag", "desa_kp", "kader_kp"])
def test_outsiders_get_404_on_kaliboto_and_mawar(tree, persona):
    lap = submit(tree.mawar, tree.kader)
    c = client_for(getattr(tree, persona))
    for method, url in cycle_urls(tree, lap):
        if "unit_id" not in url and "/pengajuan/" not in url and str(tree.kaliboto.pk) not in url:
            continue
        resp = getattr(c, method)(url, {"jenis": "buku3", "periode": "2025-03", "alasan": "x"})
        assert resp.status_code in (403, 404), (persona, method, url, resp.status_code)
        if resp.status_code == 403:  # a role check before any lookup: the same with an id that does not exist
            missing = url.replace(f"/{tree.kaliboto.pk}/", "/987654/").replace(f"/{tree.mawar.pk}/", "/987654/")
            missing = missing.replace(f"/pengajuan/{lap.pk}/", "/pengajuan/987654/")
            assert getattr(c, method)(missing).status_code == 403, (persona, method, url)
    lap.refresh_from_db()
    assert lap.status == "diajukan"
    assert not KunciPeriode.objects.exists()


def test_kader_of_another_dasawisma_gets_404_on_laporan(tree):
    lap = submit(tree.mawar, tree.kader)
    for persona in ("kader_melati", "kader_kp"):
        c = client_for(getattr(tree, persona))
        assert c.get(reverse("reporting:laporan_detail", kwargs={"laporan_id": lap.pk})).status_code == 404
        resp = c.post(
            reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
            {"jenis": "buku3", "periode": "2025-04"},
        )
        assert resp.status_code == 404
        assert c.get(reverse("reporting:dasbor", kwargs={"unit_id": tree.mawar.pk})).status_code == 404
    assert Laporan.objects.count() == 1


def test_a_kader_cannot_review(tree):
    lap = submit(tree.mawar, tree.kader)
    c = client_for(tree.kader)
    assert c.post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk})).status_code == 403
    assert (
        c.post(reverse("reporting:laporan_kembalikan", kwargs={"laporan_id": lap.pk}), {"alasan": "x"}).status_code
        == 403
    )
    assert c.post(reverse("reporting:verifikasi_terima"), {"laporan": [lap.pk]}).status_code == 403
    assert c.get(reverse("reporting:verifikasi")).status_code == 403
    lap.refresh_from_db()
    assert lap.status == "diajukan"
    page = c.get(reverse("reporting:laporan_detail", kwargs={"laporan_id": lap.pk}))
    assert page.status_code == 200 and "Terima laporan" not in page.content.decode()


def test_admin_cannot_review_and_desa_cannot_unlock(tree):
    lap = submit(tree.mawar, tree.kader)
    assert (
        client_for(tree.admin).post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk})).status_code
        == 403
    )
    periode_lock_args = {"jenis": "buku3", "periode": "2025-02", "alasan": "x"}
    resp = client_for(tree.desa).post(
        reverse("reporting:kunci_buka", kwargs={"unit_id": tree.kaliboto.pk}), periode_lock_args
    )
    assert resp.status_code == 403


# --------------------------------------------------------------------------- submit


def test_kader_sees_due_periods_and_submits(tree):
    """Issue 10: registered since the first of last month, the kader owes last month (submittable) and
    sees the running month (not submittable before it ends)."""
    from pkk.models import Unit
    from reporting.periods import deadline, previous_month

    today = timezone.localdate()
    last = previous_month(today)
    Unit.objects.filter(pk=tree.mawar.pk).update(aktif_sejak=last)
    c = client_for(tree.kader)
    page = c.get(reverse("reporting:laporan_saya"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dasawisma Mawar" in html and "Melati" not in html
    # Last month's Buku III, plus last year's Buku II when last month was December.
    assert html.count('name="periode"') == 1 + (1 if today.month == 1 else 0)
    assert f'value="{last:%Y-%m}"' in html and "Periode berjalan" in html
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": f"{last:%Y-%m}"},
        follow=True,
    )
    late = today > deadline("buku3", last)
    assert any(("(terlambat)" if late else "sudah diajukan tepat waktu") in m for m in messages_of(resp))
    lap = Laporan.objects.get(unit=tree.mawar)
    assert lap.periode == last and lap.submitted_by == tree.kader and lap.terlambat == late
    html = c.get(reverse("reporting:laporan_saya")).content.decode()
    assert "Menunggu verifikasi" in html
    # Bad input and a second submission give Indonesian messages, nothing else changes.
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": "maret"},
        follow=True,
    )
    assert any("Periode tidak valid" in m for m in messages_of(resp))
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": f"{last:%Y-%m}"},
        follow=True,
    )
    assert any("sedang menunggu verifikasi" in m for m in messages_of(resp))
    assert Laporan.objects.count() == 1


def test_late_submission_is_marked(tree):
    c = client_for(tree.kader)
    last_year = timezone.localdate().year - 1
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku2", "periode": str(last_year - 1)},
        follow=True,
    )
    assert any("terlambat" in m for m in messages_of(resp))
    assert Laporan.objects.get().terlambat


def test_submission_of_locked_period_is_refused(tree):
    periode_lock(unit=tree.kaliboto, jenis="buku3", periode=MAR, actor=tree.desa)
    c = client_for(tree.kader)
    resp = c.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
        {"jenis": "buku3", "periode": "2025-03"},
        follow=True,
    )
    assert any("sudah dikunci" in m for m in messages_of(resp))
    assert not Laporan.objects.exists()


# --------------------------------------------------------------------------- review


def test_return_needs_reason_then_resubmit_then_accept(tree):
    lap = submit(tree.mawar, tree.kader)
    ketua = client_for(tree.ketua_rt)
    url = reverse("reporting:laporan_kembalikan", kwargs={"laporan_id": lap.pk})
    resp = ketua.post(url, {"alasan": ""}, follow=True)
    assert "Alasan pengembalian wajib diisi." in messages_of(resp)
    lap.refresh_from_db()
    assert lap.status == "diajukan"
    ketua.post(url, {"alasan": "Kelahiran bulan Maret belum dicatat"})
    lap.refresh_from_db()
    assert lap.status == "dikembalikan"
    kader = client_for(tree.kader)
    detail = kader.get(reverse("reporting:laporan_detail", kwargs={"laporan_id": lap.pk})).content.decode()
    assert "Kelahiran bulan Maret belum dicatat" in detail and "Ajukan ulang" in detail
    kader.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}), {"jenis": "buku3", "periode": "2025-03"}
    )
    lap.refresh_from_db()
    assert lap.status == "diajukan"
    # Issue 10: the pembina no longer decides on dasawisma reports; the desa does.
    resp = client_for(tree.pembina).post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk}))
    assert resp.status_code == 403
    resp = client_for(tree.desa).post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk}), follow=True)
    assert resp.status_code == 200
    lap.refresh_from_db()
    assert lap.status == "diterima" and lap.reviewed_by == tree.desa


def test_inbox_lists_scope_and_bulk_accepts(tree, django_assert_max_num_queries):
    a = submit(tree.mawar, tree.kader)
    b = submit(tree.melati, tree.kader_melati)
    k = submit(tree.kenanga, tree.kader_kp)
    c = client_for(tree.ketua_rt)
    with django_assert_max_num_queries(9):
        page = c.get(reverse("reporting:verifikasi"))
    html = page.content.decode()
    assert "Dasawisma Mawar" in html and "Dasawisma Melati" in html and "Kenanga" not in html
    # Each row names where the dasawisma sits (RT, RW, dusun, desa).
    assert "RT 01 · RW 01 · Dusun Krajan · Desa Kaliboto" in html
    # A ketua kelompok's bulk acceptance verifies; the desa then accepts (issue 10).
    resp = c.post(reverse("reporting:verifikasi_terima"), {"laporan": [a.pk, b.pk, k.pk]}, follow=True)
    assert any(m.startswith("2 laporan diterima") for m in messages_of(resp))
    assert set(Laporan.objects.filter(verified_by=tree.ketua_rt).values_list("pk", flat=True)) == {a.pk, b.pk}
    desa = client_for(tree.desa)
    html = desa.get(reverse("reporting:verifikasi")).content.decode()
    assert "Dasawisma Mawar" in html and "diverifikasi ketua kelompok" in html and "Kenanga" not in html
    desa.post(reverse("reporting:verifikasi_terima"), {"laporan": [a.pk, b.pk, k.pk]})
    assert dict(Laporan.objects.values_list("pk", "status")) == {a.pk: "diterima", b.pk: "diterima", k.pk: "diajukan"}
    assert "Kenanga" in client_for(tree.desa_kp).get(reverse("reporting:verifikasi")).content.decode()
    pembina = client_for(tree.pembina).get(reverse("reporting:verifikasi")).content.decode()
    assert "Dasawisma" not in pembina.split("<h1", 1)[1].split("</form>", 1)[1]  # desa reports only


def test_inbox_query_count_does_not_grow(tree, django_assert_max_num_queries):
    from tests.builders import make_user

    for i in range(12):
        d = unit_create(level=Level.DASAWISMA, name=f"Extra {i}", parent=tree.rt2)
        submit(d, make_user(f"kx{i}", "kader", d))
    c = client_for(tree.desa)
    with django_assert_max_num_queries(9):
        html = c.get(reverse("reporting:verifikasi")).content.decode()
    assert html.count('name="laporan"') == 12


# --------------------------------------------------------------------------- locks


def test_lock_page_lock_refused_then_lock_and_unlock_with_history(tree):
    lap = submit(tree.mawar, tree.kader)
    desa = client_for(tree.desa)
    kunci_url = reverse("reporting:kunci", kwargs={"unit_id": tree.kaliboto.pk})
    page = desa.get(kunci_url + "?tahun=2025").content.decode()
    assert "Buku III Maret 2025" in page and "menunggu 1" in page
    resp = desa.post(
        reverse("reporting:kunci_tutup", kwargs={"unit_id": tree.kaliboto.pk}),
        {"jenis": "buku3", "periode": "2025-03"},
        follow=True,
    )
    assert any("belum dapat dikunci: 1 laporan masih menunggu verifikasi" in m for m in messages_of(resp))
    assert not KunciPeriode.objects.exists()
    desa.post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk}))
    resp = desa.post(
        reverse("reporting:kunci_tutup", kwargs={"unit_id": tree.kaliboto.pk}),
        {"jenis": "buku3", "periode": "2025-03"},
        follow=True,
    )
    assert any("dikunci" in m for m in messages_of(resp))
    assert KunciPeriode.objects.filter(unit=tree.kaliboto, jenis="buku3", periode=MAR).exists()

    pembina = client_for(tree.pembina)
    buka = reverse("reporting:kunci_buka", kwargs={"unit_id": tree.kaliboto.pk})
    resp = pembina.post(buka, {"jenis": "buku3", "periode": "2025-03", "alasan": ""}, follow=True)
    assert "Alasan membuka kunci wajib diisi." in messages_of(resp)
    assert KunciPeriode.objects.exists()
    pembina.post(buka, {"jenis": "buku3", "periode": "2025-03", "alasan": "Koreksi data ibu hamil"})
    assert not KunciPeriode.objects.exists()
    assert list(KunciRiwayat.objects.order_by("id").values_list("aksi", "actor__username")) == [
        ("kunci", "desa"),
        ("buka", "pembina"),
    ]
    page = pembina.get(kunci_url + "?tahun=2025").content.decode()
    assert "Koreksi data ibu hamil" in page and "Dibuka" in page and "Dikunci" in page
    assert client_for(tree.admin).get(kunci_url).status_code == 200
    # Only desa pages exist; a kecamatan or a dasawisma id answers 404.
    assert pembina.get(reverse("reporting:kunci", kwargs={"unit_id": tree.bener.pk})).status_code == 404


# --------------------------------------------------------------------------- completeness


def test_completeness_page_hand_worked_and_drill_down(tree):
    submit(tree.mawar, tree.kader, when=at(2025, 4, 4))
    submit(tree.melati, tree.kader_melati, when=at(2025, 4, 7))
    c = client_for(tree.pembina)
    resp = c.get(reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.kaliboto.pk, "bulan": "2025-03"}))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "66,7 %" in html and "33,3 %" in html
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    assert reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.krajan.pk, "bulan": "2025-03"}) in html
    bener = c.get(
        reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.bener.pk, "bulan": "2025-03"})
    ).content.decode()
    assert "Desa Kaliboto" in bener and "Desa Kedungpucang" in bener and "50,0 %" in bener and "25,0 %" in bener
    rt = c.get(
        reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.rt1.pk, "bulan": "2025-03"})
    ).content.decode()
    assert (
        "Diajukan" in rt
        and reverse("reporting:laporan_detail", kwargs={"laporan_id": Laporan.objects.get(unit=tree.mawar).pk}) in rt
    )
    assert (
        c.get(reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.bener.pk, "bulan": "maret"})).status_code
        == 404
    )
    pick = c.get(reverse("reporting:kelengkapan_unit", kwargs={"unit_id": tree.bener.pk}) + "?tahun=2024")
    assert pick["Location"] == reverse(
        "reporting:kelengkapan_tahunan", kwargs={"unit_id": tree.bener.pk, "tahun": 2024}
    )
    assert c.get(pick["Location"]).status_code == 200


def _grow(tree, n):
    """Add n more dasawisma (under new RWs/RTs) to Kaliboto, each with a report."""
    from tests.builders import make_user

    for i in range(n):
        rw = unit_create(level=Level.RW, name=f"1{i}", parent=tree.krajan)
        rt = unit_create(level=Level.RT, name="01", parent=rw)
        d = unit_create(level=Level.DASAWISMA, name=f"Tambahan {i}", parent=rt)
        submit(d, make_user(f"k_tambah_{i}", "kader", d))


def test_completeness_query_count_pinned_and_independent_of_units(tree, django_assert_num_queries):
    url = reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.krajan.pk, "bulan": "2025-03"})
    c = client_for(tree.desa)
    c.get(url)
    with django_assert_num_queries(8) as small:  # issue 10: +1, the locks (structure as locked)
        c.get(url)
    _grow(tree, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        html = c.get(url).content.decode()
    assert "RW 17" in html


# --------------------------------------------------------------------------- dashboards and home


def _rekap(unit, bulan, **values):
    return RekapBulanan.objects.create(unit=unit, bulan=bulan, **values)


def test_home_lands_each_role_on_its_dashboard(tree):
    assert client_for(tree.kader).get("/")["Location"] == reverse("dasawisma:kader_home")
    this_month = timezone.localdate().replace(day=1)
    admin = client_for(tree.admin).get("/").content.decode()
    assert "Dasbor Kabupaten Purworejo" in admin and "Kecamatan Bener" in admin and "Kecamatan Grabag" in admin
    pembina = client_for(tree.pembina).get("/").content.decode()
    assert "Dasbor Kecamatan Bener" in pembina and "Desa Kaliboto" in pembina and "Grabag" not in pembina
    desa = client_for(tree.desa).get("/").content.decode()
    assert "Dasbor Desa Kaliboto" in desa and "Dusun Krajan" in desa and "Kunci periode" in desa
    kp = client_for(tree.desa_kp).get("/").content.decode()
    assert "RW 01" in kp  # a desa without dusun: its RWs
    ketua = client_for(tree.ketua_rt).get("/").content.decode()
    assert "Dasbor RT 01" in ketua and "Verifikasi laporan" in ketua
    assert this_month.year == timezone.localdate().year
    nobody = client_for(tree.nobody).get("/")
    assert nobody.status_code == 200 and "belum mendapat tugas wilayah" in nobody.content.decode()


def test_dashboard_trends_from_stored_rekap(tree):
    _rekap(
        tree.kab,
        dt.date(2025, 1, 1),
        ibu_hamil=41,
        ibu_hamil_kek=3,
        bayi_lahir_l=5,
        bayi_lahir_p=6,
        bayi_meninggal_l=1,
        balita_meninggal_p=2,
    )
    _rekap(tree.kab, dt.date(2025, 2, 1), ibu_hamil=39, ibu_hamil_kek=4, bayi_lahir_l=7, bayi_lahir_p=2)
    _rekap(tree.bener, dt.date(2025, 1, 1), ibu_hamil=999)  # another unit: not on the kabupaten's dashboard
    _rekap(tree.kab, dt.date(2024, 1, 1), ibu_hamil=777)  # another year
    html = (
        client_for(tree.admin)
        .get(reverse("reporting:dasbor", kwargs={"unit_id": tree.kab.pk}) + "?tahun=2025")
        .content.decode()
    )
    # (not a bare "999" check: a random CSRF token or session id may contain those digits)
    assert not re.search(r": (999|777)\b", html) and ">999<" not in html and ">777<" not in html
    assert "Ibu hamil, Januari: 41" in html and "Ibu hamil KEK, Februari: 4" in html
    assert "Kelahiran (bayi lahir L+P), Januari: 11" in html and "Kelahiran (bayi lahir L+P), Februari: 9" in html
    assert "Kematian bayi (L+P), Januari: 1" in html and "Kematian balita (L+P), Januari: 2" in html
    assert "<polyline" in html and "<rect" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html) and "chart.js" not in html.lower()  # no CDN


def test_dashboard_of_a_dasawisma_shows_what_is_due(tree):
    html = client_for(tree.desa).get(reverse("reporting:dasbor", kwargs={"unit_id": tree.mawar.pk})).content.decode()
    assert "laporan yang harus diajukan" in html and "Belum diajukan" in html and "Ajukan</button>" not in html
    kader = client_for(tree.kader).get(reverse("reporting:dasbor", kwargs={"unit_id": tree.mawar.pk})).content.decode()
    assert "Ajukan</button>" in kader


def test_dashboard_query_count_pinned_and_independent_of_units(tree, django_assert_num_queries):
    for m in range(1, 13):
        _rekap(tree.kaliboto, dt.date(2025, m, 1), ibu_hamil=m)
    c = client_for(tree.desa)
    url = reverse("reporting:dasbor", kwargs={"unit_id": tree.kaliboto.pk}) + "?tahun=2025"
    c.get(url)
    # issue 10: +2 (the locks and the desa's own report); kegiatan and binaan cards: +2
    with django_assert_num_queries(13) as small:
        c.get(url)
    _grow(tree, 8)
    with django_assert_num_queries(len(small.captured_queries)):
        html = c.get(url).content.decode()
    assert "Ibu hamil, Desember: 12" in html


def test_laporan_saya_lists_periods_from_the_start_of_reporting(tree, settings):
    """Issue 10: the list starts at the kabupaten's start of reporting, not at the row's creation; a
    dasawisma registered (aktif_sejak) in the middle of last year owes nothing before."""
    from pkk.models import Unit

    today = timezone.localdate()
    settings.PKK_REPORTING_START = f"{today.year - 1}-01"
    Unit.objects.filter(pk=tree.mawar.pk).update(created_at=timezone.now())  # the row's age does not matter
    c = client_for(tree.kader)
    html = c.get(reverse("reporting:laporan_saya")).content.decode()
    # every month since January of last year but the running one, and last year's Buku II
    assert html.count('name="periode"') == 12 + today.month - 1 + 1
    Unit.objects.filter(pk=tree.mawar.pk).update(aktif_sejak=dt.date(today.year - 1, 7, 15))
    html = c.get(reverse("reporting:laporan_saya")).content.decode()
    assert f'value="{today.year - 1}-07"' in html and f'value="{today.year - 1}-06"' not in html
    assert f'value="{today.year - 1}"' in html


def test_laporan_saya_and_kunci_query_counts_pinned(tree, django_assert_max_num_queries):
    from reporting.periods import previous_month

    submit(tree.mawar, tree.kader, periode=previous_month(timezone.localdate()), when=timezone.now())
    kader = client_for(tree.kader)
    with django_assert_max_num_queries(6):
        assert kader.get(reverse("reporting:laporan_saya")).status_code == 200
    desa = client_for(tree.desa)
    periode_lock(unit=tree.kaliboto, jenis="buku3", periode=MAR, actor=tree.desa)
    with django_assert_max_num_queries(8):
        html = desa.get(
            reverse("reporting:kunci", kwargs={"unit_id": tree.kaliboto.pk}) + "?tahun=2025"
        ).content.decode()
    assert "Terkunci" in html and "Dikunci" in html


def test_operator_reaches_every_cycle_page(tree, django_user_model):
    lap = submit(tree.mawar, tree.kader)
    root = client_for(django_user_model.objects.create_superuser("operator", password="x-uji-12345"))
    for method, url in cycle_urls(tree, lap):
        if method == "get":
            resp = root.get(url, follow=True)
            assert resp.status_code == 200, url
    assert "Dasbor Kabupaten Purworejo" in root.get("/").content.decode()
