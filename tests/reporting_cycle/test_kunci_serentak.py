"""Issue 10, people's work: the admin kabupaten locks a period for a whole kecamatan or the kabupaten at
once (one transaction through the per-desa lock service, recorded)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting.bulk_lock import bulk_lock_plan, periode_bulk_lock
from reporting.models import JenisLaporan, KunciPeriode, KunciRiwayat, Laporan

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(tree):
    from django.test import Client

    def make(user_or_persona):
        c = Client()
        c.force_login(getattr(tree, user_or_persona) if isinstance(user_or_persona, str) else user_or_persona)
        return c

    return make


MARET = dt.date(2025, 3, 1)
TODAY = dt.date(2025, 6, 10)


def _waiting(tree, dasawisma):
    return Laporan.objects.create(
        unit=dasawisma, jenis=JenisLaporan.BUKU_III, periode=MARET, submitted_at=timezone.now(), submitted_by=tree.kader
    )


def test_kabupaten_lock_locks_every_desa_in_one_go_and_records_it(tree):
    periode_bulk_lock(unit=tree.kab, jenis="buku3", periode=MARET, actor=tree.admin, today=TODAY)
    locked = set(KunciPeriode.objects.filter(jenis="buku3", periode=MARET).values_list("unit_id", flat=True))
    assert locked == {tree.kaliboto.pk, tree.kedungpucang.pk, tree.harjobinangun.pk}
    rows = KunciRiwayat.objects.filter(aksi="kunci")
    assert rows.count() == 3 and {r.alasan for r in rows} == {"Kunci serentak Kabupaten Purworejo"}
    assert {r.actor for r in rows} == {tree.admin}
    # Again: every desa is already locked, nothing new (no error, no duplicate).
    plan = periode_bulk_lock(unit=tree.kab, jenis="buku3", periode=MARET, actor=tree.admin, today=TODAY)
    assert (len(plan.siap), len(plan.sudah)) == (0, 3) and KunciRiwayat.objects.count() == 3


def test_a_desa_not_ready_stops_everything_naming_it(tree):
    _waiting(tree, tree.kenanga)
    with pytest.raises(ValidationError) as exc:
        periode_bulk_lock(unit=tree.bener, jenis="buku3", periode=MARET, actor=tree.admin, today=TODAY)
    msg = exc.value.messages[0]
    assert "Desa Kedungpucang (1 laporan menunggu verifikasi)" in msg and "Tidak ada yang dikunci" in msg
    assert not KunciPeriode.objects.exists() and not KunciRiwayat.objects.exists()  # all or nothing
    plan = periode_bulk_lock(
        unit=tree.bener, jenis="buku3", periode=MARET, actor=tree.admin, lewati_tertahan=True, today=TODAY
    )
    assert [d.pk for d in plan.siap] == [tree.kaliboto.pk] and [d.pk for d, _ in plan.tertahan] == [
        tree.kedungpucang.pk
    ]
    assert set(KunciPeriode.objects.values_list("unit_id", flat=True)) == {tree.kaliboto.pk}  # Bener only


def test_refusals(tree):
    with pytest.raises(ValidationError):  # not ended yet
        periode_bulk_lock(unit=tree.kab, jenis="buku3", periode=dt.date(2025, 6, 1), actor=tree.admin, today=TODAY)
    with pytest.raises(ValidationError):  # a desa is not a bulk unit
        periode_bulk_lock(unit=tree.kaliboto, jenis="buku3", periode=MARET, actor=tree.admin, today=TODAY)
    with pytest.raises(PermissionDenied):  # pembina does not lock
        periode_bulk_lock(unit=tree.bener, jenis="buku3", periode=MARET, actor=tree.pembina, today=TODAY)
    assert not KunciPeriode.objects.exists()


def test_plan_is_three_queries(tree, django_assert_num_queries):
    _waiting(tree, tree.mawar)
    with django_assert_num_queries(3):
        plan = bulk_lock_plan(unit=tree.kab, jenis="buku3", periode=MARET)
    assert len(plan.siap) == 2 and len(plan.tertahan) == 1


def test_page_and_scope(tree, client_as):
    url = reverse("reporting:kunci_serentak", kwargs={"unit_id": tree.bener.pk})
    admin = client_as("admin")
    r = admin.get(url, {"jenis": "buku3", "bulan": "2025-03"})
    html = r.content.decode()
    assert r.status_code == 200 and 'id="rencana-serentak"' in html and "Siap dikunci: <strong>2</strong>" in html
    assert 'data-confirm="Kunci Buku III Maret 2025 untuk 2 desa' in html and "<noscript>" in html
    r = admin.post(url, {"jenis": "buku3", "bulan": "2025-03"})
    assert r.status_code == 302 and KunciPeriode.objects.count() == 2
    r = admin.get(reverse("reporting:kunci_serentak", kwargs={"unit_id": tree.kab.pk}))
    assert r.status_code == 200 and "Kecamatan Grabag" in r.content.decode()
    r = admin.post(url, {"jenis": "buku3", "bulan": ""})
    assert r.status_code == 200 and "Bulan: pilih bulan" in r.content.decode()
    # a desa (or below) leads to its kecamatan; other roles 403, anonymous to login
    r = admin.get(reverse("reporting:kunci_serentak", kwargs={"unit_id": tree.mawar.pk}))
    assert r.status_code == 302 and r["Location"] == url
    assert admin.get(reverse("reporting:kunci_serentak", kwargs={"unit_id": tree.prov.pk})).status_code == 404
    for persona in ("pembina", "desa", "kader"):
        assert client_as(persona).get(url).status_code == 403, persona
        assert client_as(persona).post(url, {"jenis": "buku3", "bulan": "2025-03"}).status_code == 403, persona
    from django.test import Client

    assert Client().get(url)["Location"].startswith("/masuk/")


def test_outsider_admin_gets_404(tree, client_as, django_user_model):
    from pkk.models import Level, Role, RoleAssignment
    from pkk.services import unit_create

    other_kab = unit_create(level=Level.KABUPATEN, name="Kabupaten Magelang", parent=tree.prov, code="33.08")
    outsider = django_user_model.objects.create_user("admin.magelang", password="x-uji-12345")
    RoleAssignment.objects.create(user=outsider, role=Role.ADMIN_KABUPATEN, unit=other_kab)
    c = client_as(outsider)
    url = reverse("reporting:kunci_serentak", kwargs={"unit_id": tree.bener.pk})
    assert c.get(url).status_code == 404
    assert c.post(url, {"jenis": "buku3", "bulan": "2025-03"}).status_code == 404
    assert not KunciPeriode.objects.exists()
