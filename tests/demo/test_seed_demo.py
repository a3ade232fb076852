import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F as models_F

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
from dasawisma.validators import nik_warnings
from demo.generator import generate
from demo.wilayah import FIXTURE, load_fixture
from pkk.models import Level, Role, RoleAssignment, Unit

TODAY = dt.date(2026, 11, 24)


def _seed(households=120, seed=7, **kw):
    out = StringIO()
    call_command("seed_demo", households=households, seed=seed, today=TODAY, no_rebuild=True, stdout=out, **kw)
    return out.getvalue()


def _snapshot():
    return list(
        Warga.objects.order_by("no_registrasi").values_list(
            "nama", "nik", "no_kk", "tanggal_lahir", "jenis_kelamin", "status_dalam_keluarga", "tanggal_meninggal"
        )
    )


def test_fixture_codes_are_official():
    import csv

    from pkk.wilayah_import import DEFAULT_FILE, open_csv

    with open_csv(DEFAULT_FILE) as fh:  # the repository's own copy of the official list
        official = {r["code"]: (r["name"], r["level"]) for r in csv.DictReader(fh)}
    rows = json.loads(FIXTURE.read_text(encoding="utf-8"))["units"]
    assert {r["name"] for r in rows if r["level"] == "kecamatan"} >= {"Bener"}
    for r in rows:
        assert official[r["code"]] == (r["name"], r["level"]), r
    names = {r["name"] for r in rows if r["code"].startswith("33.06.16.")}
    assert {"Kaliboto", "Kedungpucang"} <= names


@pytest.mark.django_db
def test_fixture_load_is_idempotent():
    first = load_fixture()
    n = Unit.objects.count()
    second = load_fixture()
    assert Unit.objects.count() == n == len(first)
    assert {c: u.pk for c, u in first.items()} == {c: u.pk for c, u in second.items()}
    assert first["33.06.06.1017"].kind == "kelurahan"
    assert first["33.06.16.2006"].parent == first["33.06.16"]


@pytest.mark.django_db(transaction=True)
def test_same_seed_gives_same_data():
    _seed(seed=11)
    a = _snapshot()
    call_command("flush", interactive=False, verbosity=0)
    _seed(seed=11)
    b = _snapshot()
    assert a == b
    assert len(a) > 300
    call_command("flush", interactive=False, verbosity=0)
    _seed(seed=12)
    assert _snapshot() != a


@pytest.mark.django_db
def test_counts_structure_and_accounts():
    out = _seed(households=240)
    assert RumahTangga.objects.count() == 240
    n_warga = Warga.objects.count()
    assert 240 * 3.0 <= n_warga <= 240 * 4.2
    # every rumah tangga has a kepala who belongs to it, every keluarga a 16-digit No. KK
    assert not RumahTangga.objects.filter(kepala__isnull=True).exists()
    assert all(rt.kepala.rumah_tangga_id == rt.pk for rt in RumahTangga.objects.select_related("kepala"))
    assert all(len(k) == 16 and k.isdigit() for k in Keluarga.objects.values_list("no_kk", flat=True))
    assert Warga.objects.filter(no_kk__isnull=False).count() == n_warga
    # dasawisma of 10-20 rumah tangga (a desa's last one may be smaller)
    from django.db.models import Count

    sizes = [d["n"] for d in RumahTangga.objects.values("dasawisma").annotate(n=Count("id"))]
    assert max(sizes) <= 20 and sum(1 for s in sizes if s < 10) <= 12
    # units: paths filled, some desa with dusun, some without
    assert not Unit.objects.filter(path="").exists()
    desa = Unit.objects.filter(level=Level.DESA)
    with_dusun = [d for d in desa if d.children.filter(level=Level.DUSUN).exists()]
    assert 0 < len(with_dusun) < desa.count()
    # NIK: 16 digits, unique, consistent for most, a few mismatches
    niks = list(Warga.objects.exclude(nik=None).values_list("nik", "tanggal_lahir", "jenis_kelamin"))
    assert all(len(n) == 16 and n.isdigit() for n, _, _ in niks)
    bad = sum(1 for n, b, s in niks if nik_warnings(n, b, s))
    assert 0 <= bad < len(niks) * 0.03
    # pregnancies: ongoing and ended, live births add the baby with its mother
    assert Kehamilan.objects.filter(tanggal_selesai__isnull=True).exists()
    lahir = Kehamilan.objects.filter(hasil="lahir_hidup").select_related("warga")
    assert lahir.exists()
    for k in lahir:
        assert k.warga.jenis_kelamin == "P"
        assert Warga.objects.filter(ibu=k.warga, tanggal_lahir=k.tanggal_selesai).exists()
    assert Warga.objects.filter(tanggal_meninggal__isnull=False).exists()
    # registrasi unique and shaped desa digits + year + sequence
    reg = Warga.objects.select_related("dasawisma").first().no_registrasi
    assert reg[:4] == "3306" and len(reg) >= 19
    # accounts
    for username in (
        "admin.purworejo",
        "pembina.bener",
        "desa.kaliboto",
        "kader.kaliboto",
        "kader.kedungpucang",
        "pembina.grabag",
        "desa.kedungpucang",
    ):
        assert username in out
        assert get_user_model().objects.get(username=username).check_password("pkk-demo-2026")
    roles = {ra.user.username: ra for ra in RoleAssignment.objects.select_related("user", "unit")}
    assert (roles["admin.purworejo"].role, roles["admin.purworejo"].unit.code) == (Role.ADMIN_KABUPATEN, "33.06")
    assert (roles["pembina.bener"].role, roles["pembina.bener"].unit.code) == (Role.PEMBINA_KECAMATAN, "33.06.16")
    assert (roles["desa.kaliboto"].role, roles["desa.kaliboto"].unit.name) == (Role.TP_PKK_DESA, "Kaliboto")
    kaliboto = Unit.objects.get(code="33.06.16.2006")
    kedungpucang = Unit.objects.get(code="33.06.16.2004")
    kk = roles["kader.kaliboto"]
    assert kk.role == Role.KADER and kk.unit.level == Level.DASAWISMA and kk.unit.is_within(kaliboto)
    assert RumahTangga.objects.filter(dasawisma=kk.unit).exists()
    kp = roles["kader.kedungpucang"]
    assert kp.role == Role.KADER and kp.unit.is_within(kedungpucang)
    # outsiders of each role
    assert (roles["pembina.grabag"].role, roles["pembina.grabag"].unit.code) == (Role.PEMBINA_KECAMATAN, "33.06.01")
    dk = roles["desa.kedungpucang"]
    assert (dk.role, dk.unit.code) == (Role.TP_PKK_DESA, "33.06.16.2004")


