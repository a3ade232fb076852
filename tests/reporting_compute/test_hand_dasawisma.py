"""Every column of 4.16a (per rumah tangga) and 4.18b (the dasawisma's month) for a hand-built dasawisma.

Dasawisma Mawar, year T = 2025 (R = 31 Dec 2025), month M = March 2025 (F = 1 Mar, L = 31 Mar 2025;
F - 42 days = 18 Jan 2025). Every expected value below is worked out by hand from the people listed.

RT1 "01" (KK ..01 and ..02) sehat, sampah, SPAL, MCK, PDAM, beras, UP2K, pekarangan, kesling; kepala Budi
  Budi    L 1980-05-10 kepala kawin                         -> total L
  Siti    P 1985-03-15 istri kawin, pregnant since 10 Feb 2025 (open, KEK) -> P, PUS, WUS, ibu hamil
  Andi    L 2020-12-31 anak: exactly 5 on R                 -> total L, NOT balita
  Rina    P 2021-01-01 anak: 4 on R                         -> balita P
  Darmo   L 1965-12-31 orang_tua: exactly 60 on R, 3 buta   -> lansia, 3 buta L
  Yanti   P 2010-12-31 (KK ..02) kawin: exactly 15 on R     -> PUS, WUS
RT2 "02" (KK ..03 and ..04) tidak sehat, sumur + sungai, non beras, industri; no kepala recorded (-> Joko)
  Joko    L 1966-01-01 kepala kawin, 59 on R, tuna daksa     -> not lansia, berkebutuhan khusus
  Wati    P 1976-01-01 istri kawin, 49 on R (50 tomorrow), menyusui; birth 18 Jan 2025 -> PUS, WUS, menyusui;
          in March: nifas (1 Mar = 18 Jan + 42 days)
  Tono    L 2025-01-18 anak (Wati's baby, no akta)          -> balita L
  Sri     P 1976-12-31 (KK ..04) kawin: exactly 49 on R, 3 buta -> PUS, WUS, 3 buta P
  Lastri  P 1975-12-31 (KK ..04) kepala kawin: exactly 50 -> NOT PUS/WUS; stillbirth 17 Jan 2025 (43 days
          before F: NOT nifas in March)
RT3 "03" (KK ..05) sehat, sampah, MCK, lainnya, beras, pekarangan; kepala Agus
  Agus    L 1990-07-07 kepala kawin
  Dewi    P 1992-08-08 istri kawin, menyusui; birth 5 Mar 2025 (lahir hidup) -> melahirkan in March
  Putri   P 2025-03-05 anak of Dewi, akta                    -> balita P; born in March, P, akte ada
  Ijah    P 1940-01-01 mertua                                -> lansia
  Rudi    L 2022-06-10 anak of Dewi, died 31 Mar 2025 (last day of M) at 2 -> balita meninggal L in March
  Ani     P 2024-12-20 died 10 Mar 2025 at 0                 -> bayi meninggal P
  Caca    P 2024-03-15 died 15 Mar 2025, her first birthday  -> balita (not bayi) meninggal P
  Dodi    L 2020-03-20 died 20 Mar 2025, his fifth birthday  -> neither bayi nor balita
RT4 "04" (KK ..06) every flag true, but everybody moved on 30 Jun 2025 -> not counted at all in 2025
  Hadi    L 1970-01-01 kepala kawin, moved 2025-06-30
  Tini    P 1972-02-02 istri kawin, moved 2025-06-30, pregnant since 5 Jan 2025 -> ibu hamil in March only
RT5 "05" (KK ..07) sehat, SPAL, PDAM + sumur, beras, kesling; kepala Bambang
  Bambang L 1988-04-04 kepala kawin
  Maya    P 1995-05-05 istri kawin, pregnant since 1 Sep 2024 (KEK), died 31 Mar 2025 -> ibu meninggal in March,
          not ibu hamil (not active on L) nor KEK
  Bima    L 2025-03-31 no akta, mother not recorded           -> balita L; born in March, L, akte tidak
"""

from __future__ import annotations

import pytest

