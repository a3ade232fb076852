"""The reporting chain tier by tier (issue 10, DOMAIN.md sections 2 and 6): dasawisma -> desa ->
kecamatan -> kabupaten, with returns, reopening and the freeze of the tiers below a submitted report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import Laporan, LaporanRiwayat
from reporting.selectors_cycle import kelengkapan
from reporting.services import (
    laporan_accept,
    laporan_accept_many,
    laporan_reopen,
    laporan_return,
    laporan_submit,
)

from .conftest import at

pytestmark = pytest.mark.django_db

MAR = dt.date(2025, 3, 1)
B3 = "buku3"


def submit(unit, user, when):
    return laporan_submit(unit=unit, jenis=B3, periode=MAR, actor=user, now=when)


def test_the_whole_chain_with_a_return_and_a_reopened_dasawisma_report(tree):
    mawar = submit(tree.mawar, tree.kader, at(2025, 4, 2))
    # The desa cannot go up while one of its dasawisma reports waits for it.
    with pytest.raises(ValidationError, match="1 laporan dasawisma Buku III Maret 2025 masih menunggu"):
        submit(tree.kaliboto, tree.desa, at(2025, 4, 7))
    laporan_accept(laporan=mawar, actor=tree.desa)
    desa = submit(tree.kaliboto, tree.desa, at(2025, 4, 8))  # desa deadline: the 10th
    assert desa.unit == tree.kaliboto and desa.status == "diajukan" and not desa.terlambat
    # The tier below is frozen while the desa report is up: no submission, no review.
    with pytest.raises(ValidationError, match="sudah diajukan di tingkat atasnya"):
        submit(tree.melati, tree.kader_melati, at(2025, 4, 9))
    with pytest.raises(ValidationError, match="sudah diajukan di tingkat atasnya"):
        laporan_reopen(laporan=mawar, alasan="Koreksi", actor=tree.desa)
    # Only the pembina of the kecamatan reviews the desa report; the desa does not review its own.
    for persona in ("desa", "pembina_grabag", "admin", "ketua_rt"):
        with pytest.raises(PermissionDenied):
            laporan_accept(laporan=desa, actor=getattr(tree, persona))
    with pytest.raises(ValidationError, match="Alasan pengembalian wajib diisi"):
        laporan_return(laporan=desa, alasan=" ", actor=tree.pembina)
    laporan_return(laporan=desa, alasan="Ibu hamil Dasawisma Mawar belum sesuai posyandu", actor=tree.pembina)
    desa.refresh_from_db()
    assert desa.status == "dikembalikan" and desa.alasan.startswith("Ibu hamil")
    # The desa reopens the dasawisma report it needs corrected; the kader submits again.
    with pytest.raises(PermissionDenied):
        laporan_reopen(laporan=mawar, alasan="Koreksi", actor=tree.pembina)
    laporan_reopen(laporan=mawar, alasan="Sesuaikan dengan data posyandu", actor=tree.desa)
    mawar.refresh_from_db()
    assert mawar.status == "dikembalikan" and mawar.alasan == "Sesuaikan dengan data posyandu"
    again = submit(tree.mawar, tree.kader, at(2025, 4, 12))
    assert again.pk == mawar.pk and not again.terlambat  # the first submission fixed the timeliness
    laporan_accept(laporan=again, actor=tree.desa)
    resubmitted = submit(tree.kaliboto, tree.desa, at(2025, 4, 14))  # after the 10th: still on time
    assert resubmitted.pk == desa.pk and not resubmitted.terlambat
    laporan_accept(laporan=resubmitted, actor=tree.pembina)
    # The kecamatan goes up; Kedungpucang never submitted, which does not block (it shows as missing).
    kec = submit(tree.bener, tree.pembina, at(2025, 4, 15))
    assert not kec.terlambat  # kecamatan deadline: the 15th
    with pytest.raises(PermissionDenied):
        laporan_accept(laporan=kec, actor=tree.pembina)
    laporan_accept(laporan=kec, actor=tree.admin)
    kec.refresh_from_db()
    assert kec.status == "diterima" and kec.reviewed_by == tree.admin
    # Now the desa report is frozen too.
    with pytest.raises(ValidationError, match="tingkat atasnya"):
        submit(tree.kedungpucang, tree.desa_kp, at(2025, 4, 20))
    assert list(LaporanRiwayat.objects.filter(laporan=mawar).order_by("id").values_list("aksi", flat=True)) == [
        "ajukan", "terima", "buka", "ajukan", "terima",
    ]  # fmt: skip
    assert list(LaporanRiwayat.objects.filter(laporan=desa).order_by("id").values_list("aksi", flat=True)) == [
        "ajukan", "kembalikan", "ajukan", "terima",
    ]  # fmt: skip


def test_who_submits_for_each_tier_and_when(tree):
    for unit, persona in ((tree.kaliboto, "kader"), (tree.kaliboto, "pembina"), (tree.bener, "desa"),
                          (tree.bener, "admin"), (tree.kab, "admin")):  # fmt: skip
        with pytest.raises((PermissionDenied, ValidationError)):
            submit(unit, getattr(tree, persona), at(2025, 4, 2))
    with pytest.raises(ValidationError, match="belum berakhir"):
        laporan_submit(unit=tree.kaliboto, jenis=B3, periode=dt.date(2025, 4, 1), actor=tree.desa, now=at(2025, 4, 30))
    late = submit(tree.kaliboto, tree.desa, at(2025, 4, 11))
    assert late.terlambat
    # The kecamatan waits for its desa reports before it goes up.
    with pytest.raises(ValidationError, match="1 laporan desa Buku III Maret 2025 masih menunggu"):
        submit(tree.bener, tree.pembina, at(2025, 4, 12))


def test_pembina_inbox_holds_desa_reports_and_bulk_accept_stays(tree):
    from reporting.selectors_cycle import label_places, laporan_inbox

    a = submit(tree.kaliboto, tree.desa, at(2025, 4, 8))
    b = submit(tree.kedungpucang, tree.desa_kp, at(2025, 4, 8))
    submit(tree.dahlia, tree.kader_grabag, at(2025, 4, 2))  # a dasawisma report: for the desa, not a pembina
    inbox = list(laporan_inbox(tree.pembina))
    assert {lap.unit.name for lap in inbox} == {"Kaliboto", "Kedungpucang"}
    label_places(inbox)
    assert {lap.tempat for lap in inbox} == {"Kecamatan Bener"}
    assert list(laporan_inbox(tree.pembina, wilayah=tree.kedungpucang)) == [b]
    assert list(laporan_inbox(tree.pembina_grabag)) == []
    assert laporan_accept_many(laporan_ids=[a.pk, b.pk], actor=tree.pembina_grabag) == 0
    assert laporan_accept_many(laporan_ids=[a.pk, b.pk], actor=tree.pembina) == 2
    assert set(Laporan.objects.filter(unit__level="desa").values_list("status", flat=True)) == {"diterima"}
    # The admin kabupaten's inbox holds kecamatan reports only.
    submit(tree.bener, tree.pembina, at(2025, 4, 14))
    assert [lap.unit.name for lap in laporan_inbox(tree.admin)] == ["Bener"]


def test_completeness_drills_down_tier_by_tier(tree):
    """Kaliboto: 3 dasawisma, Mawar submitted; the desa report is accepted. Kedungpucang: nothing.
    Bener: desa 1 of 2; its own report submitted. Kabupaten: Bener's own report, desa 1 of 3."""
    laporan_accept(laporan=submit(tree.mawar, tree.kader, at(2025, 4, 2)), actor=tree.desa)
    laporan_accept(laporan=submit(tree.kaliboto, tree.desa, at(2025, 4, 8)), actor=tree.pembina)
    submit(tree.bener, tree.pembina, at(2025, 4, 16))  # late: after the 15th
    total, rows = kelengkapan(tree.bener, B3, MAR)
    by = {r.unit.name: r for r in rows}
    assert by["Kaliboto"].own_status == "diterima" and (by["Kaliboto"].terdaftar, by["Kaliboto"].diajukan) == (3, 1)
    assert by["Kedungpucang"].laporan is None and by["Kedungpucang"].terdaftar == 1
    assert (total.desa_terdaftar, total.desa_diajukan, total.desa_tepat, total.desa_pct) == (2, 1, 1, 50.0)
    assert total.laporan.status == "diajukan" and total.laporan.terlambat
    kab_total, kab_rows = kelengkapan(tree.kab, B3, MAR)
    bener = next(r for r in kab_rows if r.unit.name == "Bener")
    assert bener.own_status == "diajukan" and (bener.desa_terdaftar, bener.desa_diajukan) == (2, 1)
    assert (kab_total.desa_terdaftar, kab_total.desa_diajukan) == (3, 1)
    assert (kab_total.terdaftar, kab_total.diajukan) == (5, 1)


