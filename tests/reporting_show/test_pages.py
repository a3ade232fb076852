"""Report pages: one per unit and period, the sheet of the unit's tier, drill-down, breadcrumb, scope."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pkk.models import Level
from pkk.services import unit_create
from reporting.books import BUKU_II, BUKU_III
from reporting.layouts import layout_for
from reporting.models import RekapBulanan, RekapTahunan

from .conftest import BULAN, TAHUN, angka, login, parse_table, seed_rekap

pytestmark = pytest.mark.django_db


def url_tahunan(unit, tahun=TAHUN):
    return reverse("reporting:rekap_tahunan", kwargs={"unit_id": unit.pk, "tahun": tahun})


def url_bulanan(unit, bulan=BULAN):
    return reverse("reporting:rekap_bulanan", kwargs={"unit_id": unit.pk, "bulan": f"{bulan:%Y-%m}"})


# Every tier above the dasawisma: (unit key, annual lampiran, monthly lampiran).
REKAP_TIERS = [
    ("rt1", "4.16b", "4.18b"),
    ("rw1", "4.16c", "4.18c"),
    ("krajan", "4.16d", "4.18d"),
    ("kaliboto", "4.17a", "4.19a"),
    ("bener", "4.17b", "4.19b"),
    ("kab", "4.17c", "4.19c"),
]


@pytest.mark.parametrize("key,tahunan,bulanan", REKAP_TIERS)
def test_every_lampiran_renders_for_its_tier(seeded, key, tahunan, bulanan):
    unit = getattr(seeded, key)
    client = login(seeded.admin)
    for url, lampiran, model, period in (
        (url_tahunan(unit), tahunan, RekapTahunan, {"tahun": TAHUN}),
        (url_bulanan(unit), bulanan, RekapBulanan, {"bulan": BULAN}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'data-lampiran="{lampiran}"' in html
        table = parse_table(html)
        layout = response.context["layout"]
        assert layout.lampiran == lampiran
        children = sorted(unit.children.filter(is_active=True), key=lambda c: (c.name, c.pk))
        assert [row[1] for row in table.rows["tbody"]] == [c.name for c in children]
        # Column-number row 1..n and the JUMLAH row.
        assert table.rows["thead"][-1] == [str(n) for n in range(1, layout.width + 1)]
        assert table.rows["tfoot"][0][1] == "JUMLAH"
        # Each row's numbers are the stored measures of that child.
        stored = {r.unit_id: r for r in model.objects.filter(unit__parent=unit, **period)}
        for child, row in zip(children, table.rows["tbody"], strict=True):
            for leaf, text in zip(layout.leaves, row, strict=True):
                if leaf.kind == "num" and leaf.measures[0] not in (
                    "jml_desa",
                    "jml_dusun",
                    "jml_rw",
                    "jml_rt",
                    "jml_dasawisma",
                ):
                    assert angka(text) == sum(getattr(stored[child.pk], m) for m in leaf.measures)


def test_jumlah_is_the_sum_of_the_rows_and_upper_tiers_use_thousand_separators(seeded):
    response = login(seeded.admin).get(url_tahunan(seeded.kab))
    table = parse_table(response.content.decode())
    layout = response.context["layout"]
    jumlah = table.rows["tfoot"][0]
    for i, leaf in enumerate(layout.leaves):
        if leaf.is_numeric:
            assert angka(jumlah[i]) == sum(angka(row[i]) or 0 for row in table.rows["tbody"])
    assert any("." in cell for cell in jumlah[2:]), "kabupaten totals above 999 show a thousand separator"
    kab = RekapTahunan.objects.get(unit=seeded.kab, tahun=TAHUN)
    total_l = layout.leaves.index(next(c for c in layout.leaves if c.measures == ("total_l",)))
    assert angka(jumlah[total_l]) == kab.total_l  # the children add up to the stored parent


def test_unit_counts_count_registered_units_below_each_row(seeded):
    response = login(seeded.admin).get(url_tahunan(seeded.kab))
    layout = response.context["layout"]
    table = parse_table(response.content.decode())
    head = [leaf.measures[0] if leaf.measures else leaf.kind for leaf in layout.leaves]
    rows = {row[1]: row for row in table.rows["tbody"]}
    bener = rows["Bener"]
    assert [bener[head.index(n)] for n in ("jml_desa", "jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma")] == [
        "2",
        "1",
        "2",
        "3",
        "4",
    ]
    grabag = rows["Grabag"]
    assert [grabag[head.index(n)] for n in ("jml_desa", "jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma")] == [
        "1",
        "0",
        "1",
        "1",
        "1",
    ]


def test_every_registered_child_gets_a_row_even_without_a_stored_row(tree):
    seed_rekap(skip=(tree.anggrek, tree.rt2))
    extra = unit_create(level=Level.DASAWISMA, name="Teratai", parent=tree.rt1)  # registered after the roll-up
    client = login(tree.admin)
    table = parse_table(client.get(url_tahunan(tree.rt1)).content.decode())
    names = [row[1] for row in table.rows["tbody"]]
    assert names == ["Mawar", "Melati", "Teratai"]
    teratai = table.rows["tbody"][names.index(extra.name)]
    assert all(angka(v) in (0, None) for v in teratai[2:])
    table_rw = parse_table(client.get(url_tahunan(tree.rw1)).content.decode())
    rt2 = next(row for row in table_rw.rows["tbody"] if row[1] == "02")
    assert rt2[2] == "1"  # JML DASAWISMA is a live count of registered units
    assert all(angka(v) == 0 for v in rt2[3:-1])


def test_desa_without_dusun_lists_rw(seeded):
    response = login(seeded.admin).get(url_tahunan(seeded.kedungpucang))
    assert response.context["report"].name_label == "NOMOR RW"
    table = parse_table(response.content.decode())
    assert [row[1] for row in table.rows["tbody"]] == ["01"]
    assert "NOMOR RW" in table.rows["thead"][0]
    response = login(seeded.admin).get(url_tahunan(seeded.kaliboto))
    assert response.context["report"].name_label == "NAMA DUSUN/LINGKUNGAN"


def test_a_row_opens_the_same_report_for_that_child(seeded):
    client = login(seeded.pembina)
    table = parse_table(client.get(url_bulanan(seeded.bener)).content.decode())
    assert table.links == [url_bulanan(seeded.kaliboto), url_bulanan(seeded.kedungpucang)]
    assert client.get(table.links[0]).status_code == 200


def test_breadcrumb_stops_at_the_users_own_top_unit(seeded):
    response = login(seeded.desa).get(url_tahunan(seeded.rt1))
    crumbs = [u for u, _url in response.context["crumbs"]]
    assert crumbs == [seeded.kaliboto, seeded.krajan, seeded.rw1, seeded.rt1]
    html = response.content.decode()
    assert url_tahunan(seeded.kaliboto) in html
    assert url_tahunan(seeded.bener) not in html
    admin_crumbs = [u for u, _ in login(seeded.admin).get(url_tahunan(seeded.rt1)).context["crumbs"]]
    assert admin_crumbs[0] == seeded.kab


@pytest.mark.parametrize(
    "persona,key",
    [
        ("admin", "kab"),
        ("pembina", "bener"),
        ("desa", "kaliboto"),
        ("ketua_rt", "rt1"),
    ],
)
def test_each_user_lands_on_their_own_units_report(tree, persona, key):
    response = login(getattr(tree, persona)).get(reverse("reporting:laporan_home"))
    assert response.status_code == 302
    assert response.url == url_tahunan(getattr(tree, key), timezone.localdate().year)


def test_user_without_unit_gets_404_on_landing(tree):
    assert login(tree.nobody).get(reverse("reporting:laporan_home")).status_code == 404


def test_period_picker(seeded):
    client = login(seeded.desa)
    pick = reverse("reporting:laporan_pilih", kwargs={"unit_id": seeded.kaliboto.pk})
    assert client.get(pick, {"tahun": "2024"}).url == url_tahunan(seeded.kaliboto, 2024)
    assert client.get(pick, {"bulan": "2025-03"}).url == url_bulanan(seeded.kaliboto)
    assert client.get(pick, {"bulan": "2025-13"}).status_code == 404
    page = client.get(url_tahunan(seeded.kaliboto)).content.decode()
    assert 'name="tahun"' in page and '<option value="2025" selected>' in page
    page = client.get(url_bulanan(seeded.kaliboto)).content.decode()
    assert 'type="month"' in page and 'value="2025-03"' in page


def test_bad_periods_are_404(seeded):
    client = login(seeded.admin)
    assert client.get(f"/laporan/{seeded.kab.pk}/bulanan/2025-3x/").status_code == 404
    assert client.get(f"/laporan/{seeded.kab.pk}/tahunan/1800/").status_code == 404


def test_phone_markup(seeded):
    html = login(seeded.admin).get(url_tahunan(seeded.kab)).content.decode()
    assert '<div class="table-responsive">' in html
    assert "table-rekap" in html
    link = f'href="{reverse("reporting:laporan_home")}">Laporan<'
    assert link in html  # nav link "Laporan"
    page = login(seeded.nobody).get(reverse("home")).content.decode()
    assert link not in page  # no unit, no link


# ------------------------------------------------------------------------------------------------ scope

OUTSIDERS = [
    ("kader_kp", "mawar"),
    ("kader_kp", "kaliboto"),
    ("desa_kp", "rt1"),
    ("desa_kp", "kaliboto"),
    ("pembina_grabag", "bener"),
    ("pembina_grabag", "kab"),
    ("kader", "melati"),
    ("kader", "rt1"),
    ("ketua_rt", "rw1"),
    ("desa", "bener"),
    ("kader_grabag", "kaliboto"),
]


@pytest.mark.parametrize("persona,key", OUTSIDERS)
def test_outside_unit_is_404_for_pages_and_downloads(seeded, persona, key):
    client = login(getattr(seeded, persona))
    unit = getattr(seeded, key)
    for name, kwargs in (
        ("rekap_tahunan", {"tahun": TAHUN}),
        ("rekap_bulanan", {"bulan": "2025-03"}),
        ("rekap_tahunan_xlsx", {"tahun": TAHUN}),
        ("rekap_bulanan_xlsx", {"bulan": "2025-03"}),
        ("laporan_pilih", {}),
    ):
        assert client.get(reverse(f"reporting:{name}", kwargs={"unit_id": unit.pk, **kwargs})).status_code == 404
    for name, kwargs in (("rekap_tahunan_ekspor", {"tahun": TAHUN}), ("rekap_bulanan_ekspor", {"bulan": "2025-03"})):
        assert client.post(reverse(f"reporting:{name}", kwargs={"unit_id": unit.pk, **kwargs})).status_code == 404


def test_insiders_reach_their_subtree(seeded):
    client = login(seeded.ketua_rt)
    assert client.get(url_tahunan(seeded.rt1)).status_code == 200
    assert client.get(url_bulanan(seeded.rt1)).status_code == 200


def test_anonymous_is_sent_to_login(seeded):
    from django.test import Client

    response = Client().get(url_tahunan(seeded.kab))
    assert response.status_code == 302 and "/masuk/" in response.url


# ---------------------------------------------------------------------------------------- query counts


def _grow(tree, n: int) -> None:
    for i in range(n):
        kec = unit_create(level=Level.KECAMATAN, name=f"Kec {i:03d}", parent=tree.kab, code=f"33.06.{50 + i:02d}")
        desa = unit_create(level=Level.DESA, name=f"Desa {i:03d}", parent=kec, code=f"33.06.{50 + i:02d}.2001")
        rw = unit_create(level=Level.RW, name="01", parent=desa)
        rt = unit_create(level=Level.RT, name="01", parent=rw)
        unit_create(level=Level.DASAWISMA, name=f"Dw {i}", parent=rt)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("buku", [BUKU_II, BUKU_III])
def test_report_page_query_count_does_not_grow_with_rows(tree, buku, django_assert_max_num_queries):
    url = url_tahunan(tree.kab) if buku == BUKU_II else url_bulanan(tree.kab)
    client = login(tree.admin)
    seed_rekap()
    small = _queries(client, url)
    assert small <= 10  # session, user, unit, scope, ancestors, children, stored rows, counts, recent jobs
    RekapTahunan.objects.all().delete()
    RekapBulanan.objects.all().delete()
    _grow(tree, 12)
    seed_rekap()
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["report"].rows) == 14
    assert layout_for(buku, Level.KABUPATEN).lampiran in response.content.decode()
    with django_assert_max_num_queries(10):
        client.get(url_tahunan(tree.rt1))


def test_xlsx_download_query_count_does_not_grow(tree, django_assert_max_num_queries):
    client = login(tree.admin)
    url = reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": tree.kab.pk, "tahun": TAHUN})
    seed_rekap()
    small = _queries(client, url)
    RekapTahunan.objects.all().delete()
    RekapBulanan.objects.all().delete()
    _grow(tree, 10)
    seed_rekap()
    with django_assert_max_num_queries(small):
        client.get(url)