from reporting import rollup
from reporting.measures import BUKU_II_MEASURES, BUKU_III_MEASURES
from reporting.models import RekapBulanan, RekapTahunan

from .data import D, hamil, rumah_tangga, warga

KK = "33060000000000"


def build_mawar(mawar):
    people = {}
    rt1 = rumah_tangga(mawar, "01", kriteria_rumah="sehat", tempat_sampah=True, spal=True, mck_septic_tank=True,
                       sumber_air_pdam=True, makanan_pokok="beras", up2k=True, pemanfaatan_pekarangan=True,
                       kesehatan_lingkungan=True)  # fmt: skip
    people["budi"] = warga(rt1, KK + "01", "Budi", "L", D(1980, 5, 10), status="kepala_keluarga", kawin="kawin")
    people["siti"] = warga(rt1, KK + "01", "Siti", "P", D(1985, 3, 15), status="istri", kawin="kawin")
    hamil(people["siti"], D(2025, 2, 10), kek=True)
    people["andi"] = warga(rt1, KK + "01", "Andi", "L", D(2020, 12, 31), akta_kelahiran=True)
    people["rina"] = warga(rt1, KK + "01", "Rina", "P", D(2021, 1, 1))
    people["darmo"] = warga(rt1, KK + "01", "Darmo", "L", D(1965, 12, 31), status="orang_tua", kawin="cerai_mati",
                            tiga_buta=True)  # fmt: skip
    people["yanti"] = warga(rt1, KK + "02", "Yanti", "P", D(2010, 12, 31), status="famili_lain", kawin="kawin")
    rt1.kepala = people["budi"]
    rt1.save()

    rt2 = rumah_tangga(mawar, "02", kriteria_rumah="tidak_sehat", sumber_air_sumur=True, sumber_air_sungai=True,
                       makanan_pokok="non_beras", industri_rumah_tangga=True)  # fmt: skip
    people["joko"] = warga(rt2, KK + "03", "Joko", "L", D(1966, 1, 1), status="kepala_keluarga", kawin="kawin",
                           berkebutuhan_khusus="fisik")  # fmt: skip
    people["wati"] = warga(rt2, KK + "03", "Wati", "P", D(1976, 1, 1), status="istri", kawin="kawin", menyusui=True)
    hamil(people["wati"], D(2024, 5, 1), selesai=D(2025, 1, 18), hasil="lahir_hidup")
    people["tono"] = warga(rt2, KK + "03", "Tono", "L", D(2025, 1, 18), ibu=people["wati"])
    people["sri"] = warga(rt2, KK + "04", "Sri", "P", D(1976, 12, 31), status="famili_lain", kawin="kawin",
                          tiga_buta=True)  # fmt: skip
    people["lastri"] = warga(rt2, KK + "04", "Lastri", "P", D(1975, 12, 31), status="kepala_keluarga", kawin="kawin")
    hamil(people["lastri"], D(2024, 6, 1), selesai=D(2025, 1, 17), hasil="lahir_mati")

    rt3 = rumah_tangga(mawar, "03", kriteria_rumah="sehat", tempat_sampah=True, mck_septic_tank=True,
                       sumber_air_lainnya=True, makanan_pokok="beras", pemanfaatan_pekarangan=True)  # fmt: skip
    people["agus"] = warga(rt3, KK + "05", "Agus", "L", D(1990, 7, 7), status="kepala_keluarga", kawin="kawin")
    people["dewi"] = warga(rt3, KK + "05", "Dewi", "P", D(1992, 8, 8), status="istri", kawin="kawin", menyusui=True)
    hamil(people["dewi"], D(2024, 7, 1), selesai=D(2025, 3, 5), hasil="lahir_hidup")
    people["putri"] = warga(rt3, KK + "05", "Putri", "P", D(2025, 3, 5), akta_kelahiran=True, ibu=people["dewi"])
    people["ijah"] = warga(rt3, KK + "05", "Ijah", "P", D(1940, 1, 1), status="mertua", kawin="cerai_mati")
    people["rudi"] = warga(rt3, KK + "05", "Rudi", "L", D(2022, 6, 10), ibu=people["dewi"],
                           tanggal_meninggal=D(2025, 3, 31), sebab_meninggal="diare")  # fmt: skip
    people["ani"] = warga(rt3, KK + "05", "Ani", "P", D(2024, 12, 20), tanggal_meninggal=D(2025, 3, 10),
                          sebab_meninggal="pneumonia")  # fmt: skip
    people["caca"] = warga(rt3, KK + "05", "Caca", "P", D(2024, 3, 15), tanggal_meninggal=D(2025, 3, 15),
                           sebab_meninggal="demam")  # fmt: skip
    people["dodi"] = warga(rt3, KK + "05", "Dodi", "L", D(2020, 3, 20), tanggal_meninggal=D(2025, 3, 20),
                           sebab_meninggal="kecelakaan")  # fmt: skip
    rt3.kepala = people["agus"]
    rt3.save()

    rt4 = rumah_tangga(mawar, "04", kriteria_rumah="sehat", tempat_sampah=True, spal=True, mck_septic_tank=True,
                       sumber_air_pdam=True, sumber_air_sumur=True, sumber_air_sungai=True, sumber_air_lainnya=True,
                       makanan_pokok="beras", up2k=True, pemanfaatan_pekarangan=True, industri_rumah_tangga=True,
                       kesehatan_lingkungan=True)  # fmt: skip
    people["hadi"] = warga(rt4, KK + "06", "Hadi", "L", D(1970, 1, 1), status="kepala_keluarga", kawin="kawin",
                           tanggal_pindah=D(2025, 6, 30))  # fmt: skip
    people["tini"] = warga(rt4, KK + "06", "Tini", "P", D(1972, 2, 2), status="istri", kawin="kawin",
                           tanggal_pindah=D(2025, 6, 30))  # fmt: skip
    hamil(people["tini"], D(2025, 1, 5), kek=False)
    rt4.kepala = people["hadi"]
    rt4.save()

    rt5 = rumah_tangga(mawar, "05", kriteria_rumah="sehat", spal=True, sumber_air_pdam=True, sumber_air_sumur=True,
                       makanan_pokok="beras", kesehatan_lingkungan=True)  # fmt: skip
    people["bambang"] = warga(rt5, KK + "07", "Bambang", "L", D(1988, 4, 4), status="kepala_keluarga", kawin="kawin")
    people["maya"] = warga(rt5, KK + "07", "Maya", "P", D(1995, 5, 5), status="istri", kawin="kawin",
                           tanggal_meninggal=D(2025, 3, 31), sebab_meninggal="perdarahan")  # fmt: skip
    hamil(people["maya"], D(2024, 9, 1), kek=True)
    people["bima"] = warga(rt5, KK + "07", "Bima", "L", D(2025, 3, 31))
    rt5.kepala = people["bambang"]
    rt5.save()
    return people