def test_the_desa_dashboard_offers_its_own_report_of_the_last_finished_month(tree, client):
    from django.urls import reverse
    from django.utils import timezone

    from reporting.periods import periode_label, previous_month

    last = previous_month(timezone.localdate())
    client.force_login(tree.desa)
    html = client.get("/").content.decode()
    assert f"Ajukan laporan desa/kelurahan {periode_label(B3, last)}" in html
    resp = client.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.kaliboto.pk}),
        {"jenis": B3, "periode": f"{last:%Y-%m}", "next": "/"},
    )
    assert resp.status_code == 302 and resp["Location"] == "/"
    assert Laporan.objects.get(unit=tree.kaliboto).periode == last
    assert "Menunggu verifikasi" in client.get("/").content.decode() or "Diajukan" in client.get("/").content.decode()
    # The pembina sees it in its inbox; a kader cannot submit for the desa.
    assert "Desa Kaliboto" in _inbox(tree.pembina)
    kader = type(client)()
    kader.force_login(tree.kader)
    resp = kader.post(
        reverse("reporting:laporan_ajukan", kwargs={"unit_id": tree.kaliboto.pk}), {"jenis": B3, "periode": "2025-03"}
    )
    assert resp.status_code in (403, 404)


def _inbox(user):
    from django.test import Client
    from django.urls import reverse

    c = Client()
    c.force_login(user)
    return c.get(reverse("reporting:verifikasi")).content.decode()


def test_completeness_period_picker_is_month_and_year_selects(tree, client):
    from django.urls import reverse

    client.force_login(tree.desa)
    base = reverse("reporting:kelengkapan_unit", kwargs={"unit_id": tree.kaliboto.pk})
    monthly = reverse("reporting:kelengkapan_bulanan", kwargs={"unit_id": tree.kaliboto.pk, "bulan": "2025-03"})
    assert client.get(base, {"bln": "3", "thn": "2025"})["Location"] == monthly
    yearly = reverse("reporting:kelengkapan_tahunan", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2024})
    assert client.get(base, {"thn": "2024"})["Location"] == yearly
    assert client.get(base, {"bln": "13", "thn": "2025"})["Location"] != monthly  # falls back to the default
    html = client.get(monthly).content.decode()
    assert '<select name="bln"' in html and '<option value="3" selected>Maret</option>' in html
    assert '<option value="2025" selected>2025</option>' in html and 'type="month"' not in html
