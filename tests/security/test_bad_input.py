"""Issue 12: inputs that answered 500 (68 of 2,090 garbage posts): bad ``next``, NUL bytes, huge years and
months, an oversized body, the same new No. KK saved twice at once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from dasawisma import services
from dasawisma.models import Keluarga, Warga
from reporting.periods import parse_bulan, parse_tahun
from reporting.services import laporan_submit
from tests.dasawisma.factories import make_rt, no_kk
from tests.dasawisma.test_views import warga_post

BAD_NEXT = ["0", "laporan_saya", "//evil.example/x", "http://evil.example/", "/\\evil.example", "javascript:alert(1)",
            " ", "/ok\x01", "%2F%2Fevil.example"]  # fmt: skip


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize("nxt", BAD_NEXT)
def test_bad_next_on_cycle_posts_goes_to_the_default_page(tree, nxt):
    kader, desa, pembina = client_for(tree.kader), client_for(tree.desa), client_for(tree.pembina)
    r = kader.post(reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
                   {"jenis": "buku3", "periode": "2025-03", "next": nxt})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == reverse("reporting:laporan_saya")
    lap = laporan_submit(dasawisma=tree.mawar, jenis="buku3", periode=dt.date(2025, 4, 1), actor=tree.kader)
    detail = reverse("reporting:laporan_detail", kwargs={"laporan_id": lap.pk})
    r = client_for(tree.ketua_rt).post(
        reverse("reporting:laporan_kembalikan", kwargs={"laporan_id": lap.pk}), {"alasan": "Kurang", "next": nxt}
    )
    assert r.status_code == 302 and r["Location"] == detail
    r = client_for(tree.ketua_rt).post(reverse("reporting:laporan_terima", kwargs={"laporan_id": lap.pk}),
                                       {"next": nxt})  # fmt: skip
    assert r.status_code == 302 and r["Location"] == detail
    r = client_for(tree.ketua_rt).post(reverse("reporting:verifikasi_terima"), {"laporan": [lap.pk], "next": nxt})
    assert r.status_code == 302 and r["Location"] == reverse("reporting:verifikasi")
    kunci = reverse("reporting:kunci", kwargs={"unit_id": tree.kaliboto.pk})
    for name, c in (("kunci_tutup", desa), ("kunci_buka", pembina)):
        r = c.post(reverse(f"reporting:{name}", kwargs={"unit_id": tree.kaliboto.pk}),
                   {"jenis": "buku3", "periode": "2025-03", "alasan": "uji", "next": nxt})  # fmt: skip
        assert r.status_code == 302 and r["Location"] == f"{kunci}?tahun=2025", (name, r["Location"])


def test_a_local_next_is_followed(tree):
    r = client_for(tree.kader).post(reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.mawar.pk}),
                                    {"jenis": "buku3", "periode": "2025-03", "next": "/data/?x=1"})  # fmt: skip
    assert r["Location"] == "/data/?x=1"


@pytest.mark.parametrize("url", ["/akun/?q=%00", "/akun/?q=a%00b", "/akun/?%00=1", "/data/kualitas/?jenis=nik%00"])
def test_nul_in_query_is_a_400_in_indonesian(tree, url):
    r = client_for(tree.admin).get(url)
    assert r.status_code == 400
    assert "karakter yang tidak sah" in r.content.decode()


def test_nul_in_a_form_body_is_a_400_and_nothing_is_written(tree):
    rt = make_rt(tree.mawar, tree.kader)
    before = Warga.objects.count()
    c = client_for(tree.kader)
    url = reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk})
    body = "nama=Sri%00Wahyuni&jenis_kelamin=P&tanggal_lahir=1990-01-01&no_kk_baru=" + no_kk()
    r = c.post(url, body, content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and "karakter yang tidak sah" in r.content.decode()
    # Multipart (draft.js's FormData) reaches the form, whose CharField refuses NUL with a message.
    r = c.post(url, warga_post(nama="Sri\x00Wahyuni", no_kk_baru=no_kk()))
    assert r.status_code == 200 and "Karakter null tidak diizinkan" in r.content.decode()
    assert Warga.objects.count() == before


def test_body_over_the_limit_is_413_before_reading(tree, settings):
    settings.PKK_MAX_BODY_BYTES = 1000
    c = client_for(tree.desa)
    r = c.post(reverse("dasawisma:workbook"), {"berkas": "x" * 5000})
    assert r.status_code == 413
    assert "Berkas terlalu besar" in r.content.decode()
    r = c.generic("POST", reverse("dasawisma:workbook"), b"", CONTENT_LENGTH="abc")
    assert r.status_code == 400


@pytest.mark.parametrize(
    "url_name, kwargs, query",
    [
        ("reporting:kelengkapan_unit", {}, "?tahun=99999999999999999999"),
        ("reporting:kelengkapan_unit", {}, "?bulan=9999-12"),
        ("reporting:kelengkapan_unit", {}, "?bulan=99999999999999999999-01"),
        ("reporting:kelengkapan_unit", {}, "?bulan=2025-13"),
        ("reporting:dasbor", {}, "?tahun=99999999999999999999&bulan=9999-12"),
        ("reporting:kunci", {}, "?tahun=99999999999999999999"),
        ("reporting:laporan_pilih", {}, "?tahun=99999999999999999999"),
        ("reporting:laporan_pilih", {}, "?bulan=9999-12"),
        ("reporting:kelengkapan_bulanan", {"bulan": "9999-12"}, ""),
        ("reporting:kelengkapan_bulanan", {"bulan": "0000-01"}, ""),
        ("reporting:kelengkapan_tahunan", {"tahun": 99999999999999999999}, ""),
        ("reporting:rekap_bulanan", {"bulan": "9999-12"}, ""),
        ("reporting:rekap_tahunan", {"tahun": 99999999999999999999}, ""),
    ],
)
def test_huge_years_and_months_are_never_a_500(tree, url_name, kwargs, query):
    url = reverse(url_name, kwargs={"unit_id": tree.kaliboto.pk, **kwargs}) + query
    r = client_for(tree.desa).get(url)
    assert r.status_code in (200, 302, 404), (url, r.status_code)


def test_period_parsers_bound_the_year():
    assert parse_bulan("2025-03") == dt.date(2025, 3, 1)
    for bad in ("9999-12", "0000-01", "2025-3-1", "２０２５-03", "2025-13", "", "99999999999999999999-01"):
        with pytest.raises(ValueError):
            parse_bulan(bad)
    for bad in ("99999999999999999999", "3000", "1899", "٢٠٢٥"):
        with pytest.raises(ValueError):
            parse_tahun(bad)


def test_same_new_no_kk_saved_by_two_people_is_a_form_error_not_a_500(tree, monkeypatch):
    """The other save commits between our check and our insert: simulated inside ``full_clean``."""
    rt = make_rt(tree.mawar, tree.kader)
    kk = no_kk()
    original = Keluarga.full_clean

    def someone_else_saves_first(self, *args, **kwargs):
        original(self, *args, **kwargs)
        Keluarga.objects.create(rumah_tangga=self.rumah_tangga, no_kk=self.no_kk)

    monkeypatch.setattr(Keluarga, "full_clean", someone_else_saves_first)
    r = client_for(tree.kader).post(reverse("dasawisma:keluarga_create", kwargs={"rumah_tangga_id": rt.pk}),
                                    {"no_kk": kk})  # fmt: skip
    assert r.status_code == 200
    assert services.KK_TAKEN_MESSAGE in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_warga_with_the_same_new_no_kk_at_once_share_one_keluarga(tree):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL); SQLite serialises every write")
    for round_ in range(5):
        rt = make_rt(tree.mawar, tree.kader)
        kk = no_kk()
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def post(i, rt=rt, kk=kk, barrier=barrier, statuses=statuses, round_=round_):
            c = client_for(tree.kader)
            data = warga_post(no_kk_baru=kk, nik="", nama=f"Warga {round_}-{i}")
            try:
                barrier.wait()
                statuses.append(
                    c.post(reverse("dasawisma:warga_create", kwargs={"rumah_tangga_id": rt.pk}), data).status_code
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [302, 302], statuses
        assert Keluarga.objects.filter(rumah_tangga=rt, no_kk=kk).count() == 1
        assert Warga.objects.filter(rumah_tangga=rt).count() == 2
