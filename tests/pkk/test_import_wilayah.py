import csv
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, LPad

from pkk.models import PATH_SEGMENT, Kind, Level, Unit
from pkk.wilayah_import import DEFAULT_FILE as COUNTRY
from pkk.wilayah_import import open_csv

pytestmark = pytest.mark.django_db

GOOD = """code,name,level
33,Jawa Tengah,provinsi
33.06,Kabupaten Purworejo,kabupaten
33.06.10,Bener,kecamatan
33.06.10.2001,Kaliboto,desa
33.06.10.1001,Bener Kota,desa
33.71,Kota Magelang,kabupaten
33.71.01,Magelang Selatan,kecamatan
33.71.01.1001,Rejowinangun Selatan,desa
34,DI Yogyakarta,provinsi
34.01,Kabupaten Kulon Progo,kabupaten
"""


def write(tmp_path, text, name="w.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def run(path, **kw):
    call_command("import_wilayah", str(path), stdout=open("/dev/null", "w"), **kw)


def test_import_sets_tree_kind_and_path(tmp_path):
    run(write(tmp_path, GOOD))
    assert Unit.objects.count() == 10
    kab = Unit.objects.get(code="33.06")
    kota = Unit.objects.get(code="33.71")
    assert (kab.level, kab.kind, kota.kind) == (Level.KABUPATEN, Kind.KABUPATEN, Kind.KOTA)
    desa = Unit.objects.get(code="33.06.10.2001")
    kel = Unit.objects.get(code="33.06.10.1001")
    assert (desa.kind, kel.kind) == (Kind.DESA, Kind.KELURAHAN)
    assert desa.parent.code == "33.06.10" and desa.parent.parent == kab
    assert not Unit.objects.filter(path="").exists()
    assert {u.code for u in Unit.objects.subtree(kab)} == {"33.06", "33.06.10", "33.06.10.2001", "33.06.10.1001"}


def test_rerun_updates_names_without_duplicates(tmp_path):
    run(write(tmp_path, GOOD))
    ids = dict(Unit.objects.values_list("code", "pk"))
    run(write(tmp_path, GOOD.replace("Kaliboto,desa", "Kaliboto Baru,desa")))
    assert Unit.objects.count() == 10
    assert dict(Unit.objects.values_list("code", "pk")) == ids
    assert Unit.objects.get(code="33.06.10.2001").name == "Kaliboto Baru"
    run(write(tmp_path, GOOD))
    assert Unit.objects.get(code="33.06.10.2001").name == "Kaliboto"
    assert Unit.objects.count() == 10


def test_root_loads_kabupaten_its_ancestors_and_subtree(tmp_path):
    run(write(tmp_path, GOOD), root="33.06")
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "33",
        "33.06",
        "33.06.10",
        "33.06.10.2001",
        "33.06.10.1001",
    }
    # then the rest of the file joins the same tree
    run(write(tmp_path, GOOD))
    assert Unit.objects.count() == 10
    assert Unit.objects.filter(code="33").count() == 1


def test_root_with_purworejo_from_the_shipped_country_file():
    """No path: the repository's own copy of the whole country (fixtures/wilayah), one kabupaten of it."""
    call_command("import_wilayah", root="33.06", stdout=open("/dev/null", "w"))
    kab = Unit.objects.get(code="33.06")
    assert set(Unit.objects.exclude(pk__in=Unit.objects.subtree(kab)).values_list("code", flat=True)) == {"33"}
    assert Unit.objects.subtree(kab).filter(level=Level.KECAMATAN).count() == 16
    assert Unit.objects.subtree(kab).filter(level=Level.DESA, kind=Kind.DESA).count() == 469
    assert Unit.objects.subtree(kab).filter(level=Level.DESA, kind=Kind.KELURAHAN).count() == 25


def test_parent_already_in_database_is_accepted(tmp_path):
    run(write(tmp_path, GOOD), root="33.06")
    run(write(tmp_path, "code,name,level\n33.06.10.2002,Kedungpucang,desa\n"))
    assert Unit.objects.get(code="33.06.10.2002").parent.code == "33.06.10"


def test_parent_later_in_file_is_accepted(tmp_path):
    run(write(tmp_path, "code,name,level\n33.06,Kabupaten Purworejo,kabupaten\n33,Jawa Tengah,provinsi\n"))
    assert Unit.objects.get(code="33.06").parent.code == "33"


def problems_of(tmp_path, text, **kw):
    with pytest.raises(CommandError) as exc:
        run(write(tmp_path, text), **kw)
    assert Unit.objects.count() == 0, "a malformed file imports nothing"
    return str(exc.value)


