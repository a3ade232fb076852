"""The measures stored per unit and period (DOMAIN.md section 4). Names are the contract between the
roll-up SQL, the stored rekap tables, the report layouts, the Excel sheets and the tests."""

from .books import BUKU_II, BUKU_III

# Leading counts of registered units below a unit (a unit of that level counts itself).
UNIT_COUNTS: list[tuple[str, str]] = [
    ("jml_desa", "JML DESA/KEL"),
    ("jml_dusun", "JML DUSUN/LINGK"),
    ("jml_rw", "JML RW"),
    ("jml_rt", "JML RT"),
    ("jml_dasawisma", "JML DASAWISMA"),
]

# Buku II, annual, reference date R = 31 December of the year.
BUKU_II_LABELS: list[tuple[str, str]] = [
    ("jml_krt", "JML KRT"),
    ("jml_kk", "JML KK"),
    ("total_l", "TOTAL L"),
    ("total_p", "TOTAL P"),
    ("balita_l", "BALITA L"),
    ("balita_p", "BALITA P"),
    ("pus", "PUS"),
    ("wus", "WUS"),
    ("ibu_hamil", "IBU HAMIL"),
    ("ibu_menyusui", "IBU MENYUSUI"),
    ("lansia", "LANSIA"),
    ("tiga_buta_l", "3 BUTA L"),
    ("tiga_buta_p", "3 BUTA P"),
    ("berkebutuhan_khusus", "BERKEBUTUHAN KHUSUS"),
    ("rumah_sehat", "SEHAT LAYAK HUNI"),
    ("rumah_tidak_sehat", "TIDAK SEHAT LAYAK HUNI"),
    ("tempat_sampah", "TEMPAT SAMPAH"),
    ("spal", "SPAL"),
    ("mck_septic", "SARANA MCK DAN SEPTIC TANK"),
    ("air_pdam", "PDAM"),
    ("air_sumur", "SUMUR"),
    ("air_sungai", "SUNGAI"),
    ("air_lainnya", "LAINNYA"),
    ("air_sungai_lainnya", "DLL (SUNGAI/LAINNYA)"),
    ("makanan_beras", "BERAS"),
    ("makanan_non_beras", "NON BERAS"),
    ("up2k", "UP2K"),
    ("pekarangan", "PEMANFAATAN TANAH PEKARANGAN"),
    ("industri_rt", "INDUSTRI RUMAH TANGGA"),
    ("kesehatan_lingkungan", "KESEHATAN LINGKUNGAN"),
]

# Buku III, monthly, F = first day, L = last day of the month.
BUKU_III_LABELS: list[tuple[str, str]] = [
    ("ibu_hamil", "HAMIL"),
    ("ibu_hamil_kek", "HAMIL KEK"),
    ("ibu_melahirkan", "MELAHIRKAN"),
    ("ibu_nifas", "NIFAS"),
    ("ibu_meninggal", "MENINGGAL"),
    ("bayi_lahir_l", "LAHIR L"),
    ("bayi_lahir_p", "LAHIR P"),
    ("akte_ada", "AKTE ADA"),
    ("akte_tidak", "AKTE TIDAK"),
    ("bayi_meninggal_l", "MENINGGAL L"),
    ("bayi_meninggal_p", "MENINGGAL P"),
    ("balita_meninggal_l", "BALITA MENINGGAL L"),
    ("balita_meninggal_p", "BALITA MENINGGAL P"),
]

BUKU_II_MEASURES = [n for n, _ in BUKU_II_LABELS]
BUKU_III_MEASURES = [n for n, _ in BUKU_III_LABELS]
UNIT_COUNT_NAMES = [n for n, _ in UNIT_COUNTS]

# The measure names of each book, keyed by the book.
MEASURES: dict[str, list[str]] = {BUKU_II: BUKU_II_MEASURES, BUKU_III: BUKU_III_MEASURES}
