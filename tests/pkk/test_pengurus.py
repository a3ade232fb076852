"""TP PKK office holders: each unit's own admin records the names printed under the signature lines."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from pkk.models import PengurusTpPkk

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(unit) -> str:
    return reverse("wilayah:pengurus", kwargs={"unit_id": unit.pk})


@pytest.mark.parametrize("persona,key", [("desa", "kaliboto"), ("pembina", "bener"), ("admin", "kab")])
def test_each_units_admin_records_its_office_holders(tree, persona, key):
    unit = getattr(tree, key)
    client = login(getattr(tree, persona))
    assert client.get(url(unit)).status_code == 200
    response = client.post(url(unit), {"ketua": "  Hj.  Siti   Aminah ", "sekretaris": "Dewi Lestari, S.Pd."})
    assert response.status_code == 302
    saved = PengurusTpPkk.objects.get(unit=unit)
    assert (saved.ketua, saved.sekretaris, saved.updated_by) == (
        "Hj. Siti Aminah",
        "Dewi Lestari, S.Pd.",
        getattr(tree, persona),
    )
    assert 'value="Hj. Siti Aminah"' in client.get(url(unit)).content.decode()


def test_names_go_under_the_signature_lines_of_the_sheet(tree):
    login(tree.desa).post(url(tree.kaliboto), {"ketua": "Hj. Siti Aminah", "sekretaris": "Dewi Lestari"})
    response = login(tree.desa).get(
        reverse("reporting:rekap_tahunan_xlsx", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2025})
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    texts = {c.value for row in ws.iter_rows() for c in row}
    assert {"Ketua TP PKK Desa Kaliboto", "Sekretaris TP PKK Desa Kaliboto", "Hj. Siti Aminah", "Dewi Lestari"} <= texts
    page = (
        login(tree.desa)
        .get(reverse("reporting:rekap_tahunan", kwargs={"unit_id": tree.kaliboto.pk, "tahun": 2025}))
        .content.decode()
    )
    assert "Hj. Siti Aminah" in page and url(tree.kaliboto) in page


@pytest.mark.parametrize(
    "persona,key,status",
    [
        ("desa_kp", "kaliboto", 404),  # another desa's admin: outside scope
        ("pembina_grabag", "bener", 404),  # another kecamatan's pembina
        ("desa", "kab", 404),  # above one's scope
        ("pembina", "kaliboto", 403),  # in scope, but a desa's names are the desa's to record
        ("admin", "bener", 403),
        ("kader", "mawar", 403),  # wrong role
        ("desa", "rw1", 403),  # no TP PKK office holders below a desa
    ],
)
def test_others_may_not(tree, persona, key, status):
    client = login(getattr(tree, persona))
    unit = getattr(tree, key)
    assert client.get(url(unit)).status_code == status
    assert client.post(url(unit), {"ketua": "X", "sekretaris": "Y"}).status_code == status
    assert not PengurusTpPkk.objects.exists()


def test_anonymous_goes_to_login(tree):
    response = Client().get(url(tree.kaliboto))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_long_name_is_refused_naming_the_field(tree):
    response = login(tree.desa).post(url(tree.kaliboto), {"ketua": "A" * 121, "sekretaris": ""})
    assert response.status_code == 200
    assert "Nama ketua" in response.content.decode() and not PengurusTpPkk.objects.exists()