@pytest.mark.parametrize(
    "bad_line, expected",
    [
        ("33.6,Purworejo,kabupaten", "kode “33.6” tidak sah"),
        ("33.06.10.20011,X,desa", "kode “33.06.10.20011” tidak sah"),
        ("33.07,Kabupaten X,kota", "tingkat “kota” tidak dikenal"),
        ("33.07,Kabupaten X,kecamatan", "tingkat “kecamatan” tidak cocok dengan kode 33.07"),
        ("33.99.01,Antah,kecamatan", "induk 33.99 untuk kode 33.99.01 tidak ada"),
        ("33.06,Kabupaten Purworejo Lagi,kabupaten", "kode 33.06 ganda (sudah ada di baris 3)"),
        ("33.07,,kabupaten", "nama wilayah kosong"),
        ("33.07,Kabupaten X", "harus ada 3 kolom"),
    ],
)
def test_each_kind_of_malformed_row(tmp_path, bad_line, expected):
    text = GOOD + bad_line + "\n"
    msg = problems_of(tmp_path, text)
    assert f"Baris 12: {expected}" in msg


def test_every_problem_is_reported_with_its_line(tmp_path):
    text = (
        "code,name,level\n"
        "33,Jawa Tengah,provinsi\n"  # 2
        "33.6,Purworejo,kabupaten\n"  # 3 bad code
        "33.06,Kabupaten Purworejo,kota\n"  # 4 unknown level
        "33.06.10,Bener,desa\n"  # 5 level vs depth
        "35.01.01,Antah,kecamatan\n"  # 6 parent missing
        "33,Jawa Tengah,provinsi\n"  # 7 duplicate
    )
    msg = problems_of(tmp_path, text)
    for line in (3, 4, 5, 6, 7):
        assert f"Baris {line}:" in msg
    assert "5 masalah" in msg


def test_bad_header_and_missing_root(tmp_path):
    msg = problems_of(tmp_path, "kode,nama,tingkat\n33,Jawa Tengah,provinsi\n")
    assert "Baris 1: kepala kolom" in msg
    msg = problems_of(tmp_path, GOOD, root="35.01")
    assert "Kode --root 35.01 tidak ada di berkas" in msg


@pytest.mark.slow
def test_whole_country_file(capsys):
    with open_csv(COUNTRY) as fh:
        rows = list(csv.DictReader(fh))
    kelurahan = sum(1 for r in rows if r["level"] == "desa" and r["code"].split(".")[3].startswith("1"))
    kota = sum(1 for r in rows if r["level"] == "kabupaten" and int(r["code"].split(".")[1]) >= 71)
    purworejo = sum(1 for r in rows if r["code"] == "33.06" or r["code"].startswith("33.06."))
    del rows
    start = time.monotonic()
    call_command("import_wilayah")  # no path: the shipped copy
    elapsed = time.monotonic() - start
    with capsys.disabled():
        print(f"\nimport_wilayah whole country on {connection.vendor}: {elapsed:.1f} s")
    counts = {lv: Unit.objects.filter(level=lv).count() for lv in Level}
    assert counts[Level.PROVINSI] == 38
    assert counts[Level.KABUPATEN] == 514
    assert counts[Level.KECAMATAN] == 7285
    assert counts[Level.DESA] == 83762
    assert kota == 98
    assert Unit.objects.filter(level=Level.KABUPATEN, kind=Kind.KOTA).count() == 98
    assert Unit.objects.filter(level=Level.DESA, kind=Kind.KELURAHAN).count() == kelurahan
    assert not Unit.objects.filter(path="").exists()
    # every stored path is the parent's path plus the unit's own segment
    own = LPad(Cast("pk", output_field=CharField()), PATH_SEGMENT, Value("0"))
    assert not Unit.objects.exclude(parent=None).exclude(path=Concat(F("parent__path"), own)).exists()
    assert Unit.objects.subtree(Unit.objects.get(code="33.06")).count() == purworejo
    # The contract is PostgreSQL; SQLite (embedded default) only has to finish.
    assert elapsed < (60 if connection.vendor == "postgresql" else 300)
    # re-running creates nothing
    call_command("import_wilayah", str(COUNTRY), stdout=open("/dev/null", "w"))
    assert Unit.objects.count() == 91599


def test_unreadable_files_are_refused(tmp_path):
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        run(tmp_path / "tidak-ada.csv")
    p = tmp_path / "latin1.csv"
    p.write_bytes("code,name,level\n33,Jawa Tengah,provinsi\n33.06,Purworejo\xe9,kabupaten\n".encode("latin-1"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(p)
    assert Unit.objects.count() == 0
    with pytest.raises(CommandError, match="kosong"):
        run(write(tmp_path, ""))
    broken = tmp_path / "potong.csv.xz"
    broken.write_bytes(COUNTRY.read_bytes()[:20_000])  # a truncated download
    with pytest.raises(CommandError, match="rusak setelah baris"):
        run(broken)
    assert Unit.objects.count() == 0
