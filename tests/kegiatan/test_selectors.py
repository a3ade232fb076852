"""kegiatan_per_pokja pinned by hand; the list's filters, paging and query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kegiatan.selectors import filter_kegiatan, kegiatan_for_user, kegiatan_per_pokja

from .conftest import make_kegiatan

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(tree):
    """Kegiatan placed by hand (unit, date, pokja/program):

    Kaliboto:      2025-01-31 I/1, 2025-02-01 I/2, 2025-02-28 IV/7, 2025-12-31 II/6, 2024-12-31 IV/9 (last year)
    Kedungpucang:  2025-02-10 IV/10, 2025-02-11 sekretariat
    Bener (kec):   2025-02-20 III/3
    Grabag desa Harjobinangun: 2025-02-15 IV/7
    Purworejo (kab): 2025-03-01 II/8
    """
    rows = [
        (tree.kaliboto, "2025-01-31", "I", 1),
        (tree.kaliboto, "2025-02-01", "I", 2),
        (tree.kaliboto, "2025-02-28", "IV", 7),
        (tree.kaliboto, "2025-12-31", "II", 6),
        (tree.kaliboto, "2024-12-31", "IV", 9),
        (tree.kedungpucang, "2025-02-10", "IV", 10),
        (tree.kedungpucang, "2025-02-11", "sekretariat", None),
        (tree.bener, "2025-02-20", "III", 3),
        (tree.harjobinangun, "2025-02-15", "IV", 7),
        (tree.kab, "2025-03-01", "II", 8),
    ]
    for unit, day, pokja, program in rows:
        make_kegiatan(
            unit, tanggal=dt.date.fromisoformat(day), pokja=pokja, program_pokok=program, judul=f"{unit.name} {day}"
        )


def _counts(unit, tahun, bulan=None) -> dict[str, int]:
    return {c.pokja: c.jumlah for c in kegiatan_per_pokja(unit, tahun, bulan)}


def test_per_pokja_for_a_desa_year_and_months(tree, spread):
    assert _counts(tree.kaliboto, 2025) == {"I": 2, "II": 1, "III": 0, "IV": 1, "sekretariat": 0}
    assert _counts(tree.kaliboto, 2024) == {"I": 0, "II": 0, "III": 0, "IV": 1, "sekretariat": 0}
    assert _counts(tree.kaliboto, 2025, 1) == {"I": 1, "II": 0, "III": 0, "IV": 0, "sekretariat": 0}
    assert _counts(tree.kaliboto, 2025, 2) == {"I": 1, "II": 0, "III": 0, "IV": 1, "sekretariat": 0}
    assert _counts(tree.kaliboto, 2025, dt.date(2025, 12, 15)) == {"I": 0, "II": 1, "III": 0, "IV": 0, "sekretariat": 0}


def test_per_pokja_counts_the_subtree(tree, spread):
    # Bener: Kaliboto 4 + Kedungpucang 2 + its own 1 (2025).
    assert _counts(tree.bener, 2025) == {"I": 2, "II": 1, "III": 1, "IV": 2, "sekretariat": 1}
    assert _counts(tree.bener, 2025, 2) == {"I": 1, "II": 0, "III": 1, "IV": 2, "sekretariat": 1}
    # Kabupaten: Bener 7 + Grabag 1 + its own 1.
    assert _counts(tree.kab, 2025) == {"I": 2, "II": 2, "III": 1, "IV": 3, "sekretariat": 1}
    assert sum(_counts(tree.kab, 2025).values()) == 9


def test_per_pokja_is_one_query_and_lists_every_pokja_in_order(tree, spread):
    with CaptureQueriesContext(connection) as ctx:
        result = kegiatan_per_pokja(tree.kab, 2025)
    assert len(ctx.captured_queries) == 1
    assert "GROUP BY" in ctx.captured_queries[0]["sql"].upper()
    assert [(c.pokja, c.label) for c in result] == [
        ("I", "Pokja I"),
        ("II", "Pokja II"),
        ("III", "Pokja III"),
        ("IV", "Pokja IV"),
        ("sekretariat", "Sekretariat / umum"),
    ]
    assert result[3].nama == "Kesehatan Keluarga dan Lingkungan"
    with pytest.raises(ValueError):
        kegiatan_per_pokja(tree.kab, 2025, 13)


def test_scope_of_the_list_selector(tree, spread):
    def titles(user):
        return {k.judul for k in kegiatan_for_user(user)}

    assert len(titles(tree.admin)) == 10
    assert titles(tree.pembina) == {t for t in titles(tree.admin) if not t.startswith(("Harjobinangun", "Kabupaten"))}
    assert len(titles(tree.pembina)) == 8
    assert titles(tree.desa_kp) == {"Kedungpucang 2025-02-10", "Kedungpucang 2025-02-11"}
    assert titles(tree.pembina_grabag) == {"Harjobinangun 2025-02-15"}
    assert titles(tree.kader) == set()  # a kader's scope holds no desa


def test_filters(tree, spread):
    qs = kegiatan_for_user(tree.admin)
    assert filter_kegiatan(qs, unit=tree.bener).count() == 8
    assert filter_kegiatan(qs, unit=tree.kaliboto, pokja="I").count() == 2
    assert filter_kegiatan(qs, bulan=dt.date(2025, 2, 1)).count() == 6
    assert filter_kegiatan(qs, unit=tree.bener, pokja="IV", bulan=dt.date(2025, 2, 1)).count() == 2


def _page(client, **params) -> str:
    return client.get(reverse("kegiatan:list"), params).content.decode()


def test_list_page_filters(tree, spread):
    c = Client()
    c.force_login(tree.pembina)
    assert "8 kegiatan." in _page(c)
    assert "5 kegiatan." in _page(c, unit=tree.kaliboto.pk)
    assert "1 kegiatan." in _page(c, unit=tree.kaliboto.pk, pokja="I", bulan="2025-02")
    assert "2 kegiatan." in _page(c, pokja="IV", bulan="2025-02")
    html = _page(c, bulan="Februari")
    assert "Bulan: tulis sebagai TTTT-BB, misalnya 2026-03." in html and "0 kegiatan." in html
    # A unit outside the pembina's scope is refused as a filter (not silently widened).
    html = _page(c, unit=tree.harjobinangun.pk)
    assert "0 kegiatan." in html and "Wilayah tidak ditemukan di wilayah Anda." in html


def test_list_pages_by_twenty_with_a_fixed_number_of_queries(tree):
    for i in range(45):
        make_kegiatan(tree.kaliboto, tanggal=dt.date(2025, 1, 1) + dt.timedelta(days=i), judul=f"Kegiatan {i:02d}")
    c = Client()
    c.force_login(tree.desa)
    html = _page(c)
    assert "45 kegiatan." in html and "1 / 3" in html and "Kegiatan 44" in html and "Kegiatan 24" not in html
    html = _page(c, page=3, pokja="IV")
    assert "Kegiatan 04" in html and "Kegiatan 05" not in html and "pokja=IV&amp;page=2" in html
    with CaptureQueriesContext(connection) as few:
        _page(c, page=3)
    for i in range(30):
        make_kegiatan(tree.kaliboto, tanggal=dt.date(2024, 1, 1) + dt.timedelta(days=i), judul=f"Lama {i}")
    with CaptureQueriesContext(connection) as many:
        _page(c, page=3)
    assert len(many.captured_queries) == len(few.captured_queries)