# 4.16a columns in layout order after NO / NAMA KEPALA RUMAH TANGGA.
COLS = [
    "jml_kk", "total_l", "total_p", "balita_l", "balita_p", "pus", "wus", "ibu_hamil", "ibu_menyusui", "lansia",
    "tiga_buta_l", "tiga_buta_p", "berkebutuhan_khusus",
    "rumah_sehat", "rumah_tidak_sehat", "tempat_sampah", "spal", "mck_septic",
    "air_pdam", "air_sumur", "air_sungai", "air_lainnya", "air_sungai_lainnya",
    "makanan_beras", "makanan_non_beras", "up2k", "pekarangan", "industri_rt", "kesehatan_lingkungan",
]  # fmt: skip

# Per household (kode, kepala, jml_krt, then COLS). Worked out from the module docstring.
EXPECTED_4_16A = [
    #      krt kk  L  P bl bp pus wus hml mny lns 3bL 3bP bk | sht tdk smp spl mck | pdam sumur sungai lain dll | brs non up2k pkr ind kesl  # noqa: E501
    ("01", "Budi", 1, [2, 3, 3, 0, 1, 2, 2, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1]),
    ("02", "Joko", 1, [2, 2, 3, 1, 0, 2, 2, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0]),
    ("03", "Agus", 1, [1, 1, 3, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0]),
    ("04", "Hadi", 0, [0] * 29),  # everybody moved: not counted, house measures 0 despite every flag
    ("05", "Bambang", 1, [1, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]),
]
# The dasawisma (JUMLAH of 4.16a): column sums of the above; jml_krt 4 (RT4 not counted).
EXPECTED_TAHUNAN = {
    "jml_krt": 4, "jml_kk": 6, "total_l": 8, "total_p": 9, "balita_l": 2, "balita_p": 2, "pus": 5, "wus": 5,
    "ibu_hamil": 1, "ibu_menyusui": 2, "lansia": 2, "tiga_buta_l": 1, "tiga_buta_p": 1, "berkebutuhan_khusus": 1,
    "rumah_sehat": 3, "rumah_tidak_sehat": 1, "tempat_sampah": 2, "spal": 2, "mck_septic": 2,
    "air_pdam": 2, "air_sumur": 2, "air_sungai": 1, "air_lainnya": 1, "air_sungai_lainnya": 2,
    "makanan_beras": 3, "makanan_non_beras": 1, "up2k": 1, "pekarangan": 2, "industri_rt": 1,
    "kesehatan_lingkungan": 2,
}  # fmt: skip

