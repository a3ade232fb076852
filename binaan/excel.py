"""The overview of desa binaan as an Excel sheet: A4 landscape, one page wide, the header rows repeated on
every printed page, page numbers in the footer, Arial (a named style) on every cell; user text is written
through ``pkk.xlsx.put`` so it is never a formula."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

from pkk.xlsx import put

from .progress import BinaanRow

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADERS = [
    ("NO", 5),
    ("KECAMATAN PEMBINA", 18),
    ("DESA/KELURAHAN", 20),
    ("STATUS", 15),
    ("ALASAN", 48),
    ("KUNJUNGAN TERAKHIR", 13),
    ("JML KUNJUNGAN", 10),
    ("TINDAK LANJUT TERBUKA", 11),
    ("MELEWATI BATAS", 10),
    ("BATAS TERDEKAT", 13),
    ("KELENGKAPAN BUKU III (%)", 12),
    ("KETEPATAN BUKU III (%)", 12),
    ("CAKUPAN DASAWISMA (%)", 12),
    ("PERINGATAN DATA", 10),
]


def _styles(wb: Workbook) -> None:
    wb.add_named_style(NamedStyle("binaan_title", font=Font(name="Arial", bold=True, size=12)))
    wb.add_named_style(NamedStyle("binaan_text", font=Font(name="Arial", size=10)))
    wb.add_named_style(
        NamedStyle(
            "binaan_head",
            font=Font(name="Arial", bold=True, size=9),
            border=BORDER,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
    )
    wb.add_named_style(
        NamedStyle(
            "binaan_cell",
            font=Font(name="Arial", size=9),
            border=BORDER,
            alignment=Alignment(vertical="top", wrap_text=True),
        )
    )
    wb.add_named_style(
        NamedStyle(
            "binaan_num",
            font=Font(name="Arial", size=9),
            border=BORDER,
            alignment=Alignment(horizontal="right", vertical="top"),
            number_format="0.0",
        )
    )


def _pct(v: float | None):
    return "-" if v is None else v


def overview_xlsx(*, title: str, subtitle: str, rows: list[BinaanRow], dibuat: dt.datetime) -> bytes:
    wb = Workbook()
    _styles(wb)
    ws = wb.active
    ws.title = "Desa binaan"
    put(ws, 1, 1, title).style = "binaan_title"
    put(ws, 2, 1, subtitle).style = "binaan_text"
    put(ws, 3, 1, f"Dibuat {dibuat:%d-%m-%Y %H:%M}").style = "binaan_text"
    head = 5
    for c, (name, width) in enumerate(HEADERS, start=1):
        put(ws, head, c, name).style = "binaan_head"
        ws.column_dimensions[ws.cell(row=head, column=c).column_letter].width = width
    for i, row in enumerate(rows, start=1):
        m = row.measures
        values = [
            i,
            row.db.pembina.name,
            row.db.desa.label,
            row.status_label,
            "; ".join(r.text for r in row.reasons) or "-",
            row.last_visit.strftime("%d-%m-%Y") if row.last_visit else "-",
            row.visits,
            row.open,
            row.overdue,
            row.next_due.strftime("%d-%m-%Y") if row.next_due else "-",
            _pct(m.b3_lengkap_pct),
            _pct(m.b3_tepat_pct),
            _pct(m.cakupan_pct),
            m.peringatan,
        ]
        for c, v in enumerate(values, start=1):
            cell = put(ws, head + i, c, v)
            cell.style = "binaan_num" if isinstance(v, (int, float)) and c > 1 else "binaan_cell"
    # Every cell in the used range carries the named Arial style (empty ones of the title rows too).
    for r in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(HEADERS)):
        for cell in r:
            if cell.style == "Normal":
                cell.style = "binaan_text"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{head}"
    ws.oddFooter.center.text = "Halaman &P dari &N"
    ws.oddFooter.center.font = "Arial"
    ws.evenFooter.center.text = "Halaman &P dari &N"
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
