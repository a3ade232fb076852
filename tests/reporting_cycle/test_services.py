import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import KunciPeriode, KunciRiwayat, Laporan, LaporanRiwayat
from reporting.selectors_cycle import kelengkapan, periode_is_locked
from reporting.services import (
    laporan_accept,
    laporan_accept_many,
    laporan_return,
    laporan_submit,
    periode_lock,
    periode_unlock,
)

from .conftest import at

pytestmark = pytest.mark.django_db

MAR = dt.date(2025, 3, 1)
B3 = "buku3"


def submit(tree, unit, user, when=None, periode=MAR, jenis=B3):
    when = when or at(2025, 4, 2)
    return laporan_submit(dasawisma=unit, jenis=jenis, periode=periode, actor=user, now=when)


def test_submit_on_time_and_late_by_deadline_setting(tree, settings):
    on_time = submit(tree, tree.mawar, tree.kader, when=at(2025, 4, 5, 23))
    assert on_time.status == Laporan.Status.DIAJUKAN and not on_time.terlambat
    late = submit(tree, tree.melati, tree.kader_melati, when=at(2025, 4, 6, 0))
    assert late.terlambat
    settings.PKK_DEADLINE_DAY = 10
    from tests.builders import make_user

    anggrek_kader = make_user("kader_anggrek", "kader", tree.anggrek)
    assert not submit(tree, tree.anggrek, anggrek_kader, when=at(2025, 4, 9)).terlambat
    assert LaporanRiwayat.objects.filter(aksi="ajukan").count() == 3


def test_buku2_deadline_is_january_of_next_year(tree):
    lap = submit(tree, tree.mawar, tree.kader, jenis="buku2", periode=2024, when=at(2025, 1, 5))
    assert lap.periode == dt.date(2024, 1, 1) and not lap.terlambat
    lap2 = submit(tree, tree.melati, tree.kader_melati, jenis="buku2", periode=dt.date(2024, 6, 1), when=at(2025, 1, 6))
    assert lap2.periode == dt.date(2024, 1, 1) and lap2.terlambat


def test_only_the_kader_of_the_dasawisma_submits_and_not_twice(tree):
    with pytest.raises(PermissionDenied):
        submit(tree, tree.mawar, tree.kader_melati)
    with pytest.raises(PermissionDenied):
        submit(tree, tree.mawar, tree.desa)
    submit(tree, tree.mawar, tree.kader)
    with pytest.raises(ValidationError, match="menunggu verifikasi"):
        submit(tree, tree.mawar, tree.kader)
    with pytest.raises(ValidationError, match="belum berakhir"):
        submit(tree, tree.mawar, tree.kader, periode=dt.date(2025, 5, 1), when=at(2025, 4, 30))
    # Issue 10: the running month cannot be submitted before it ends either.
    with pytest.raises(ValidationError, match="belum berakhir"):
        submit(tree, tree.mawar, tree.kader, periode=dt.date(2025, 4, 1), when=at(2025, 4, 30, 23))


def test_return_needs_reason_and_resubmission_keeps_first_timeliness(tree):
    lap = submit(tree, tree.mawar, tree.kader, when=at(2025, 4, 3))
    with pytest.raises(ValidationError) as exc:
        laporan_return(laporan=lap, alasan="  ", actor=tree.ketua_rt)
    assert exc.value.message_dict["alasan"] == ["Alasan pengembalian wajib diisi."]
    laporan_return(laporan=lap, alasan="Jumlah ibu hamil belum diperbarui", actor=tree.ketua_rt)
    lap.refresh_from_db()
    assert lap.status == "dikembalikan" and lap.alasan.startswith("Jumlah")
    again = submit(tree, tree.mawar, tree.kader, when=at(2025, 4, 20))
    assert again.pk == lap.pk and again.status == "diajukan" and not again.terlambat
    laporan_accept(laporan=again, actor=tree.desa)  # issue 10: the desa decides on dasawisma reports
    again.refresh_from_db()
    assert again.status == "diterima" and again.reviewed_by == tree.desa
    with pytest.raises(ValidationError, match="sudah diterima"):
        submit(tree, tree.mawar, tree.kader)
    assert list(LaporanRiwayat.objects.filter(laporan=lap).order_by("id").values_list("aksi", flat=True)) == [
        "ajukan", "kembalikan", "ajukan", "terima",
    ]  # fmt: skip


# Issue 10: the pembina reviews desa reports, no longer dasawisma reports.
@pytest.mark.parametrize(
    "persona", ["kader", "kader_melati", "admin", "pembina", "pembina_grabag", "desa_kp", "nobody"]
)
def test_who_may_not_review(tree, persona):
    lap = submit(tree, tree.mawar, tree.kader)
    with pytest.raises(PermissionDenied):
        laporan_accept(laporan=lap, actor=getattr(tree, persona))
    with pytest.raises(PermissionDenied):
        laporan_return(laporan=lap, alasan="x", actor=getattr(tree, persona))


