"""seed_demo_kegiatan: a handful of kegiatan with photos at desa, kecamatan and kabupaten; idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from demo.accounts import create_demo_accounts
from demo.wilayah import load_fixture
from kegiatan.models import Kegiatan, KegiatanFoto
from kegiatan.selectors import kegiatan_per_pokja

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True


def _run(**kw) -> str:
    out = StringIO()
    call_command("seed_demo_kegiatan", today=TODAY, stdout=out, **kw)
    return out.getvalue()


def test_seed_kegiatan_is_idempotent_and_fills_every_level():
    load_fixture()
    create_demo_accounts()
    assert "10 dibuat" in _run()
    by_unit = {}
    for k in Kegiatan.objects.select_related("unit", "dilaporkan_oleh"):
        by_unit.setdefault(k.unit.code, []).append(k)
        assert k.tanggal <= TODAY and k.tanggal.year == TODAY.year
        assert k.dilaporkan_oleh is not None and k.nama == k.dilaporkan_oleh.get_full_name()
    assert {code: len(v) for code, v in by_unit.items()} == {
        "33.06.16.2006": 4,
        "33.06.16.2004": 2,
        "33.06.16": 2,
        "33.06": 2,
    }
    assert by_unit["33.06.16.2006"][0].nama  # a real name, not the user name
    assert KegiatanFoto.objects.count() == 12
    for f in KegiatanFoto.objects.all():
        with Image.open(Path(f.file.path)) as img:
            assert img.format == "JPEG" and max(img.size) <= 1600
    bener = Kegiatan.objects.get(judul="Posyandu balita Dusun Krajan").unit.parent
    assert sum(c.jumlah for c in kegiatan_per_pokja(bener, TODAY.year)) == 8
    # Twice: nothing new.
    assert "0 dibuat" in _run()
    assert Kegiatan.objects.count() == 10 and KegiatanFoto.objects.count() == 12


def test_seed_kegiatan_without_units_does_nothing():
    assert "jalankan seed_demo dulu" in _run()
    assert not Kegiatan.objects.exists()


def test_refuses_when_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        _run()


def test_seed_demo_calls_it():
    out = StringIO()
    call_command("seed_demo", households=20, seed=7, today=TODAY, no_rebuild=True, stdout=out)
    assert "Kegiatan demo: 10 dibuat" in out.getvalue()
    assert Kegiatan.objects.filter(unit__code="33.06.16.2004").count() == 2
