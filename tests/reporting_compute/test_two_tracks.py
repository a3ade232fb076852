"""A full rebuild on PostgreSQL runs Buku II and part of Buku III on the main connection and the other months
on a second connection (``reporting.rollup.split_tracks``): the stored rows must be exactly those of the
same rebuild in one transaction, and a failure on either side must leave nothing of either.

The data must be committed for the second connection to see it (``transaction=True``). On SQLite the
rebuild stays on one connection; the tests check that too.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from pkk.models import Unit
from reporting import rollup
from reporting.measures import BULANAN_NAMES, TAHUNAN_NAMES, UNIT_COUNT_NAMES
from reporting.models import RekapBulanan, RekapTahunan
from reporting.periods import months_of_year
from reporting.rollup import store

from .data import D, hamil, rumah_tangga, warga
from .test_sums import TAHUN, assert_parent_is_sum_of_children

MONTHS = months_of_year(TAHUN)


def _data(units) -> None:
    """Households in three dasawisma: births, deaths, pregnancies spread over the year, an empty household."""
    for n, key in enumerate(("mawar", "melati", "kenanga")):
        dw = units[key]
        rt = rumah_tangga(dw, f"{n}1", spal=True, sumber_air_pdam=True)
        ibu = warga(rt, f"33061620060{n}0001", "Ibu", "P", D(1995, 3, 1), status="istri", kawin="kawin")
        warga(rt, f"33061620060{n}0001", "Bapak", "L", D(1990, 1, 1), status="kepala_keluarga", kawin="kawin")
        warga(rt, f"33061620060{n}0002", "Nenek", "P", D(1950, 6, 1), tanggal_meninggal=D(TAHUN, 4 + n, 9))
        warga(rt, f"33061620060{n}0001", "Bayi", "L", D(TAHUN, 2 + n, 14), akta_kelahiran=bool(n % 2))
        hamil(ibu, D(TAHUN - 1, 6, 1), selesai=D(TAHUN, 2 + n, 14), hasil="lahir_hidup", kek=True)
        hamil(ibu, D(TAHUN, 9 + n, 1))
        kosong = rumah_tangga(dw, f"{n}2", tempat_sampah=True)
        warga(kosong, f"33061620060{n}0003", "Pindah", "L", D(1980, 1, 1), tanggal_pindah=D(TAHUN, 1, 5))


def _stored() -> dict:
    t = {
        (r["unit_id"], r["tahun"]): r
        for r in RekapTahunan.objects.values("unit_id", "tahun", *UNIT_COUNT_NAMES, *TAHUNAN_NAMES)
    }
    b = {
        (r["unit_id"], r["bulan"]): r
        for r in RekapBulanan.objects.values("unit_id", "bulan", *UNIT_COUNT_NAMES, *BULANAN_NAMES)
    }
    return {"tahunan": t, "bulanan": b}


def _empty() -> None:
    RekapTahunan.objects.all().delete()
    RekapBulanan.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_two_connections_store_exactly_what_one_transaction_stores(units, settings):
    _data(units)
    main, side = rollup.split_tracks([TAHUN], MONTHS)
    if connection.vendor != "postgresql":
        assert (main, side) == (MONTHS, [])  # SQLite: one writer, one connection
    else:
        assert side and main + side == MONTHS and len(main) == rollup.MAIN_TRACK_MONTHS

    rollup.rebuild(None, tahun=TAHUN)
    two = _stored()
    assert_parent_is_sum_of_children(TAHUN, MONTHS)

    _empty()
    settings.PKK_ROLLUP_TRACKS = 1
    assert rollup.split_tracks([TAHUN], MONTHS) == (MONTHS, [])
    rollup.rebuild(None, tahun=TAHUN)
    one = _stored()

    registered = Unit.objects.filter(is_active=True).count()
    assert len(two["bulanan"]) == RekapBulanan.objects.count() == 12 * registered
    assert len(two["tahunan"]) == registered
    assert two == one
    kab = units["kab"].pk
    assert sum(two["bulanan"][(kab, m)]["bayi_lahir_l"] for m in MONTHS) == 3
    assert two["tahunan"][(kab, TAHUN)]["jml_krt"] == 3  # the three households whose only member moved away
    assert two["tahunan"][(kab, TAHUN)]["tempat_sampah"] == 0  # are not counted


@pytest.mark.django_db(transaction=True)
def test_a_subtree_rebuild_on_two_connections_restores_the_subtree_and_its_ancestors_only(units):
    _data(units)
    rollup.rebuild(None, tahun=TAHUN)
    good = _stored()
    RekapBulanan.objects.update(ibu_hamil=99)
    RekapTahunan.objects.update(total_l=99)

    bener = units["bener"]
    rollup.rebuild(bener, tahun=TAHUN)

    subtree = set(Unit.objects.filter(path__gte=bener.path, path__lt=bener.path + "A").values_list("pk", flat=True))
    ancestors = set(bener.ancestor_ids()) - subtree
    now = _stored()
    assert {k for k in now["bulanan"] if k[0] not in subtree | ancestors}  # there is an outside (Grabag)
    for book, column in (("tahunan", "total_l"), ("bulanan", "ibu_hamil")):
        for key, row in now[book].items():
            if key[0] in subtree:
                assert row == good[book][key], key
            elif key[0] in ancestors:  # the sum of its children as stored now (Grabag's still 99)
                kids = Unit.objects.filter(parent_id=key[0], is_active=True).values_list("pk", flat=True)
                assert row[column] == sum(now[book][(k, key[1])][column] for k in kids), key
                assert row[column] != good[book][key][column]
            else:
                assert row[column] == 99, key  # untouched


def test_inside_a_transaction_the_rebuild_stays_on_one_connection(db):
    assert connection.in_atomic_block
    assert rollup.split_tracks([TAHUN], MONTHS) == (MONTHS, [])


def _fail_on(thread_name: str, real):
    def wrapped(*args, **kwargs):
        if threading.current_thread().name == thread_name:
            raise RuntimeError(f"gagal di {thread_name}")
        return real(*args, **kwargs)

    return wrapped


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["rekap-side-track", "MainThread"])
def test_a_failure_on_either_connection_leaves_nothing_of_either(units, monkeypatch, where):
    if connection.vendor != "postgresql":
        assert rollup.split_tracks([TAHUN], MONTHS) == (MONTHS, [])
        return
    _data(units)
    # The side connection fails in its Buku III statement; the main one in its Buku II statement.
    if where == "rekap-side-track":
        monkeypatch.setattr(store, "bulanan_all_tiers", _fail_on(where, store.bulanan_all_tiers))
    else:
        monkeypatch.setattr(store, "dasawisma_tahunan", _fail_on(where, store.dasawisma_tahunan))
    with pytest.raises(RuntimeError, match=f"gagal di {where}"):
        rollup.rebuild(None, tahun=TAHUN)
    assert RekapTahunan.objects.count() == 0
    assert RekapBulanan.objects.count() == 0
    monkeypatch.undo()
    rollup.rebuild(None, tahun=TAHUN)  # and the next rebuild is not blocked by anything left behind
    assert RekapBulanan.objects.count() > 0
    assert_parent_is_sum_of_children(TAHUN, MONTHS)