# 4.18b row of Mawar for March 2025.
EXPECTED_MARET = {
    "ibu_hamil": 2,  # Siti, Tini (active on L); Maya died on L, Wati/Dewi/Lastri ended before L
    "ibu_hamil_kek": 1,  # Siti (Maya would be, but she is not active on L)
    "ibu_melahirkan": 1,  # Dewi, 5 March
    "ibu_nifas": 1,  # Wati (18 Jan + 42 days = 1 Mar = F); Lastri (17 Jan, 43 days) not
    "ibu_meninggal": 1,  # Maya, pregnant, died 31 March (last day of M)
    "bayi_lahir_l": 1,  # Bima, 31 March
    "bayi_lahir_p": 1,  # Putri, 5 March
    "akte_ada": 1,  # Putri
    "akte_tidak": 1,  # Bima
    "bayi_meninggal_l": 0,
    "bayi_meninggal_p": 1,  # Ani, died before her first birthday
    "balita_meninggal_l": 1,  # Rudi, 2 years, died 31 March; Dodi died on his 5th birthday: not balita
    "balita_meninggal_p": 1,  # Caca, died on her first birthday: balita, not bayi
}


@pytest.fixture
def mawar(units):
    build_mawar(units["mawar"])
    rollup.rebuild(units["kab"], tahun=2025)
    return units["mawar"]


