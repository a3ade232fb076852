"""Issue 10: the admin kabupaten reads the personal-data export log in the app (who, when, what scope, how
many rows), filterable and paged, limited to its own kabupaten."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pkk.models import Level, PersonalDataExportLog, Role, RoleAssignment
from pkk.services import unit_create

pytestmark = pytest.mark.django_db
URL = "/akun/log-ekspor/"


def _log(user, unit, what, rows, channel="web", at=None):
    log = PersonalDataExportLog.objects.create(
        user=user, username=user.username, unit=unit, what=what, row_count=rows, channel=channel
    )
    if at is not None:
        PersonalDataExportLog.objects.filter(pk=log.pk).update(at=at)
    return log


@pytest.fixture
def logs(tree):
    tz = timezone.get_current_timezone()
    _log(tree.kader, tree.mawar, "workbook dasawisma", 12, at=dt.datetime(2025, 3, 2, 9, 0, tzinfo=tz))
    _log(tree.desa, tree.kaliboto, "Lampiran 4.17a 2025", 40, at=dt.datetime(2025, 3, 20, 9, 0, tzinfo=tz))
    _log(
        tree.pembina,
        tree.bener,
        "Ekspor #7 sampai dasawisma 2025",
        300,
        channel="job",
        at=dt.datetime(2025, 4, 1, 9, 0, tzinfo=tz),
    )
    other_kab = unit_create(level=Level.KABUPATEN, name="Kabupaten Magelang", parent=tree.prov, code="33.08")
    admin_mgl = tree.nobody
    RoleAssignment.objects.create(user=admin_mgl, role=Role.ADMIN_KABUPATEN, unit=other_kab)
    _log(admin_mgl, other_kab, "workbook dasawisma", 999)
    return admin_mgl


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_url_name():
    assert reverse("akun:log_ekspor") == URL


def test_admin_reads_its_kabupaten_only(tree, logs):
    r = _client(tree.admin).get(URL)
    html = r.content.decode()
    assert r.status_code == 200
    assert "3 ekspor · 352 baris data" in html
    assert "Lampiran 4.17a 2025 — Desa Kaliboto" in html and "02-03-2025" in html and "Job ekspor" in html
    assert "999" not in html and "Magelang" not in html
    # The other kabupaten's admin sees only its own.
    other = _client(logs).get(URL).content.decode()
    assert "1 ekspor · 999 baris data" in other and "Kaliboto" not in other


@pytest.mark.parametrize("params, expect", [
    ({"pengguna": "kad"}, "1 ekspor · 12 baris"),
    ({"dari": "2025-03-02", "sampai": "2025-03-20"}, "2 ekspor · 52 baris"),
    ({"sampai": "2025-03-01"}, "0 ekspor · 0 baris"),
    ({"jenis": "job"}, "1 ekspor · 300 baris"),
    ({"jenis": "workbook"}, "1 ekspor · 12 baris"),
    ({"saluran": "web"}, "2 ekspor · 52 baris"),
])  # fmt: skip
def test_filters(tree, logs, params, expect):
    assert expect in _client(tree.admin).get(URL, params).content.decode()


def test_bad_filter_says_so_in_indonesian(tree, logs):
    html = _client(tree.admin).get(URL, {"dari": "2025-04-01", "sampai": "2025-03-01"}).content.decode()
    assert "Sampai tanggal tidak boleh sebelum dari tanggal" in html and "0 ekspor" in html


def test_paged(tree, django_assert_max_num_queries):
    for i in range(60):
        _log(tree.kader, tree.mawar, "workbook dasawisma", i)
    c = _client(tree.admin)
    with django_assert_max_num_queries(12):
        first = c.get(URL).content.decode()
    assert "Halaman 1 dari 2" in first and first.count('class="list-group-item"') == 50
    second = c.get(URL, {"page": 2}).content.decode()
    assert second.count('class="list-group-item"') == 10


def test_scope(tree, logs):
    for persona in ("desa", "pembina", "kader", "ketua_rt"):
        assert _client(getattr(tree, persona)).get(URL).status_code == 403, persona
    r = Client().get(URL)
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")
    assert "btn-log-ekspor" in _client(tree.admin).get(reverse("akun:list")).content.decode()
    assert "btn-log-ekspor" not in _client(tree.desa).get(reverse("akun:list")).content.decode()
