"""Report layouts as data: one declarative definition per lampiran of the Rakernas X edition.

A layout is a tree of columns. Group columns carry a header label over their children; leaf columns say
how a cell is filled:

* ``no``    the row number (1, 2, 3 ...),
* ``name``  the row's name (rumah tangga head, dasawisma, RT number ...),
* ``num``   the sum of one or more stored measures (``reporting.measures``), summed in the JUMLAH row,
* ``text``  a text field of a list row (4.18a), blank in the JUMLAH row,
* ``mark``  1 when a list row's field equals ``match`` (e.g. JK = L), summed in the JUMLAH row,
* ``ket``   the KET/KETERANGAN column (left empty for hand notes).

The same definition drives the HTML table (``reporting/templates/reporting/rekap.html``), the Excel
sheet (``reporting.excel``) and the tests: nothing else lists columns. Layout facts (group headers,
column order, titles) follow the official forms as transcribed in DOMAIN.md section 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pkk.models import Level

from .books import BUKU_II, BUKU_III, JenisLaporan
from .measures import MEASURES, UNIT_COUNT_NAMES

NUMERIC_KINDS = ("num", "mark")


@dataclass(frozen=True)
class Col:
    label: str
    kind: str = "group"  # group | no | name | num | text | mark | ket
    measures: tuple[str, ...] = ()
    field: str = ""
    match: str = ""
    children: tuple[Col, ...] = ()
    words: tuple[tuple[str, str], ...] = ()  # ``text``: stored value -> the word the form prints

    @property
    def is_leaf(self) -> bool:
        return self.kind != "group"

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def leaves(self) -> list[Col]:
        if self.is_leaf:
            return [self]
        out: list[Col] = []
        for child in self.children:
            out.extend(child.leaves())
        return out

    def depth(self) -> int:
        if self.is_leaf:
            return 1
        return 1 + max(child.depth() for child in self.children)


@dataclass(frozen=True)
class HeaderCell:
    label: str
    row: int  # 0-based header row
    col: int  # 0-based first leaf index
    rowspan: int
    colspan: int


@dataclass(frozen=True)
class Layout:
    lampiran: str
    buku: JenisLaporan
    tier: str  # the unit level the report is for (pkk.models.Level)
    row_level: str  # the level of each row ("rumah_tangga" / "catatan" for the dasawisma lists)
    title: tuple[str, ...]
    meta_levels: tuple[str, ...]  # levels named in the meta lines, the report's own unit first
    columns: tuple[Col, ...]
    signature_left: tuple[str, ...]  # "Mengetahui," and the title of the one who signs it
    signature_right: tuple[str, ...]  # the title of the one who made it
    personal_data: bool = False  # rows carry names of persons (UU 27/2022: exports are logged)
    name_label_without_dusun: str = ""  # 4.17a/4.19a: header of the name column when rows are RW
    paper: str = "A4"  # A4 | F4 | A3: the paper it prints on (``PKK_PAPER`` overrides, see ``paper_for``)

    @cached_property
    def leaves(self) -> list[Col]:
        out: list[Col] = []
        for col in self.columns:
            out.extend(col.leaves())
        return out

    @cached_property
    def header_depth(self) -> int:
        return max(col.depth() for col in self.columns)

    @cached_property
    def header_cells(self) -> list[HeaderCell]:
        """Every header cell with its row/col span, row by row (what HTML and Excel both draw)."""
        cells: list[HeaderCell] = []
        depth = self.header_depth

        def walk(col: Col, row: int, first: int) -> int:
            width = len(col.leaves())
            rowspan = depth - row if col.is_leaf else 1
            cells.append(HeaderCell(col.label, row, first, rowspan, width))
            if not col.is_leaf:
                pos = first
                for child in col.children:
                    pos = walk(child, row + 1, pos)
            return first + width

        pos = 0
        for col in self.columns:
            pos = walk(col, 0, pos)
        return sorted(cells, key=lambda c: (c.row, c.col))

    @cached_property
    def header_rows(self) -> list[list[HeaderCell]]:
        rows: list[list[HeaderCell]] = [[] for _ in range(self.header_depth)]
        for cell in self.header_cells:
            rows[cell.row].append(cell)
        return rows

    @property
    def width(self) -> int:
        return len(self.leaves)

    def measures_used(self) -> set[str]:
        return {m for leaf in self.leaves for m in leaf.measures}

    @property
    def is_list(self) -> bool:
        """The dasawisma sheets list rumah tangga / persons, not child units."""
        return self.tier == Level.DASAWISMA


# ---------------------------------------------------------------------------------------------- helpers


def no() -> Col:
    return Col("NO", "no")


def name(label: str) -> Col:
    return Col(label, "name")


def num(label: str, *measures: str) -> Col:
    return Col(label, "num", measures=measures)


def group(label: str, *children: Col) -> Col:
    return Col(label, "group", children=children)


def text(label: str, field_name: str, words: dict[str, str] | None = None) -> Col:
    return Col(label, "text", field=field_name, words=tuple((words or {}).items()))


def mark(label: str, field_name: str, match: str) -> Col:
    return Col(label, "mark", field=field_name, match=match)


def ket(label: str = "KET") -> Col:
    return Col(label, "ket")


def lp(label: str, measure_l: str, measure_p: str) -> Col:
    return group(label, num("L", measure_l), num("P", measure_p))


# Leading count columns of registered units (DOMAIN.md section 4), highest level first.
COUNT_LABELS = {
    "jml_desa": "JML DESA/KEL",
    "jml_dusun": "JML DUSUN/LINGK",
    "jml_rw": "JML RW",
    "jml_rt": "JML RT",
    "jml_dasawisma": "JML DASAWISMA",
}
# Buku III forms put the counts under one JUMLAH group header.
COUNT_SUBLABELS = {
    "jml_desa": "DESA/KEL",
    "jml_dusun": "DUSUN/LINGK",
    "jml_rw": "RW",
    "jml_rt": "RT",
    "jml_dasawisma": "DASA WISMA",
}


def counts(*names: str) -> tuple[Col, ...]:
    return tuple(num(COUNT_LABELS[n], n) for n in names)


def anggota(*, tiga_buta_split: bool, berkebutuhan_khusus: bool) -> Col:
    tiga_buta = (
        lp("3 BUTA", "tiga_buta_l", "tiga_buta_p") if tiga_buta_split else num("3 BUTA", "tiga_buta_l", "tiga_buta_p")
    )
    children = [
        lp("TOTAL", "total_l", "total_p"),
        lp("BALITA", "balita_l", "balita_p"),
        num("PUS", "pus"),
        num("WUS", "wus"),
        num("IBU HAMIL", "ibu_hamil"),
        num("IBU MENYUSUI", "ibu_menyusui"),
        num("LANSIA", "lansia"),
        tiga_buta,
    ]
    if berkebutuhan_khusus:
        children.append(num("BERKEBUTUHAN KHUSUS", "berkebutuhan_khusus"))
    return group("JUMLAH ANGGOTA KELUARGA", *children)


MAKANAN = group("MAKANAN POKOK", num("BERAS", "makanan_beras"), num("NON BERAS", "makanan_non_beras"))
KEGIATAN = group(
    "WARGA MENGIKUTI KEGIATAN",
    num("UP2K", "up2k"),
    num("PEMANFAATAN TANAH PEKARANGAN", "pekarangan"),
    num("INDUSTRI RUMAH TANGGA", "industri_rt"),
    num("KESEHATAN LINGKUNGAN", "kesehatan_lingkungan"),
)


def buku2_kelompok_block() -> tuple[Col, ...]:
    """Dasawisma and RT tiers (4.16a, 4.16b)."""
    return (
        anggota(tiga_buta_split=False, berkebutuhan_khusus=True),
        group(
            "KRITERIA RUMAH",
            num("SEHAT LAYAK HUNI", "rumah_sehat"),
            num("TIDAK SEHAT LAYAK HUNI", "rumah_tidak_sehat"),
            num("MEMILIKI TEMPAT PEMBUANGAN SAMPAH", "tempat_sampah"),
            num("MEMILIKI SPAL/PEMBUANGAN AIR", "spal"),
            num("MEMILIKI SARANA MCK DAN SEPTIC TANK", "mck_septic"),
        ),
        group(
            "SUMBER AIR KELUARGA",
            num("PDAM", "air_pdam"),
            num("SUMUR", "air_sumur"),
            num("DLL", "air_sungai_lainnya"),
        ),
        MAKANAN,
        KEGIATAN,
        ket("KET"),
    )


def buku2_rekap_block(*, tiga_buta_split: bool = True, ket_label: str = "KET") -> tuple[Col, ...]:
    """RW tier and up (4.16c, 4.16d, 4.17a with one 3 BUTA column, 4.17b, 4.17c)."""
    return (
        anggota(tiga_buta_split=tiga_buta_split, berkebutuhan_khusus=False),
        group(
            "KRITERIA RUMAH",
            num("SEHAT LAYAK HUNI", "rumah_sehat"),
            num("TIDAK SEHAT LAYAK HUNI", "rumah_tidak_sehat"),
            num("MEMILIKI TEMPAT PEMBUANGAN SAMPAH", "tempat_sampah"),
            num("MEMILIKI SPAL DAN PENYERAPAN AIR", "spal"),
        ),
        group(
            "SUMBER AIR KELUARGA",
            num("PDAM", "air_pdam"),
            num("SUMUR", "air_sumur"),
            num("SUNGAI", "air_sungai"),
            num("DLL", "air_lainnya"),
        ),
        num("JUMLAH SARANA MCK", "mck_septic"),
        MAKANAN,
        KEGIATAN,
        ket(ket_label),
    )


def buku3_rekap_block() -> tuple[Col, ...]:
    return (
        group(
            "JUMLAH IBU",
            num("HAMIL", "ibu_hamil"),
            num("MELAHIRKAN", "ibu_melahirkan"),
            num("NIFAS", "ibu_nifas"),
            num("MENINGGAL", "ibu_meninggal"),
        ),
        group(
            "JUMLAH BAYI",
            lp("LAHIR", "bayi_lahir_l", "bayi_lahir_p"),
            group("AKTE KELAHIRAN", num("ADA", "akte_ada"), num("TIDAK", "akte_tidak")),
            lp("MENINGGAL", "bayi_meninggal_l", "bayi_meninggal_p"),
        ),
        lp("JML BALITA MENINGGAL", "balita_meninggal_l", "balita_meninggal_p"),
        ket("KETERANGAN"),
    )


def buku3_counts(*names: str) -> tuple[Col, ...]:
    return (group("JUMLAH", *(num(COUNT_SUBLABELS[n], n) for n in names)),)


BUKU2_TITLE = "CATATAN DATA DAN KEGIATAN WARGA"
BUKU2_REKAP_TITLE = "REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"
BUKU3_TITLE = (
    "REKAPITULASI DATA/BUKU CATATAN IBU HAMIL, MELAHIRKAN, NIFAS, IBU MENINGGAL, KELAHIRAN BAYI, "
    "BAYI MENINGGAL DAN KEMATIAN BALITA"
)
BUKU3_LIST_TITLE = (
    "BUKU CATATAN IBU HAMIL, MELAHIRKAN, NIFAS, IBU MENINGGAL, KELAHIRAN BAYI, BAYI MENINGGAL DAN KEMATIAN BALITA"
)

# 4.18a: the statuses in the form's own words (a mother may have several in a month: "Melahirkan/Nifas").
STATUS_IBU_WORDS = {"hamil": "Hamil", "melahirkan": "Melahirkan", "nifas": "Nifas", "meninggal": "Meninggal"}
STATUS_MENINGGAL_WORDS = {"ibu": "Ibu", "bayi": "Bayi", "balita": "Balita"}

MENGETAHUI = "Mengetahui,"
YANG_MEMBUAT = "Yang membuat,"

D, RT, RW, DSN, DS, KEC, KAB, PROV = (
    Level.DASAWISMA.value,
    Level.RT.value,
    Level.RW.value,
    Level.DUSUN.value,
    Level.DESA.value,
    Level.KECAMATAN.value,
    Level.KABUPATEN.value,
    Level.PROVINSI.value,
)

LAYOUTS: dict[str, Layout] = {}


def _add(layout: Layout) -> None:
    LAYOUTS[layout.lampiran] = layout


# --------------------------------------------------------------------------------- Buku II (annual)

_add(
    Layout(
        lampiran="4.16a",
        buku=BUKU_II,
        paper="F4",
        tier=D,
        row_level="rumah_tangga",
        title=(BUKU2_REKAP_TITLE, "KELOMPOK DASA WISMA"),
        meta_levels=(D, RT, DSN, DS, KEC, KAB),
        columns=(no(), name("NAMA KEPALA RUMAH TANGGA"), num("JML KK", "jml_kk"), *buku2_kelompok_block()),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK RT"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok Dasa Wisma"),
        personal_data=True,
    )
)
_add(
    Layout(
        lampiran="4.16b",
        buku=BUKU_II,
        paper="A3",
        tier=RT,
        row_level=D,
        title=(BUKU2_REKAP_TITLE, "KELOMPOK PKK RT"),
        meta_levels=(RT, DSN, DS, KEC, KAB),
        columns=(
            no(),
            name("NAMA DASAWISMA"),
            num("JML KRT", "jml_krt"),
            num("JML KK", "jml_kk"),
            *buku2_kelompok_block(),
        ),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK RW"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK RT"),
    )
)
_KRT_KK = (num("JML KRT", "jml_krt"), num("JML KK", "jml_kk"))
_add(
    Layout(
        lampiran="4.16c",
        buku=BUKU_II,
        paper="A3",
        tier=RW,
        row_level=RT,
        title=(BUKU2_TITLE, "KELOMPOK PKK RW"),
        meta_levels=(RW, DSN, DS, KEC, KAB),
        columns=(no(), name("NOMOR RT"), *counts("jml_dasawisma"), *_KRT_KK, *buku2_rekap_block()),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK Dusun/Lingkungan"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK RW"),
    )
)
_add(
    Layout(
        lampiran="4.16d",
        buku=BUKU_II,
        paper="A3",
        tier=DSN,
        row_level=RW,
        title=(BUKU2_TITLE, "KELOMPOK PKK DUSUN/LINGKUNGAN"),
        meta_levels=(DSN, DS, KEC, KAB),
        columns=(no(), name("NOMOR RW"), *counts("jml_rt", "jml_dasawisma"), *_KRT_KK, *buku2_rekap_block()),
        signature_left=(MENGETAHUI, "Ketua TP PKK Desa/Kelurahan"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK Dusun/Lingkungan"),
    )
)
_add(
    Layout(
        lampiran="4.17a",
        buku=BUKU_II,
        paper="A3",
        tier=DS,
        row_level=DSN,
        title=(BUKU2_TITLE, "TP PKK DESA/KELURAHAN"),
        meta_levels=(DS, KEC, KAB),
        columns=(
            no(),
            name("NAMA DUSUN/LINGKUNGAN"),
            *counts("jml_rw", "jml_rt", "jml_dasawisma"),
            *_KRT_KK,
            *buku2_rekap_block(tiga_buta_split=False, ket_label="KETERANGAN"),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Desa/Kelurahan"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Desa/Kelurahan"),
        name_label_without_dusun="NOMOR RW",
    )
)
_add(
    Layout(
        lampiran="4.17b",
        buku=BUKU_II,
        paper="A3",
        tier=KEC,
        row_level=DS,
        title=(BUKU2_TITLE, "TP PKK KECAMATAN"),
        meta_levels=(KEC, KAB, PROV),
        columns=(
            no(),
            name("NAMA DESA/KELURAHAN"),
            *counts("jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma"),
            *_KRT_KK,
            *buku2_rekap_block(ket_label="KETERANGAN"),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Kecamatan"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Kecamatan"),
    )
)
_add(
    Layout(
        lampiran="4.17c",
        buku=BUKU_II,
        paper="A3",
        tier=KAB,
        row_level=KEC,
        title=(BUKU2_TITLE, "TP PKK KABUPATEN/KOTA"),
        meta_levels=(KAB, PROV),
        columns=(
            no(),
            name("NAMA KECAMATAN"),
            *counts("jml_desa", "jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma"),
            *_KRT_KK,
            *buku2_rekap_block(ket_label="KETERANGAN"),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Kabupaten/Kota"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Kabupaten/Kota"),
    )
)

# -------------------------------------------------------------------------------- Buku III (monthly)

_add(
    Layout(
        lampiran="4.18a",
        buku=BUKU_III,
        paper="F4",
        tier=D,
        row_level="catatan",
        title=(BUKU3_LIST_TITLE, "DALAM KELOMPOK DASA WISMA"),
        meta_levels=(D, RT, DSN, DS, KEC, KAB),
        columns=(
            no(),
            name("NAMA IBU"),
            text("NAMA SUAMI", "nama_suami"),
            text("STATUS (HAMIL/MELAHIRKAN/NIFAS)", "status_ibu", STATUS_IBU_WORDS),
            group(
                "CATATAN KELAHIRAN",
                text("NAMA BAYI", "nama_bayi"),
                group("JENIS KELAMIN", mark("L", "jk_bayi", "L"), mark("P", "jk_bayi", "P")),
                text("TGL. LAHIR", "tgl_lahir"),
                group("AKTE KELAHIRAN", mark("ADA", "akte", "ada"), mark("TIDAK", "akte", "tidak")),
            ),
            group(
                "CATATAN KEMATIAN",
                text("NAMA IBU/BAYI/BALITA", "nama_meninggal"),
                text("STATUS (IBU/BALITA/BAYI)", "status_meninggal", STATUS_MENINGGAL_WORDS),
                group("JENIS KELAMIN", mark("L", "jk_meninggal", "L"), mark("P", "jk_meninggal", "P")),
                text("TGL. MENINGGAL", "tgl_meninggal"),
                text("SEBAB MENINGGAL", "sebab_meninggal"),
            ),
            ket("KETERANGAN"),
        ),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK RT"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok Dasa Wisma"),
        personal_data=True,
    )
)
_add(
    Layout(
        lampiran="4.18b",
        buku=BUKU_III,
        tier=RT,
        row_level=D,
        title=(BUKU3_TITLE, "DALAM KELOMPOK PKK RT"),
        meta_levels=(RT, DSN, DS, KEC, KAB),
        columns=(no(), name("NAMA KELOMPOK DASA WISMA"), *buku3_rekap_block()),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK RW"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK RT"),
    )
)
_add(
    Layout(
        lampiran="4.18c",
        buku=BUKU_III,
        tier=RW,
        row_level=RT,
        title=(BUKU3_TITLE, "DALAM KELOMPOK PKK RW"),
        meta_levels=(RW, DSN, DS, KEC, KAB),
        columns=(no(), name("NOMOR RT"), *buku3_counts("jml_dasawisma"), *buku3_rekap_block()),
        signature_left=(MENGETAHUI, "Ketua Kelompok PKK Dusun/Lingkungan"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK RW"),
    )
)
_add(
    Layout(
        lampiran="4.18d",
        buku=BUKU_III,
        tier=DSN,
        row_level=RW,
        title=(BUKU3_TITLE, "DALAM KELOMPOK PKK DUSUN/LINGKUNGAN"),
        meta_levels=(DSN, DS, KEC, KAB),
        columns=(no(), name("NOMOR RW"), *buku3_counts("jml_rt", "jml_dasawisma"), *buku3_rekap_block()),
        signature_left=(MENGETAHUI, "Ketua TP PKK Desa/Kelurahan"),
        signature_right=(YANG_MEMBUAT, "Ketua Kelompok PKK Dusun/Lingkungan"),
    )
)
_add(
    Layout(
        lampiran="4.19a",
        buku=BUKU_III,
        tier=DS,
        row_level=DSN,
        title=(BUKU3_TITLE, "PADA TINGKAT TP PKK DESA/KELURAHAN"),
        meta_levels=(DS, KEC, KAB),
        columns=(
            no(),
            name("NAMA DUSUN/LINGKUNGAN"),
            *buku3_counts("jml_rw", "jml_rt", "jml_dasawisma"),
            *buku3_rekap_block(),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Desa/Kelurahan"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Desa/Kelurahan"),
        name_label_without_dusun="NOMOR RW",
    )
)
_add(
    Layout(
        lampiran="4.19b",
        buku=BUKU_III,
        tier=KEC,
        row_level=DS,
        title=(BUKU3_TITLE, "PADA TINGKAT TP PKK KECAMATAN"),
        meta_levels=(KEC, KAB, PROV),
        columns=(
            no(),
            name("NAMA DESA/KELURAHAN"),
            *buku3_counts("jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma"),
            *buku3_rekap_block(),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Kecamatan"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Kecamatan"),
    )
)
_add(
    Layout(
        lampiran="4.19c",
        buku=BUKU_III,
        tier=KAB,
        row_level=KEC,
        title=(BUKU3_TITLE, "PADA TINGKAT TP PKK KABUPATEN/KOTA"),
        meta_levels=(KAB, PROV),
        columns=(
            no(),
            name("NAMA KECAMATAN"),
            *buku3_counts("jml_desa", "jml_dusun", "jml_rw", "jml_rt", "jml_dasawisma"),
            *buku3_rekap_block(),
        ),
        signature_left=(MENGETAHUI, "Ketua TP PKK Kabupaten/Kota"),
        signature_right=(YANG_MEMBUAT, "Sekretaris TP PKK Kabupaten/Kota"),
    )
)

BY_TIER: dict[tuple[str, str], Layout] = {(lay.buku, lay.tier): lay for lay in LAYOUTS.values()}


def layout_for(buku: str, level: str) -> Layout | None:
    """The sheet for a unit of ``level`` (None for tiers without a sheet, e.g. provinsi)."""
    return BY_TIER.get((buku, level))


def get_layout(lampiran: str) -> Layout | None:
    return LAYOUTS.get(lampiran.lower())


PAPERS = ("A4", "F4", "A3")


def paper_for(layout: Layout) -> str:
    """The paper ``layout`` prints on: the layout's default unless ``PKK_PAPER`` names another, either one
    paper for every sheet ("A3") or per lampiran ("4.17c=A3,4.19c=F4")."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    raw = (getattr(settings, "PKK_PAPER", "") or "").strip()
    chosen = layout.paper
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, _, value = item.rpartition("=")
        value = value.strip().upper()
        if value not in PAPERS:
            raise ImproperlyConfigured(f"PKK_PAPER: kertas {value!r} tidak dikenal (A4, F4 atau A3)")
        if not key or key.strip().lower() == layout.lampiran:
            chosen = value
    return chosen


def _check() -> None:
    """Every measure a layout names exists (fails at import, not in a report)."""
    for lay in LAYOUTS.values():
        allowed = set(UNIT_COUNT_NAMES) | set(MEASURES[lay.buku])
        unknown = lay.measures_used() - allowed
        if unknown:
            raise ValueError(f"Lampiran {lay.lampiran}: ukuran tidak dikenal {sorted(unknown)}")


_check()

__all__ = ["LAYOUTS", "Col", "HeaderCell", "Layout", "get_layout", "layout_for"]