@pytest.mark.django_db
def test_rerun_changes_nothing():
    _seed(households=60)
    n = Warga.objects.count(), Unit.objects.count()
    out = _seed(households=60)
    assert "sudah ada" in out
    assert (Warga.objects.count(), Unit.objects.count()) == n


@pytest.mark.django_db
def test_refuses_when_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _seed(households=20)
    assert not Warga.objects.exists()
    _seed(households=20, force=True)
    assert Warga.objects.exists()


@pytest.mark.django_db
def test_generate_next_to_existing_data(tree):
    """The generator reserves ids and numbers above what exists (here the test tree's units)."""
    desa = [tree.kaliboto, tree.kedungpucang]
    res = generate(desa_units=desa, households_per_desa=15, seed=3, today=TODAY)
    assert res.counts["rumahtangga"] == 30
    assert set(res.dasawisma_by_desa) == {tree.kaliboto.pk, tree.kedungpucang.pk}
    before = Warga.objects.count()
    generate(desa_units=desa, households_per_desa=15, seed=3, today=TODAY)
    assert Warga.objects.count() > before
    assert Warga.objects.values("nik").exclude(nik=None).distinct().count() == Warga.objects.exclude(nik=None).count()


@pytest.mark.django_db
def test_generate_trusting_foreign_keys_writes_consistent_rows(tree):
    """The benchmark's fast path (COPY, FK triggers off on PostgreSQL) still writes rows that join."""
    res = generate(desa_units=[tree.kaliboto], households_per_desa=25, seed=9, today=TODAY, trust_foreign_keys=True)
    assert res.counts["rumahtangga"] == 25
    assert Warga.objects.filter(rumah_tangga__dasawisma=models_F("dasawisma")).count() == Warga.objects.count() > 0
    assert Kehamilan.objects.exclude(warga__jenis_kelamin="P").count() == 0
    assert all(
        rt.kepala is not None and rt.kepala.rumah_tangga_id == rt.pk
        for rt in RumahTangga.objects.select_related("kepala")
    )
    dw_ids = set(Unit.objects.filter(level=Level.DASAWISMA).values_list("pk", flat=True))
    assert set(Warga.objects.values_list("dasawisma_id", flat=True)) <= dw_ids


@pytest.mark.django_db
def test_demo_submissions_fill_the_dashboards():
    """seed_demo adds Buku III submissions for the months before the current one, mostly on time and
    accepted, so completeness pages show real figures; a second run adds nothing."""
    from reporting.models import Laporan

    _seed(households=120)
    # Issue 10: desa reports go up to the kecamatan and kecamatan reports to the kabupaten too.
    tiers = Laporan.objects.exclude(unit__level=Level.DASAWISMA)
    assert tiers.filter(unit__level=Level.DESA, status=Laporan.Status.DITERIMA).exists()
    assert set(tiers.values_list("unit__level", flat=True)) <= {Level.DESA, Level.KECAMATAN}
    laporan = Laporan.objects.filter(unit__level=Level.DASAWISMA)
    months = {p for p in laporan.values_list("periode", flat=True)}
    assert laporan.exists() and all(p.day == 1 for p in months)
    n_dasawisma = Unit.objects.filter(level=Level.DASAWISMA, is_active=True).count()
    per_month = laporan.count() / len(months)
    assert 0.6 * n_dasawisma <= per_month <= n_dasawisma
    assert laporan.filter(terlambat=True).exists() and laporan.filter(terlambat=False).exists()
    assert laporan.filter(status=Laporan.Status.DITERIMA).exists()
    assert not laporan.filter(status=Laporan.Status.DIKEMBALIKAN, alasan="").exists()
    assert max(months) == dt.date(2026, 10, 1) and min(months) == dt.date(2026, 1, 1)  # TODAY is in November
    n = Laporan.objects.count()
    call_command("seed_demo_laporan", "--force", stdout=StringIO())
    assert Laporan.objects.count() == n
