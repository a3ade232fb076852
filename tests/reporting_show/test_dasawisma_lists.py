"""4.16a and 4.18a: the dasawisma sheets list rumah tangga / persons (live from ``reporting.rollup``).
They carry names: every download or command export is logged."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
from pkk.models import PersonalDataExportLog

from .conftest import angka, login, parse_table

pytestmark = pytest.mark.django_db

_seq = iter(range(1, 10_000))


def warga(rt, kel, nama, jk, lahir, status, kawin="kawin", **kw):
    return Warga.objects.create(
        dasawisma=rt.dasawisma,
        rumah_tangga=rt,
        keluarga=kel,
        no_kk=kel.no_kk,
        no_registrasi=f"REG{next(_seq)}",
        nama=nama,
        jenis_kelamin=jk,
        tanggal_lahir=lahir,
        status_perkawinan=kawin,
        status_dalam_keluarga=status,
        agama="islam",
        pendidikan="sma",
        **kw,
    )


@pytest.fixture
def households(tree):
    mawar = tree.mawar
    a = RumahTangga.objects.create(dasawisma=mawar, kode="A01", spal=True, sumber_air_sumur=True)
    ka = Keluarga.objects.create(rumah_tangga=a, no_kk="3306010101010001")
    budi = warga(a, ka, "Budi Santoso", "L", dt.date(1980, 1, 2), "kepala_keluarga")
    siti = warga(a, ka, "Siti Aminah", "P", dt.date(1990, 5, 1), "istri")
    Kehamilan.objects.create(
        warga=siti,
        dasawisma=mawar,
        tanggal_mulai=dt.date(2024, 6, 20),
        tanggal_selesai=dt.date(2025, 3, 5),
        hasil="lahir_hidup",
    )
    warga(a, ka, "Rina", "P", dt.date(2025, 3, 5), "anak", kawin="belum_kawin", akta_kelahiran=True, ibu=siti)
    a.kepala = budi
    a.save()
    b = RumahTangga.objects.create(dasawisma=mawar, kode="A02", sumber_air_sungai=True, sumber_air_lainnya=True)
    kb1 = Keluarga.objects.create(rumah_tangga=b, no_kk="3306010101010002")
    kb2 = Keluarga.objects.create(rumah_tangga=b, no_kk="3306010101010003")
    joko = warga(b, kb1, "Joko Widodo", "L", dt.date(1950, 7, 1), "kepala_keluarga")
    warga(b, kb2, "Ani", "P", dt.date(1985, 2, 2), "kepala_keluarga", kawin="cerai_hidup")
    b.kepala = joko
    b.save()
    return tree


def test_4_16a_lists_rumah_tangga_and_matches_the_excel(households):
    tree = households
    client = login(tree.kader)
    kwargs = {"unit_id": tree.mawar.pk, "tahun": 2025}
    response = client.get(reverse("reporting:rekap_tahunan", kwargs=kwargs))
    assert response.status_code == 200
    layout = response.context["layout"]
    assert layout.lampiran == "4.16a"
    table = parse_table(response.content.decode())
    rows = table.rows["tbody"]
    assert [r[1] for r in rows] == ["Budi Santoso", "Joko Widodo"]
    assert table.links == []  # rumah tangga rows open nothing
    col = {leaf.measures: i for i, leaf in enumerate(layout.leaves) if leaf.measures}
    assert [rows[0][col[("jml_kk",)]], rows[1][col[("jml_kk",)]]] == ["1", "2"]
    assert rows[0][col[("total_l",)]] == "1" and rows[0][col[("total_p",)]] == "2"
    assert rows[0][col[("balita_p",)]] == "1" and rows[1][col[("lansia",)]] == "1"
    assert rows[1][col[("air_sungai_lainnya",)]] == "1"  # sungai and lainnya: the household counts once
    jumlah = table.rows["tfoot"][0]
    assert jumlah[col[("jml_kk",)]] == "3" and jumlah[col[("total_p",)]] == "3"
    assert PersonalDataExportLog.objects.count() == 0  # viewing is not exporting

    xlsx = client.get(reverse("reporting:rekap_tahunan_xlsx", kwargs=kwargs))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    meta = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(4, 12)}
    assert meta["DASA WISMA"] == ": Mawar" and meta["RT/RW"] == ": 01/01"
    start = next(r for r in range(1, ws.max_row) if ws.cell(r, 2).value == "Budi Santoso")
    for offset, page_row in enumerate(rows + [jumlah]):
        for c, (leaf, text) in enumerate(zip(layout.leaves, page_row, strict=True), start=1):
            if leaf.is_numeric:
                assert ws.cell(start + offset, c).value == angka(text)
    assert ws.cell(start + 2, 2).value == "JUMLAH"
    log = PersonalDataExportLog.objects.get()
    assert (log.user, log.unit, log.channel, log.row_count) == (tree.kader, tree.mawar, "web", 2)
    assert "4.16a" in log.what


def test_4_18a_lists_the_months_mothers_births_and_deaths(households, tmp_path):
    tree = households
    client = login(tree.ketua_rt)
    response = client.get(reverse("reporting:rekap_bulanan", kwargs={"unit_id": tree.mawar.pk, "bulan": "2025-03"}))
    layout = response.context["layout"]
    assert layout.lampiran == "4.18a"
    table = parse_table(response.content.decode())
    (row,) = table.rows["tbody"]
    labels = [leaf.label for leaf in layout.leaves]
    assert row[1] == "Siti Aminah" and row[2] == "Budi Santoso"
    assert "melahirkan" in row[3].lower()
    assert row[4] == "Rina"
    assert (row[5], row[6]) == ("", "\u2713")  # JK: P, ticked as on the form (the cell holds 1: summed below)
    assert row[7] == "05-03-2025"
    assert (row[8], row[9]) == ("\u2713", "")  # akte ada
    jumlah = table.rows["tfoot"][0]
    assert jumlah[1] == "JUMLAH" and (jumlah[5], jumlah[6], jumlah[8], jumlah[9]) == ("0", "1", "1", "0")
    assert labels[4] == "NAMA BAYI"

    out = tmp_path / "4-18a.xlsx"
    call_command(
        "export_rekap", "--lampiran", "4.18a", "--unit", f"id:{tree.mawar.pk}", "--bulan", "2025-03", "--out", str(out)
    )
    ws = load_workbook(out).active
    r = next(r for r in range(1, ws.max_row) if ws.cell(r, 2).value == "Siti Aminah")
    assert [ws.cell(r, c).value for c in (5, 6, 7, 9, 10)] == ["Rina", None, 1, 1, None]
    log = PersonalDataExportLog.objects.get()
    assert log.channel == "command" and log.user is None and log.row_count == 1


def test_list_page_query_count_does_not_grow_with_households(households, django_assert_max_num_queries):
    tree = households
    client = login(tree.kader)
    url = reverse("reporting:rekap_tahunan", kwargs={"unit_id": tree.mawar.pk, "tahun": 2025})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    small = len(ctx.captured_queries)
    for i in range(15):
        rt = RumahTangga.objects.create(dasawisma=tree.mawar, kode=f"B{i:02d}")
        kel = Keluarga.objects.create(rumah_tangga=rt, no_kk=f"33060101010{i:05d}")
        warga(rt, kel, f"Warga {i}", "L", dt.date(1970, 1, 1), "kepala_keluarga")
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert len(response.context["report"].rows) == 17
