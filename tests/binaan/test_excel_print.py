"""The overview sheet printed by LibreOffice: A4 landscape, header row on every page, page numbers."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from binaan.excel import overview_xlsx
from binaan.progress import PERHATIAN, BinaanRow, Measures, Reason
from tests.reporting_show.paper import need_libreoffice, pdf_pages, pdf_text, to_pdf


def _row(i: int) -> BinaanRow:
    db = SimpleNamespace(
        pembina=SimpleNamespace(name=f"Kecamatan {i // 5:02d}"), desa=SimpleNamespace(label=f"Desa Contoh {i:02d}")
    )
    m = Measures(dasawisma=10, dasawisma_berdata=9, b3_bulan=11, b3_wajib=110, b3_diajukan=88, b3_tepat=70)
    return BinaanRow(
        db=db,
        measures=m,
        last_visit=dt.date(2026, 10, 1),
        visits=2,
        open=1,
        overdue=1,
        next_due=dt.date(2026, 11, 1),
        status=PERHATIAN,
        reasons=[Reason(PERHATIAN, "1 tindak lanjut melewati batas waktu")],
    )


def test_overview_prints_on_a4_landscape_with_repeated_header_and_page_numbers(tmp_path):
    need_libreoffice()
    data = overview_xlsx(
        title="REKAP DESA BINAAN TAHUN 2026",
        subtitle="Kabupaten Purworejo",
        rows=[_row(i) for i in range(60)],
        dibuat=dt.datetime(2026, 12, 6, 9, 0),
    )
    xlsx = tmp_path / "ringkasan.xlsx"
    xlsx.write_bytes(data)
    pdf = to_pdf([xlsx], tmp_path)[xlsx]
    pages, width, height = pdf_pages(pdf)
    assert pages >= 2
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = pdf_text(pdf).split("\f")
    text = [t for t in text if t.strip()]
    assert len(text) == pages
    for n, page in enumerate(text, start=1):
        assert "DESA/KELURAHAN" in page, f"header row missing on page {n}"
        assert f"Halaman {n} dari {pages}" in page
    assert "Desa Contoh 59" in text[-1]