def test_the_desa_accepts_and_a_ketua_kelompok_verifies_first(tree):
    lap = submit(tree, tree.mawar, tree.kader)
    verified = laporan_accept(laporan=lap, actor=tree.ketua_rt)
    assert verified.status == "diajukan" and verified.verified_by == tree.ketua_rt
    with pytest.raises(ValidationError, match="sudah diverifikasi"):
        laporan_accept(laporan=lap, actor=tree.ketua_rt)
    assert laporan_accept(laporan=lap, actor=tree.desa).status == "diterima"
    # Without a ketua kelompok the desa accepts directly.
    other = submit(tree, tree.anggrek, __import__("tests.builders").builders.make_user("k_a", "kader", tree.anggrek))
    assert laporan_accept(laporan=other, actor=tree.desa).status == "diterima"
    assert list(LaporanRiwayat.objects.filter(laporan=lap).order_by("id").values_list("aksi", flat=True)) == [
        "ajukan", "verifikasi", "terima",
    ]  # fmt: skip


def test_bulk_accept_only_in_reviewer_scope(tree):
    a = submit(tree, tree.mawar, tree.kader)
    b = submit(tree, tree.melati, tree.kader_melati)
    c = submit(tree, tree.kenanga, tree.kader_kp)  # Kedungpucang: outside Kaliboto
    n = laporan_accept_many(laporan_ids=[a.pk, b.pk, c.pk], actor=tree.desa)
    assert n == 2
    assert dict(Laporan.objects.values_list("pk", "status")) == {a.pk: "diterima", b.pk: "diterima", c.pk: "diajukan"}
    assert LaporanRiwayat.objects.filter(aksi="terima").count() == 2
    assert laporan_accept_many(laporan_ids=[a.pk], actor=tree.desa) == 0  # already accepted
    # A ketua kelompok's bulk acceptance verifies (the desa still decides).
    c2 = submit(tree, tree.kenanga, tree.kader_kp, periode=dt.date(2025, 2, 1))
    assert laporan_accept_many(laporan_ids=[c2.pk], actor=tree.ketua_rt) == 0  # outside its RT
    d = submit(tree, tree.mawar, tree.kader, periode=dt.date(2025, 2, 1))
    assert laporan_accept_many(laporan_ids=[d.pk], actor=tree.ketua_rt) == 1
    d.refresh_from_db()
    assert d.status == "diajukan" and d.verified_by == tree.ketua_rt


def test_lock_requires_everything_accepted_then_blocks_submission(tree):
    a = submit(tree, tree.mawar, tree.kader)
    with pytest.raises(ValidationError, match="1 laporan masih menunggu verifikasi"):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    laporan_return(laporan=a, alasan="Data belum lengkap", actor=tree.desa)
    with pytest.raises(ValidationError, match="dikembalikan"):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    submit(tree, tree.mawar, tree.kader)
    laporan_accept(laporan=a, actor=tree.desa)
    # An unsubmitted report of Kedungpucang does not block Kaliboto.
    submit(tree, tree.kenanga, tree.kader_kp)
    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    assert periode_is_locked(tree.melati, B3, MAR)
    assert periode_is_locked(tree.kaliboto, B3, dt.date(2025, 3, 17))
    assert not periode_is_locked(tree.kenanga, B3, MAR)
    assert not periode_is_locked(tree.melati, B3, dt.date(2025, 4, 1))
    assert not periode_is_locked(tree.melati, "buku2", 2025)
    with pytest.raises(ValidationError, match="sudah dikunci"):
        submit(tree, tree.melati, tree.kader_melati)
    with pytest.raises(ValidationError, match="sudah dikunci"):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    assert KunciRiwayat.objects.filter(aksi="kunci").count() == 1


def test_lock_only_by_desa_and_only_ended_periods(tree, today):
    with pytest.raises(PermissionDenied):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.pembina)
    with pytest.raises(PermissionDenied):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa_kp)
    with pytest.raises(ValidationError, match="tingkat desa"):
        periode_lock(unit=tree.rt1, jenis=B3, periode=MAR, actor=tree.desa)
    with pytest.raises(ValidationError, match="belum berakhir"):
        periode_lock(unit=tree.kaliboto, jenis=B3, periode=today, actor=tree.desa)


def test_unlock_by_kecamatan_or_kabupaten_with_reason(tree):
    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    for persona in ("desa", "ketua_rt", "pembina_grabag", "kader"):
        with pytest.raises(PermissionDenied):
            periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="x", actor=getattr(tree, persona))
    with pytest.raises(ValidationError) as exc:
        periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="", actor=tree.pembina)
    assert exc.value.message_dict["alasan"] == ["Alasan membuka kunci wajib diisi."]
    periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="Revisi data kelahiran", actor=tree.pembina)
    assert not periode_is_locked(tree.mawar, B3, MAR)
    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="Koreksi", actor=tree.admin)
    with pytest.raises(ValidationError, match="tidak sedang dikunci"):
        periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="Koreksi", actor=tree.admin)
    hist = list(KunciRiwayat.objects.order_by("id").values_list("aksi", "actor__username", "alasan"))
    assert hist == [
        ("kunci", "desa", ""),
        ("buka", "pembina", "Revisi data kelahiran"),
        ("kunci", "desa", ""),
        ("buka", "admin", "Koreksi"),
    ]
    assert not KunciPeriode.objects.exists()


