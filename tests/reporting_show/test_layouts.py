"""The layouts as data: column counts and positions of the official forms, header grids, tier mapping."""

from __future__ import annotations

import pytest

from pkk.models import Level
from reporting.books import BUKU_II, BUKU_III
from reporting.layouts import LAYOUTS, get_layout, layout_for
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES

# Number of printed columns of each official form (Rakernas X), KET included.
WIDTHS = {
    "4.16a": 29,
    "4.16b": 30,
    "4.16c": 32,
    "4.16d": 33,
    "4.17a": 33,
    "4.17b": 35,
    "4.17c": 36,
    "4.18a": 17,
    "4.18b": 15,
    "4.18c": 16,
    "4.18d": 17,
    "4.19a": 18,
    "4.19b": 19,
    "4.19c": 20,
}

TIERS = {
    Level.DASAWISMA: ("4.16a", "4.18a"),
    Level.RT: ("4.16b", "4.18b"),
    Level.RW: ("4.16c", "4.18c"),
    Level.DUSUN: ("4.16d", "4.18d"),
    Level.DESA: ("4.17a", "4.19a"),
    Level.KECAMATAN: ("4.17b", "4.19b"),
    Level.KABUPATEN: ("4.17c", "4.19c"),
}


def col(lampiran: str, number: int):
    """The leaf printed under column number ``number`` (1-based)."""
    return LAYOUTS[lampiran].leaves[number - 1]


def test_all_fourteen_lampiran_are_defined_with_the_official_widths():
    assert set(LAYOUTS) == set(WIDTHS)
    assert {k: lay.width for k, lay in LAYOUTS.items()} == WIDTHS


@pytest.mark.parametrize("level", list(TIERS))
def test_each_tier_has_its_annual_and_monthly_sheet(level):
    tahunan, bulanan = TIERS[level]
    assert layout_for(BUKU_II, level).lampiran == tahunan
    assert layout_for(BUKU_III, level).lampiran == bulanan
    assert get_layout(tahunan.upper()) is LAYOUTS[tahunan]


def test_no_sheet_for_provinsi():
    assert layout_for(BUKU_II, Level.PROVINSI) is None


@pytest.mark.parametrize("lampiran", sorted(WIDTHS))
def test_header_grid_covers_every_cell_exactly_once(lampiran):
    lay = LAYOUTS[lampiran]
    grid = [[0] * lay.width for _ in range(lay.header_depth)]
    for cell in lay.header_cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                grid[r][c] += 1
    assert all(v == 1 for row in grid for v in row)


@pytest.mark.parametrize("lampiran", sorted(WIDTHS))
def test_leading_and_trailing_columns(lampiran):
    lay = LAYOUTS[lampiran]
    assert lay.leaves[0].kind == "no" and lay.leaves[0].label == "NO"
    assert lay.leaves[1].kind == "name"
    assert lay.leaves[-1].kind == "ket"
    allowed = set(UNIT_COUNT_NAMES) | set(BUKU_II_MEASURES if lay.buku == BUKU_II else BUKU_III_MEASURES)
    assert lay.measures_used() <= allowed


def test_buku2_dasawisma_and_rt_tiers():
    # 4.16a: NO, NAMA KEPALA RUMAH TANGGA, JML KK, then JUMLAH ANGGOTA KELUARGA from column 4.
    assert col("4.16a", 2).label == "NAMA KEPALA RUMAH TANGGA"
    assert col("4.16a", 3).measures == ("jml_kk",)
    assert (col("4.16a", 4).measures, col("4.16a", 5).measures) == (("total_l",), ("total_p",))
    assert col("4.16a", 13).label == "3 BUTA" and col("4.16a", 13).measures == ("tiga_buta_l", "tiga_buta_p")
    assert col("4.16a", 14).measures == ("berkebutuhan_khusus",)
    assert col("4.16a", 19).measures == ("mck_septic",)
    assert col("4.16a", 22).label == "DLL" and col("4.16a", 22).measures == ("air_sungai_lainnya",)
    assert col("4.16a", 28).measures == ("kesehatan_lingkungan",)
    assert [c.measures for c in LAYOUTS["4.16b"].leaves[2:4]] == [("jml_krt",), ("jml_kk",)]
    assert col("4.16b", 15).measures == ("berkebutuhan_khusus",)
    assert col("4.16b", 23).measures == ("air_sungai_lainnya",)


