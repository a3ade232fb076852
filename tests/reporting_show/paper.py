"""Shared data and helpers of the paper tests: every lampiran at real kabupaten magnitudes (6-digit JUMLAH
figures), 4.16a/4.18a with long names and a long cause of death, and readers of what prints."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from dasawisma.models import Kehamilan, Keluarga, RumahTangga, Warga
from pkk.fontmetrics import column_points, excel_width_to_points
from reporting.books import BUKU_II
from reporting.excel import PAPER, printable
from reporting.layouts import LAYOUTS

from . import conftest as show

TAHUN, BULAN = show.TAHUN, show.BULAN
EMPTY_BULAN = dt.date(2024, 3, 1)  # before any pregnancy, birth or death of the test households

# Which unit of the test tree each lampiran is drawn for.
UNIT_OF = {
    "4.16a": "mawar",
    "4.16b": "rt1",
    "4.16c": "rw1",
    "4.16d": "krajan",
    "4.17a": "kaliboto",
    "4.17b": "bener",
    "4.17c": "kab",
    "4.18a": "mawar",
    "4.18b": "rt1",
    "4.18c": "rw1",
    "4.18d": "krajan",
    "4.19a": "kaliboto",
    "4.19b": "bener",
    "4.19c": "kab",
}


def big_values(names, unit, salt):
    """20,000-90,000 per dasawisma: with six dasawisma every JUMLAH of the kabupaten has six digits."""
    return {n: 20_000 + ((unit.pk * 37 + i * 11 + salt) % 97) * 730 for i, n in enumerate(names)}


_seq = iter(range(1, 100_000))


def _warga(rt, kel, nama, jk, lahir, status, kawin="kawin", **kw):
    return Warga.objects.create(
        dasawisma=rt.dasawisma,
        rumah_tangga=rt,
        keluarga=kel,
        no_kk=kel.no_kk,
        no_registrasi=f"PPR{next(_seq)}",
        nama=nama,
        jenis_kelamin=jk,
        tanggal_lahir=lahir,
        status_perkawinan=kawin,
        status_dalam_keluarga=status,
        agama="islam",
        pendidikan="sma",
        tempat_lahir="Purworejo",
        pekerjaan="Petani",
        **kw,
    )


def households(tree):
    """Two households in Mawar: a birth, a pregnancy and a baby's death with a long cause in March 2025."""
    mawar = tree.mawar
    a = RumahTangga.objects.create(dasawisma=mawar, kode="P01", spal=True, sumber_air_sumur=True, tempat_sampah=True)
    ka = Keluarga.objects.create(rumah_tangga=a, no_kk="3306010101019001")
    kepala = _warga(a, ka, "Muhammad Bambang Setyo Wibowo Kusumaningrat", "L", dt.date(1980, 1, 2), "kepala_keluarga")
    ibu = _warga(a, ka, "Sri Rahayu Ningsih Puspitasari", "P", dt.date(1990, 5, 1), "istri", menyusui=True)
    Kehamilan.objects.create(
        warga=ibu,
        dasawisma=mawar,
        tanggal_mulai=dt.date(2024, 6, 20),
        tanggal_selesai=dt.date(2025, 3, 5),
        hasil="lahir_hidup",
    )
    _warga(
        a, ka, "Rina Ayu Lestari", "P", dt.date(2025, 3, 5), "anak", kawin="belum_kawin", akta_kelahiran=True, ibu=ibu
    )
    _warga(
        a,
        ka,
        "Bagus Pratama",
        "L",
        dt.date(2025, 1, 10),
        "anak",
        kawin="belum_kawin",
        ibu=ibu,
        tanggal_meninggal=dt.date(2025, 3, 20),
        sebab_meninggal="Infeksi saluran pernapasan akut disertai diare berat dan dehidrasi",
    )
    a.kepala = kepala
    a.save()
    b = RumahTangga.objects.create(dasawisma=mawar, kode="P02", sumber_air_pdam=True)
    kb = Keluarga.objects.create(rumah_tangga=b, no_kk="3306010101019002")
    kepala_b = _warga(b, kb, "Joko Susilo", "L", dt.date(1950, 7, 1), "kepala_keluarga")
    hamil = _warga(b, kb, "Dewi Kartika", "P", dt.date(1995, 2, 2), "istri")
    Kehamilan.objects.create(warga=hamil, dasawisma=mawar, tanggal_mulai=dt.date(2025, 1, 10))
    b.kepala = kepala_b
    b.save()


def periode_of(lampiran: str):
    return TAHUN if LAYOUTS[lampiran].buku == BUKU_II else BULAN


# ------------------------------------------------------------------------------------------ reading


def col_points(ws, col_letter: str) -> float:
    """Text area (points) of a column."""
    return excel_width_to_points(ws.column_dimensions[col_letter].width)


def sheet_width_points(ws, last_col: int) -> float:
    from openpyxl.utils import get_column_letter

    return sum(column_points(ws.column_dimensions[get_column_letter(c)].width) for c in range(1, last_col + 1))


def printed_scale(ws, last_col: int) -> tuple[str, float]:
    """Paper name and the scale fit-to-one-page-wide prints the sheet at."""
    paper = next(name for name, (code, _w, _h) in PAPER.items() if code == int(ws.page_setup.paperSize))
    usable, _ = printable(paper)
    return paper, min(1.0, usable / sheet_width_points(ws, last_col))


# --------------------------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")


def need_libreoffice():
    """Skip with the reason when LibreOffice or poppler is missing; in CI (CI=1) that is a failure."""
    if SOFFICE and POPPLER:
        return
    reason = "LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo) are needed to render the sheets"
    if os.environ.get("CI") == "1":
        pytest.fail(f"{reason}; CI must install libreoffice-calc and poppler-utils")
    pytest.skip(reason)


def to_pdf(files: list[Path], outdir: Path) -> dict[Path, Path]:
    """Convert spreadsheets to PDF with a private LibreOffice profile (parallel runs never share one)."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out = {f: outdir / (f.stem + ".pdf") for f in files}
    missing = [str(p) for p in out.values() if not p.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return out


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> tuple[int, float, float]:
    """Page count and the first page's size in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    size = fields["Page size"].split()
    return int(fields["Pages"]), float(size[0]), float(size[2])


def pdf_words(pdf: Path) -> list[tuple[str, float, float]]:
    """Every word with its box height and width (points), from ``pdftotext -bbox``."""
    import re

    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        x0, y0, x1, y1, word = float(m[1]), float(m[2]), float(m[3]), float(m[4]), m[5]
        out.append((word, y1 - y0, x1 - x0))
    return out
