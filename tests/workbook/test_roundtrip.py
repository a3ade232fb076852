"""Export then import into an empty system gives the same data: every field of every record, and the counts."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from openpyxl import load_workbook

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
from dasawisma.workbook import columns as c
from dasawisma.workbook.exporter import workbook_export
from dasawisma.workbook.importer import workbook_import
from pkk.models import Level, PersonalDataExportLog, Unit

from .conftest import KALIBOTO, flush_dasawisma_data

pytestmark = pytest.mark.django_db

_reg = itertools.count(1)


def _rt(dasawisma, kode, **kw):
    defaults = {"alamat": f"Jl. {kode}", "sumber_air_pdam": True}
    return RumahTangga.objects.create(dasawisma=dasawisma, kode=kode, **(defaults | kw))


def _warga(rt, keluarga, kode, **kw):
    defaults = {
        "nama": f"Warga {kode}", "jenis_kelamin": "L", "tanggal_lahir": dt.date(1980, 1, 1),
        "status_perkawinan": "kawin", "status_dalam_keluarga": "kepala_keluarga", "agama": "islam",
        "pendidikan": "sma",
    }  # fmt: skip
    return Warga.objects.create(
        dasawisma=rt.dasawisma, rumah_tangga=rt, keluarga=keluarga, no_kk=keluarga.no_kk, kode=kode,
        no_registrasi=f"X{next(_reg):08d}", **(defaults | kw),
    )  # fmt: skip


@pytest.fixture
def data(tree):
    """Households in three dasawisma of two desa (one without dusun), with the whole range of values."""
    # Mawar: two keluarga in one rumah tangga, a death, a move, a child with its mother, pregnancies.
    a = _rt(tree.mawar, "A", kriteria_rumah="tidak_sehat", tempat_sampah=True, spal=True, mck_septic_tank=True,
            jumlah_jamban=2, stiker_p4k=True, sumber_air_pdam=True, sumber_air_sumur=True, sumber_air_sungai=False,
            sumber_air_lainnya=True, makanan_pokok="non_beras", up2k=True, pemanfaatan_pekarangan=True,
            industri_rumah_tangga=True, kesehatan_lingkungan=True)  # fmt: skip
    kk1 = Keluarga.objects.create(rumah_tangga=a, no_kk="3306101203040001")
    kk2 = Keluarga.objects.create(rumah_tangga=a, no_kk="3306101203040099")
    budi = _warga(a, kk1, "A1", nik="3306101705800001", tanggal_lahir=dt.date(1980, 5, 17), tempat_lahir="Purworejo",
                  pekerjaan="Petani", memiliki_tabungan=True, ikut_koperasi=True, akta_kelahiran=True)  # fmt: skip
    siti = _warga(a, kk1, "A2", nama="Siti Aminah", jenis_kelamin="P", nik="3306104201900002",
                  tanggal_lahir=dt.date(1990, 1, 2), status_dalam_keluarga="istri", agama="katolik",
                  pendidikan="diploma", akseptor_kb=True, jenis_kb="suntik", aktif_posyandu=True, ikut_bkb=True,
                  menyusui=True, kelompok_belajar="paket_c", berkebutuhan_khusus="non_fisik")  # fmt: skip
    _warga(a, kk1, "A3", nama="Bayu", tanggal_lahir=dt.date(2024, 2, 3), status_perkawinan="belum_kawin",
           status_dalam_keluarga="anak", pendidikan="tidak_sekolah", ibu=siti, ikut_paud=False)  # fmt: skip
    _warga(a, kk2, "A4", nama="Mbah Karto", tanggal_lahir=dt.date(1940, 3, 4), status_perkawinan="cerai_mati",
           status_dalam_keluarga="orang_tua", pendidikan="tidak_tamat_sd", tiga_buta=True,
           tanggal_meninggal=dt.date(2025, 1, 9), sebab_meninggal="Sakit jantung",
           berkebutuhan_khusus="fisik")  # fmt: skip
    _warga(a, kk2, "A5", nama="Rina", jenis_kelamin="P", tanggal_lahir=dt.date(2000, 8, 9),
           status_perkawinan="belum_kawin", status_dalam_keluarga="famili_lain", agama="hindu", pendidikan="s1",
           tanggal_pindah=dt.date(2025, 6, 30), kelompok_belajar="kf")  # fmt: skip
    RumahTangga.objects.filter(pk=a.pk).update(kepala=budi)
    Kehamilan.objects.create(warga=siti, dasawisma=tree.mawar, tanggal_mulai=dt.date(2023, 5, 1),
                             hpl=dt.date(2024, 2, 5), kek=True, tanggal_selesai=dt.date(2024, 2, 3),
                             hasil="lahir_hidup")  # fmt: skip
    Kehamilan.objects.create(warga=siti, dasawisma=tree.mawar, tanggal_mulai=dt.date(2025, 7, 1), hpl=None, kek=None)

    # Anggrek (another RT): a woman with a miscarriage and a stillbirth, no NIK.
    b = _rt(tree.anggrek, "B", sumber_air_pdam=False, sumber_air_sungai=True, stiker_p4k=False)
    kk3 = Keluarga.objects.create(rumah_tangga=b, no_kk="3306101203040003")
    dewi = _warga(b, kk3, "B1", nama="Dewi", jenis_kelamin="P", tanggal_lahir=dt.date(1985, 11, 30),
                  status_perkawinan="cerai_hidup", agama="buddha", pendidikan="s2")  # fmt: skip
    RumahTangga.objects.filter(pk=b.pk).update(kepala=dewi)
    Kehamilan.objects.create(warga=dewi, dasawisma=tree.anggrek, tanggal_mulai=dt.date(2019, 1, 1),
                             tanggal_selesai=dt.date(2019, 3, 1), hasil="keguguran", kek=False)  # fmt: skip
    Kehamilan.objects.create(warga=dewi, dasawisma=tree.anggrek, tanggal_mulai=dt.date(2020, 1, 1),
                             tanggal_selesai=dt.date(2020, 9, 1), hasil="lahir_mati")  # fmt: skip

    # Kenanga in Kedungpucang (no dusun): RW hangs directly under the desa.
    k = _rt(tree.kenanga, "K", makanan_pokok="beras")
    kk4 = Keluarga.objects.create(rumah_tangga=k, no_kk="3306101203040004")
    joko = _warga(k, kk4, "K1", nama="Joko", agama="konghucu", pendidikan="s3", status_perkawinan="belum_kawin")
    RumahTangga.objects.filter(pk=k.pk).update(kepala=joko)
    # Outside the exported kecamatan: must not appear in the export.
    d = _rt(tree.dahlia, "D")
    kk5 = Keluarga.objects.create(rumah_tangga=d, no_kk="3306011203040005")
    RumahTangga.objects.filter(pk=d.pk).update(kepala=_warga(d, kk5, "D1"))
    return tree


def _place(unit_id: int) -> tuple:
    """(desa code, dusun, rw, rt, dasawisma) names of a dasawisma: ids change across a re-import, names not."""
    unit = Unit.objects.get(pk=unit_id)
    chain = {u.level: u for u in unit.ancestors(include_self=True)}
    return (chain[Level.DESA].code, getattr(chain.get(Level.DUSUN), "name", ""), chain[Level.RW].name,
            chain[Level.RT].name, chain[Level.DASAWISMA].name)  # fmt: skip


SKIP = {"id", "created_at", "updated_at", "version"}


def _fields(obj, refs: dict) -> dict:
    out = {}
    for f in obj._meta.concrete_fields:
        if f.name in SKIP or f.name == "no_registrasi":
            continue
        value = getattr(obj, f.attname)
        if f.name in refs:
            value = refs[f.name](value) if value is not None else None
        out[f.name] = value
    return out


def snapshot(kecamatan) -> dict:
    """Every field of every record under ``kecamatan``, with ids replaced by what identifies them in a file."""
    in_kec = {"dasawisma__path__startswith": kecamatan.path}
    kk_in_kec = Keluarga.objects.filter(rumah_tangga__dasawisma__path__startswith=kecamatan.path)
    warga_kode = dict(Warga.objects.values_list("pk", "kode"))
    rt_kode = dict(RumahTangga.objects.values_list("pk", "kode"))
    kk = {k.pk: (rt_kode[k.rumah_tangga_id], k.no_kk) for k in Keluarga.objects.all()}
    place = {}

    def where(unit_id):
        if unit_id not in place:
            place[unit_id] = _place(unit_id)
        return place[unit_id]

    refs = {"dasawisma": where, "kepala": warga_kode.get, "rumah_tangga": rt_kode.get, "keluarga": kk.get,
            "ibu": warga_kode.get, "warga": warga_kode.get}  # fmt: skip
    return {
        "rumah_tangga": {r.kode: _fields(r, refs) for r in RumahTangga.objects.filter(**in_kec)},
        "keluarga": sorted(kk[pk] for pk in kk_in_kec.values_list("pk", flat=True)),
        "warga": {w.kode: _fields(w, refs) for w in Warga.objects.filter(**in_kec)},
        "kehamilan": sorted(
            (tuple(sorted(_fields(k, refs).items(), key=lambda kv: kv[0])) for k in Kehamilan.objects.filter(**in_kec)),
            key=repr,
        ),
    }  # fmt: skip


def test_export_then_import_into_an_empty_system_gives_the_same_data(data, tmp_path):
    before = snapshot(data.bener)
    assert len(before["warga"]) == 7 and len(before["kehamilan"]) == 4 and len(before["keluarga"]) == 4
    path = tmp_path / "bener.xlsx"
    exported = workbook_export(unit=data.bener, out=path, actor=data.pembina, channel="web")
    assert (exported.rumah_tangga, exported.warga, exported.kehamilan) == (3, 7, 4)

    flush_dasawisma_data(data.kaliboto, data.kedungpucang)
    assert not Unit.objects.filter(level=Level.DASAWISMA, path__startswith=data.bener.path).exists()
    assert Warga.objects.count() == 0

    result = workbook_import(source=path, actor=None)  # two desa in one file: the command line (operator)
    assert result.ok, result.issues
    assert (result.rumah_tangga, result.keluarga, result.warga, result.kehamilan) == (3, 4, 7, 4)
    # Every unit below the desas was gone, so each came back and is listed.
    assert "Desa Kaliboto › Dusun Krajan › RW 01 › RT 01 › Dasawisma Mawar" in result.new_units
    assert "Desa Kedungpucang › RW 01 › RT 01 › Dasawisma Kenanga" in result.new_units
    assert len(result.new_units) == 1 + 1 + 2 + 2 + 3  # dusun, RW, 2 RT, Mawar, Anggrek; Kedungpucang RW, RT, Kenanga
    after = snapshot(data.bener)
    assert after == before
    # No. Registrasi is not in the workbook: it is drawn anew, desa digits + entry year + sequence.
    for w in Warga.objects.filter(dasawisma__path__startswith=data.kaliboto.path):
        assert w.no_registrasi.startswith(KALIBOTO.replace(".", "") + str(dt.date.today().year))


def test_the_export_is_the_standard_format(data, tmp_path):
    path = tmp_path / "kaliboto.xlsx"
    workbook_export(unit=data.kaliboto, out=path, actor=data.desa)
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == list(c.SHEETS)
    rows = {name: list(wb[name].iter_rows(values_only=True)) for name in c.SHEETS}
    assert list(rows["rumah_tangga"][0]) == c.RUMAH_TANGGA_KEYS
    # The standard keys, in order, then the two extra columns that keep jenis KB and the mother.
    assert list(rows["warga"][0]) == c.WARGA_KEYS + ["jenis_kb", "kode_warga_ibu"]
    assert list(rows["kehamilan"][0]) == c.KEHAMILAN_KEYS
    rt_a = dict(zip(c.RUMAH_TANGGA_KEYS, next(r for r in rows["rumah_tangga"][1:] if r[5] == "A"), strict=True))
    assert rt_a["kode_desa"] == KALIBOTO and rt_a["dusun"] == "Krajan" and rt_a["rw"] == "01"
    assert rt_a["sumber_air"] == "pdam,sumur,lainnya"
    assert rt_a["tempat_sampah"] == "ya" and rt_a["stiker_p4k"] == "ya"
    keys = c.WARGA_KEYS + c.WARGA_EXTRA_KEYS
    by_kode = {r[0]: dict(zip(keys, r, strict=True)) for r in rows["warga"][1:]}
    assert set(by_kode) == {"A1", "A2", "A3", "A4", "A5", "B1"}  # Kedungpucang and Grabag are not in Kaliboto
    assert by_kode["A1"]["kepala_rumah_tangga"] == "ya" and by_kode["A2"]["kepala_rumah_tangga"] == "tidak"
    assert by_kode["A1"]["nik"] == "3306101705800001"  # text, not a number that Excel would round
    assert by_kode["A3"]["tanggal_lahir"].date() == dt.date(2024, 2, 3)  # an Excel date
    assert by_kode["A3"]["kode_warga_ibu"] == "A2"
    assert by_kode["A2"]["jenis_kb"] == "suntik"
    assert by_kode["B1"]["nik"] in (None, "")


def test_records_without_a_kode_get_unique_codes_and_still_round_trip(tree, tmp_path):
    """Households entered in the forms have no kode: the export makes RT-<id> / W-<id>, and the import keeps them."""
    rt = _rt(tree.melati, "")
    kk = Keluarga.objects.create(rumah_tangga=rt, no_kk="3306101203040011")
    w = _warga(rt, kk, "")
    RumahTangga.objects.filter(pk=rt.pk).update(kepala=w)
    rt2 = _rt(tree.kenanga, "SAMA")  # the same stored kode in two desa: the export keeps one, renames the other
    kk2 = Keluarga.objects.create(rumah_tangga=rt2, no_kk="3306101203040012")
    RumahTangga.objects.filter(pk=rt2.pk).update(kepala=_warga(rt2, kk2, "SAMA-W"))
    rt3 = _rt(tree.mawar, "SAMA")
    kk3 = Keluarga.objects.create(rumah_tangga=rt3, no_kk="3306101203040013")
    RumahTangga.objects.filter(pk=rt3.pk).update(kepala=_warga(rt3, kk3, "SAMA-W2"))
    path = tmp_path / "bener.xlsx"
    workbook_export(unit=tree.bener, out=path, actor=tree.pembina)
    wb = load_workbook(path, read_only=True)
    kodes = [r[5] for r in list(wb["rumah_tangga"].iter_rows(values_only=True))[1:]]
    assert f"RT-{rt.pk}" in kodes and len(set(kodes)) == 3 and "SAMA" in kodes
    flush_dasawisma_data(tree.kaliboto, tree.kedungpucang)
    result = workbook_import(source=path, actor=None)  # two desa in one file: the command line (operator)
    assert result.ok, result.issues
    assert RumahTangga.objects.filter(kode=f"RT-{rt.pk}").get().kepala.kode == f"W-{w.pk}"


def test_each_export_is_logged(data, tmp_path):
    workbook_export(unit=data.mawar, out=tmp_path / "m.xlsx", actor=data.kader, channel="web")
    log = PersonalDataExportLog.objects.get()
    assert (log.user, log.username, log.unit, log.channel) == (data.kader, "kader", data.mawar, "web")
    assert log.row_count == 1 + 5 + 2  # one rumah tangga, five warga, two kehamilan
    assert log.at is not None


def test_the_export_is_readable_on_screen_and_paper(data, tmp_path):
    """Arial everywhere, widths per key, NIK/No. KK as text cells, dates as dates, key row frozen and repeated,
    landscape with page numbers (issue 11)."""
    path = tmp_path / "kaliboto.xlsx"
    workbook_export(unit=data.kaliboto, out=path, actor=data.desa)
    wb = load_workbook(path)
    ws = wb["warga"]
    keys = [cell.value for cell in ws[1]]
    col = {key: i + 1 for i, key in enumerate(keys)}
    a1 = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "A1")
    nik, kk = ws.cell(a1, col["nik"]), ws.cell(a1, col["no_kk"])
    assert (nik.value, nik.number_format, nik.data_type) == ("3306101705800001", "@", "s")
    assert kk.number_format == "@" and isinstance(kk.value, str) and len(kk.value) == 16
    lahir = ws.cell(a1, col["tanggal_lahir"])
    assert lahir.is_date and lahir.number_format == "yyyy-mm-dd"
    assert {ws.cell(r, c).font.name for r in range(1, ws.max_row + 1) for c in range(1, len(keys) + 1)} == {"Arial"}
    assert ws.cell(1, 1).font.bold
    letter = ws.cell(1, col["nama"]).column_letter
    assert ws.column_dimensions[letter].width >= 28
    for key, i in col.items():  # every key is readable in its column
        assert ws.column_dimensions[ws.cell(1, i).column_letter].width >= len(key) + 2, key
    for name in wb.sheetnames:
        sheet = wb[name]
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.orientation == "landscape"
        assert "Halaman &P dari &N" in sheet.oddFooter.center.text