@pytest.mark.parametrize("lampiran,first", [("4.16c", 6), ("4.16d", 7), ("4.17b", 9), ("4.17c", 10)])
def test_buku2_rw_tier_and_up(lampiran, first):
    leaves = LAYOUTS[lampiran].leaves
    measures = [leaf.measures for leaf in leaves]
    # 3 BUTA split L/P, no BERKEBUTUHAN KHUSUS; KRITERIA RUMAH 4; SUMBER AIR 4 (DLL = lainnya); MCK apart.
    assert measures[first - 1 + 9] == ("tiga_buta_l",) and measures[first - 1 + 10] == ("tiga_buta_p",)
    assert ("berkebutuhan_khusus",) not in measures
    assert measures[first - 1 + 11 : first - 1 + 15] == [
        ("rumah_sehat",),
        ("rumah_tidak_sehat",),
        ("tempat_sampah",),
        ("spal",),
    ]
    assert measures[first - 1 + 15 : first - 1 + 19] == [
        ("air_pdam",),
        ("air_sumur",),
        ("air_sungai",),
        ("air_lainnya",),
    ]
    mck = leaves[first - 1 + 19]
    assert mck.label == "JUMLAH SARANA MCK" and mck.measures == ("mck_septic",)
    header = {c.col: c for c in LAYOUTS[lampiran].header_cells if c.row == 0}
    assert header[first - 1 + 19].rowspan == LAYOUTS[lampiran].header_depth  # a column of its own


def test_desa_sheet_keeps_three_buta_as_one_column():
    # 4.17a: 8-17 JUMLAH ANGGOTA KELUARGA with 17 = 3 BUTA; 26 = JUMLAH SARANA MCK; 33 = KETERANGAN.
    assert col("4.17a", 17).label == "3 BUTA" and col("4.17a", 17).measures == ("tiga_buta_l", "tiga_buta_p")
    assert col("4.17a", 26).measures == ("mck_septic",)
    assert col("4.17a", 25).measures == ("air_lainnya",)
    assert col("4.17a", 33).label == "KETERANGAN"
    assert [col("4.17a", n).measures for n in (3, 4, 5, 6, 7)] == [
        ("jml_rw",),
        ("jml_rt",),
        ("jml_dasawisma",),
        ("jml_krt",),
        ("jml_kk",),
    ]


def test_group_headers_of_the_rw_sheet():
    lay = LAYOUTS["4.16c"]
    top = {c.label: (c.col + 1, c.col + c.colspan) for c in lay.header_cells if c.row == 0}
    assert top["JUMLAH ANGGOTA KELUARGA"] == (6, 16)
    assert top["KRITERIA RUMAH"] == (17, 20)
    assert top["SUMBER AIR KELUARGA"] == (21, 24)
    assert top["JUMLAH SARANA MCK"] == (25, 25)
    assert top["MAKANAN POKOK"] == (26, 27)
    assert top["WARGA MENGIKUTI KEGIATAN"] == (28, 31)
    assert top["KET"] == (32, 32)
    second = {(c.label, c.col + 1): c.colspan for c in lay.header_cells if c.row == 1}
    assert second[("TOTAL", 6)] == 2 and second[("3 BUTA", 15)] == 2


def test_buku3_rekap_block():
    lay = LAYOUTS["4.19c"]
    assert [c.measures[0] for c in lay.leaves[2:7]] == ["jml_desa", "jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma"]
    assert [c.measures for c in lay.leaves[7:19]] == [
        ("ibu_hamil",),
        ("ibu_melahirkan",),
        ("ibu_nifas",),
        ("ibu_meninggal",),
        ("bayi_lahir_l",),
        ("bayi_lahir_p",),
        ("akte_ada",),
        ("akte_tidak",),
        ("bayi_meninggal_l",),
        ("bayi_meninggal_p",),
        ("balita_meninggal_l",),
        ("balita_meninggal_p",),
    ]
    top = {c.label: (c.col + 1, c.col + c.colspan) for c in lay.header_cells if c.row == 0}
    assert top == {
        "NO": (1, 1),
        "NAMA KECAMATAN": (2, 2),
        "JUMLAH": (3, 7),
        "JUMLAH IBU": (8, 11),
        "JUMLAH BAYI": (12, 17),
        "JML BALITA MENINGGAL": (18, 19),
        "KETERANGAN": (20, 20),
    }
    assert LAYOUTS["4.18b"].leaves[2].measures == ("ibu_hamil",)  # 4.18b has no count columns


def test_dasawisma_list_sheets_carry_personal_data():
    assert {k for k, lay in LAYOUTS.items() if lay.personal_data} == {"4.16a", "4.18a"}
    top = {c.label: (c.col + 1, c.col + c.colspan) for c in LAYOUTS["4.18a"].header_cells if c.row == 0}
    assert top["CATATAN KELAHIRAN"] == (5, 10) and top["CATATAN KEMATIAN"] == (11, 16)


@pytest.mark.parametrize("lampiran", sorted(WIDTHS))
def test_signature_block(lampiran):
    lay = LAYOUTS[lampiran]
    assert lay.signature_left[0] == "Mengetahui," and lay.signature_right[0] == "Yang membuat,"
    if lay.tier in (Level.DESA, Level.KECAMATAN, Level.KABUPATEN):
        assert lay.signature_left[1].startswith("Ketua TP PKK")
        assert lay.signature_right[1].startswith("Sekretaris TP PKK")
    else:
        assert lay.signature_left[1].startswith("Ketua")