def test_completeness_hand_worked(tree, django_assert_num_queries):
    """Kaliboto has 3 dasawisma (Mawar, Melati, Anggrek). Mawar on time, Melati late, Anggrek nothing:
    Kaliboto 2/3 = 66.7 % complete, 1/3 = 33.3 % on time. Kedungpucang 1 dasawisma, returned -> 0 %.
    Bener = 2/4 = 50 % and 1/4 = 25 %."""
    submit(tree, tree.mawar, tree.kader, when=at(2025, 4, 4))
    submit(tree, tree.melati, tree.kader_melati, when=at(2025, 4, 9))
    kp = submit(tree, tree.kenanga, tree.kader_kp, when=at(2025, 4, 1))
    laporan_return(laporan=kp, alasan="Salah isi", actor=tree.desa_kp)
    submit(tree, tree.dahlia, tree.kader_grabag, jenis="buku2", periode=2024)  # other period: ignored

    # Issue 10: locks (structure as locked), children, dasawisma and desa figures, the tiers' own reports.
    with django_assert_num_queries(5):
        total, rows = kelengkapan(tree.bener, B3, MAR)
    by = {r.unit.name: r for r in rows}
    assert (by["Kaliboto"].terdaftar, by["Kaliboto"].diajukan, by["Kaliboto"].tepat_waktu) == (3, 2, 1)
    assert (by["Kaliboto"].lengkap_pct, by["Kaliboto"].tepat_pct) == (66.7, 33.3)
    assert (by["Kedungpucang"].terdaftar, by["Kedungpucang"].diajukan, by["Kedungpucang"].lengkap_pct) == (1, 0, 0.0)
    assert (total.terdaftar, total.diajukan, total.tepat_waktu) == (4, 2, 1)
    assert (total.lengkap_pct, total.tepat_pct) == (50.0, 25.0)

    # One tier down, and parent = sum of children at every tier.
    total_rt, rows_rt = kelengkapan(tree.rw1, B3, MAR)
    assert [(r.unit.name, r.terdaftar, r.diajukan, r.tepat_waktu) for r in rows_rt] == [
        ("01", 2, 2, 1),
        ("02", 1, 0, 0),
    ]
    total_k, _ = kelengkapan(tree.kaliboto, B3, MAR)
    assert (total_k.terdaftar, total_k.diajukan, total_k.tepat_waktu) == (3, 2, 1) == (
        total_rt.terdaftar, total_rt.diajukan, total_rt.tepat_waktu,
    )  # fmt: skip
    _, leaves = kelengkapan(tree.rt1, B3, MAR)
    assert [(r.unit.name, r.status, r.lengkap_pct) for r in leaves] == [
        ("Mawar", "diajukan", 100.0),
        ("Melati", "diajukan", 100.0),
    ]
    _, kab_rows = kelengkapan(tree.kab, B3, MAR)
    assert [(r.unit.name, r.terdaftar, r.diajukan) for r in kab_rows] == [("Bener", 4, 2), ("Grabag", 1, 0)]


def test_completeness_ignores_inactive_dasawisma(tree):
    from pkk.models import Unit

    submit(tree, tree.mawar, tree.kader)
    Unit.objects.filter(pk=tree.anggrek.pk).update(is_active=False)
    total, _ = kelengkapan(tree.kaliboto, B3, MAR)
    assert (total.terdaftar, total.diajukan, total.lengkap_pct) == (2, 1, 50.0)
    empty_total, _ = kelengkapan(tree.kaliboto, B3, dt.date(2025, 1, 1))
    assert empty_total.lengkap_pct == 0.0


def test_unlock_brings_edits_made_while_locked_into_the_stored_numbers(tree, django_capture_on_commit_callbacks):
    """A birth recorded while March 2025 was locked stays out of the stored numbers until the unlock,
    which recomputes the desa (and its ancestors) for that period."""
    from reporting import rollup
    from reporting.models import RekapBulanan
    from tests.reporting_compute.data import rumah_tangga, warga

    rollup.rebuild(bulan=MAR)
    periode_lock(unit=tree.kaliboto, jenis=B3, periode=MAR, actor=tree.desa)
    rt = rumah_tangga(tree.mawar, "RT-1")
    warga(rt, "3306100101250001", "Bayi Maret", "P", dt.date(2025, 3, 10))
    rollup.rebuild(bulan=MAR)  # the nightly safety net must not touch a locked period
    row = lambda unit: RekapBulanan.objects.get(unit=unit, bulan=MAR)  # noqa: E731
    assert row(tree.kaliboto).bayi_lahir_p == 0
    with django_capture_on_commit_callbacks(execute=True):
        periode_unlock(unit=tree.kaliboto, jenis=B3, periode=MAR, alasan="Data kelahiran terlambat", actor=tree.pembina)
    assert row(tree.mawar).bayi_lahir_p == 1
    assert row(tree.kaliboto).bayi_lahir_p == 1
    assert row(tree.kab).bayi_lahir_p == 1
