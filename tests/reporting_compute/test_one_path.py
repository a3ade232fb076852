"""The one roll-up path: one connection, one transaction, bounded waits, no ANALYZE of an unwritten table.

Replaces the tests of the former two-connection rebuild. The numbers themselves are pinned by
``test_sums`` (oracle), ``test_hand_dasawisma`` (hand-worked) and ``test_refresh``.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from pkk.models import Unit
from reporting import rollup
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES
from reporting.models import RekapBulanan, RekapTahunan
from reporting.periods import months_of_year

from .data import D, hamil, rumah_tangga, warga
from .test_sums import TAHUN, assert_parent_is_sum_of_children

MONTHS = months_of_year(TAHUN)


def _data(units) -> None:
    for n, key in enumerate(("mawar", "melati", "kenanga")):
        rt = rumah_tangga(units[key], f"{n}1", spal=True, sumber_air_pdam=True)
        ibu = warga(rt, f"33061620060{n}0001", "Ibu", "P", D(1995, 3, 1), status="istri", kawin="kawin")
        warga(rt, f"33061620060{n}0002", "Nenek", "P", D(1950, 6, 1), tanggal_meninggal=D(TAHUN, 4 + n, 9))
        warga(rt, f"33061620060{n}0001", "Bayi", "L", D(TAHUN, 2 + n, 14), akta_kelahiran=bool(n % 2))
        hamil(ibu, D(TAHUN - 1, 6, 1), selesai=D(TAHUN, 2 + n, 14), hasil="lahir_hidup", kek=True)
        hamil(ibu, D(TAHUN, 9 + n, 1))


def _stored() -> tuple[dict, dict]:
    t = {(r["unit_id"], r["tahun"]): r for r in RekapTahunan.objects.values("unit_id", "tahun", *UNIT_COUNT_NAMES,
                                                                            *BUKU_II_MEASURES)}  # fmt: skip
    b = {(r["unit_id"], r["bulan"]): r for r in RekapBulanan.objects.values("unit_id", "bulan", *UNIT_COUNT_NAMES,
                                                                            *BUKU_III_MEASURES)}  # fmt: skip
    return t, b


@pytest.mark.django_db
def test_a_rebuild_is_one_transaction_on_one_connection(units, monkeypatch):
    """A full rebuild starts no thread, and every statement goes through the default connection inside one
    atomic block; a repeated rebuild of unchanged data rewrites no row."""
    _data(units)

    def no_threads(self):
        raise AssertionError(f"the rebuild started a thread: {self.name}")

    monkeypatch.setattr(threading.Thread, "start", no_threads)
    seen: list[tuple[bool, str]] = []

    def record(execute, sql, params, many, context):
        seen.append((connection.in_atomic_block, sql))
        return execute(sql, params, many, context)

    assert list(connections) == ["default"]
    with connection.execute_wrapper(record):
        rollup.rebuild(None, tahun=TAHUN)
    writes = [sql for _, sql in seen if "INSERT INTO" in sql]
    assert len(writes) >= 2 + 2 * 7, "dasawisma tier of both books, then every tier above"
    assert all(atomic for atomic, _ in seen), [sql[:80] for atomic, sql in seen if not atomic]
    first = _stored()
    active = Unit.objects.filter(is_active=True).count()
    assert (len(first[0]), len(first[1])) == (active, 12 * active)
    assert_parent_is_sum_of_children(TAHUN, MONTHS)
    computed = set(RekapBulanan.objects.values_list("computed_at", flat=True))
    rollup.rebuild(None, tahun=TAHUN)
    assert _stored() == first
    assert set(RekapBulanan.objects.values_list("computed_at", flat=True)) == computed, "unchanged rows rewritten"


@pytest.mark.django_db
def test_subtree_rebuild_equals_full_rebuild(units):
    """A kecamatan's rebuild and its ancestors' sums give exactly the rows of a rebuild of everything."""
    _data(units)
    rollup.rebuild(None, tahun=TAHUN)
    full = _stored()
    bener = units["bener"]
    touched = [*Unit.objects.subtree(bener).values_list("pk", flat=True), *bener.ancestor_ids(include_self=False)]
    RekapBulanan.objects.filter(unit__in=touched).update(ibu_hamil=99)
    RekapTahunan.objects.filter(unit__in=touched).update(total_p=99)
    rollup.rebuild(bener, tahun=TAHUN)
    assert _stored() == full


@pytest.mark.django_db
def test_a_month_alone_does_not_analyze_the_annual_table(units):
    """Issue 12: no ANALYZE of a table the transaction did not write (here: Buku III only, a fresh table)."""
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE and planner statistics are PostgreSQL's; SQLite has none to refresh")
    _data(units)
    with CaptureQueriesContext(connection) as ctx:
        rollup.rebuild(None, bulan=D(TAHUN, 3, 1))
    analyzed = [q["sql"] for q in ctx.captured_queries if q["sql"].upper().startswith("ANALYZE")]
    assert not [a for a in analyzed if RekapTahunan._meta.db_table in a], analyzed
    settings_seen = [q["sql"] for q in ctx.captured_queries if "set_config('lock_timeout'" in q["sql"]]
    assert settings_seen, "the rebuild did not bound its waits"
    # The statistics check itself only looks at tables this transaction wrote (even when the other one had
    # many changes committed by others since its last ANALYZE).
    from reporting.rollup.store import refresh_planner_stats

    with CaptureQueriesContext(connection) as ctx:
        refresh_planner_stats({RekapTahunan._meta.db_table: 0, RekapBulanan._meta.db_table: 5000})
    assert RekapTahunan._meta.db_table not in " ".join(q["sql"] for q in ctx.captured_queries)
    assert any(f'ANALYZE "{RekapBulanan._meta.db_table}"' in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_waiting_for_the_chain_lock_gives_up_after_the_lock_timeout(units, settings):
    """Another transaction holds the roll-up chain lock (the provinsi row): the rebuild fails after
    ``PKK_ROLLUP_LOCK_TIMEOUT_MS`` with nothing written, instead of waiting unbounded."""
    if connection.vendor != "postgresql":
        pytest.skip("lock_timeout is PostgreSQL's; SQLite writers wait at most the busy timeout (OPTIONS timeout)")
    _data(units)
    settings.PKK_ROLLUP_LOCK_TIMEOUT_MS = 300
    holding, release = threading.Event(), threading.Event()
    provinsi = Unit.objects.get(level="provinsi").pk

    def hold() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                list(Unit.objects.select_for_update().filter(pk=provinsi).values_list("pk", flat=True))
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert holding.wait(10)
        started = time.monotonic()
        with pytest.raises(OperationalError, match="lock timeout"):
            rollup.rebuild(None, tahun=TAHUN)
        assert time.monotonic() - started < 5
    finally:
        release.set()
        thread.join()
    assert not RekapTahunan.objects.exists() and not RekapBulanan.objects.exists()
    rollup.rebuild(None, tahun=TAHUN)  # the lock released, the same rebuild goes through
    assert RekapTahunan.objects.exists()