def test_every_column_of_4_16a_per_rumah_tangga(mawar, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        rows = rollup.rumah_tangga_rows(mawar, 2025)
    assert [(r["kode"], r["nama_kepala"]) for r in rows] == [(k, n) for k, n, _, _ in EXPECTED_4_16A]
    for row, (kode, _, krt, values) in zip(rows, EXPECTED_4_16A, strict=True):
        assert row["jml_krt"] == krt, kode
        assert row["dihitung"] is bool(krt), kode
        assert {c: row[c] for c in COLS} == dict(zip(COLS, values, strict=True)), kode


def test_4_16a_jumlah_is_the_stored_dasawisma_row(mawar):
    rows = rollup.rumah_tangga_rows(mawar, 2025)
    jumlah = {name: sum(r[name] for r in rows) for name in BUKU_II_MEASURES}
    assert jumlah == EXPECTED_TAHUNAN
    stored = RekapTahunan.objects.get(unit=mawar, tahun=2025)
    assert {n: getattr(stored, n) for n in BUKU_II_MEASURES} == EXPECTED_TAHUNAN
    assert (stored.jml_dasawisma, stored.jml_rt, stored.jml_rw, stored.jml_dusun, stored.jml_desa) == (1, 0, 0, 0, 0)


def test_every_column_of_4_18b_for_the_month(mawar):
    stored = RekapBulanan.objects.get(unit=mawar, bulan=D(2025, 3, 1))
    assert {n: getattr(stored, n) for n in BUKU_III_MEASURES} == EXPECTED_MARET
    assert stored.jml_dasawisma == 1


def test_other_months_of_the_year_are_stored_too(mawar):
    assert RekapBulanan.objects.filter(unit=mawar, bulan__year=2025).count() == 12
    feb = RekapBulanan.objects.get(unit=mawar, bulan=D(2025, 2, 1))
    # February: Siti (since 10 Feb), Tini, Maya and Dewi (until 5 Mar) pregnant on 28 Feb, KEK: Siti, Maya;
    # Wati and Lastri nifas on 1 Feb.
    assert (feb.ibu_hamil, feb.ibu_hamil_kek, feb.ibu_nifas, feb.ibu_melahirkan) == (4, 2, 2, 0)
    jan = RekapBulanan.objects.get(unit=mawar, bulan=D(2025, 1, 1))
    # January: Wati (live) and Lastri (stillbirth) gave birth; Tono born (L, no akta).
    assert (jan.ibu_melahirkan, jan.bayi_lahir_l, jan.akte_tidak, jan.ibu_nifas) == (2, 1, 1, 0)
    # Every other dasawisma of the tree has its (empty) row as well.
    assert RekapBulanan.objects.filter(bulan=D(2025, 3, 1), unit__level="dasawisma").count() == 5


def test_4_18a_list_of_the_month(mawar):
    lines = rollup.buku3_dasawisma_rows(mawar, D(2025, 3, 1))
    got = [
        (ln["nama_ibu"], ln["nama_suami"], ln["status_ibu"], ln["nama_bayi"], ln["jk_bayi"], ln["akte"],
         ln["nama_meninggal"], ln["status_meninggal"], ln["jk_meninggal"])
        for ln in lines
    ]  # fmt: skip
    assert got == [
        ("Dewi", "Agus", "melahirkan", "Putri", "P", "ada", "Rudi", "balita", "L"),
        ("Maya", "Bambang", "meninggal", "", "", "", "Maya", "ibu", "P"),
        ("Siti", "Budi", "hamil", "", "", "", "", "", ""),
        ("Tini", "Hadi", "hamil", "", "", "", "", "", ""),
        ("Wati", "Joko", "nifas", "", "", "", "", "", ""),
        ("", "", "", "Bima", "L", "tidak", "", "", ""),
        ("", "", "", "", "", "", "Ani", "bayi", "P"),
        ("", "", "", "", "", "", "Caca", "balita", "P"),
    ]
    assert lines[0]["tgl_lahir"] == D(2025, 3, 5) and lines[0]["tgl_meninggal"] == D(2025, 3, 31)
    assert lines[0]["sebab_meninggal"] == "diare"
    assert [ln["kek"] for ln in lines[:5]] == [False, False, True, False, False]
    # The list's counts equal the stored 4.18b row.
    count = lambda f, v: sum(1 for ln in lines if ln[f] == v)  # noqa: E731
    assert count("jk_bayi", "L") == EXPECTED_MARET["bayi_lahir_l"]
    assert count("jk_bayi", "P") == EXPECTED_MARET["bayi_lahir_p"]
    assert count("akte", "ada") == EXPECTED_MARET["akte_ada"]
    assert sum(1 for ln in lines if "hamil" in ln["status_ibu"].split("/")) == EXPECTED_MARET["ibu_hamil"]


def test_ancestors_are_sums(mawar, units):
    rt1 = RekapTahunan.objects.get(unit=units["rt1"], tahun=2025)
    assert rt1.total_p == EXPECTED_TAHUNAN["total_p"]  # Melati is empty
    assert (rt1.jml_rt, rt1.jml_dasawisma) == (1, 2)
    kab = RekapBulanan.objects.get(unit=units["kab"], bulan=D(2025, 3, 1))
    assert kab.ibu_meninggal == 1 and kab.balita_meninggal_p == 1
    assert (kab.jml_desa, kab.jml_dusun, kab.jml_rw, kab.jml_rt, kab.jml_dasawisma) == (3, 1, 3, 4, 5)
    prov = RekapTahunan.objects.get(unit=units["prov"], tahun=2025)
    assert prov.jml_krt == 4 and prov.jml_desa == 3
