"""Export a unit and everything under it as the standard workbook (the format the import reads).

Streams: openpyxl ``write_only`` sheets and ``.iterator(chunk_size=...)`` querysets, so memory stays flat
(a 50,000-warga kecamatan stays well under 300 MB). Every export writes a ``PersonalDataExportLog`` row.

Codes: a record keeps its stored ``kode`` (from an earlier import) when it is unique within the export;
records entered in the forms (no kode), or whose kode repeats another desa's, get ``RT-<id>`` / ``W-<id>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from openpyxl.cell import WriteOnlyCell

from pkk.models import PATH_END, Level, PersonalDataExportLog, Unit
from pkk.xlsx import new_workbook, text_cell

from ..models import Kehamilan, RumahTangga, Warga
from . import columns as c

CHUNK = 2000
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class ExportResult:
    rumah_tangga: int = 0
    warga: int = 0
    kehamilan: int = 0

    @property
    def rows(self) -> int:
        return self.rumah_tangga + self.warga + self.kehamilan


def workbook_export(
    *, unit: Unit, out: str | BinaryIO, actor: Any = None, channel: str = "web", username: str = "", log: bool = True
) -> ExportResult:
    """Write the workbook of ``unit``'s subtree to ``out`` (path or binary file) and log the export.

    ``username`` names who exported when there is no account (the command run by an operator).
    ``log=False``: the caller logs (a background job logs each download, not the build).
    """
    result = ExportResult()
    in_unit = {
        "dasawisma__path__gte": unit.path,
        "dasawisma__path__lt": unit.path + PATH_END,
    }
    places = _places(unit)

    wb = new_workbook(write_only=True)  # Arial 10 on every cell
    ws_rt = wb.create_sheet(c.SHEET_RUMAH_TANGGA)
    ws_w = wb.create_sheet(c.SHEET_WARGA)
    ws_k = wb.create_sheet(c.SHEET_KEHAMILAN)
    for ws in (ws_rt, ws_w, ws_k):
        _prepare(ws, c.EXPORT_KEYS[ws.title])

    def as_text(ws: Any, value: str) -> Any:
        """NIK and No. KK: a text cell (format "@"), so retyping one in Excel does not turn it into a number."""
        if not value:
            return None
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = "@"
        return cell

    def date(ws: Any, value: Any) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    # Warga codes first (ids and kodes only): the ibu column and the kehamilan sheet refer to them.
    warga_kode: dict[int, str] = {}
    used: set[str] = set()
    for pk, kode in (
        Warga.objects.filter(**in_unit)
        .order_by("dasawisma__path", "rumah_tangga_id", "pk")
        .values_list("pk", "kode")
        .iterator(chunk_size=CHUNK)
    ):
        warga_kode[pk] = _unique(kode, f"W-{pk}", used)
    used.clear()

    ws_rt.append(_header(ws_rt, c.EXPORT_KEYS[c.SHEET_RUMAH_TANGGA]))
    rt_kode: dict[int, str] = {}
    kepala: dict[int, int | None] = {}
    households = RumahTangga.objects.filter(**in_unit).order_by("dasawisma__path", "pk")
    for rt in households.iterator(chunk_size=CHUNK):
        kode = _unique(rt.kode, f"RT-{rt.pk}", used)
        rt_kode[rt.pk] = kode
        kepala[rt.pk] = rt.kepala_id
        place = places[rt.dasawisma_id]
        sumber = [s for s in c.SUMBER_AIR if getattr(rt, f"sumber_air_{s}")]
        _add(
            ws_rt,
            [
                *place,
                kode,
                rt.alamat,
                rt.kriteria_rumah,
                c.yes_no_out(rt.tempat_sampah),
                c.yes_no_out(rt.spal),
                c.yes_no_out(rt.mck_septic_tank),
                rt.jumlah_jamban,
                c.yes_no_out(rt.stiker_p4k),
                ",".join(sumber),
                rt.makanan_pokok,
                c.yes_no_out(rt.up2k),
                c.yes_no_out(rt.pemanfaatan_pekarangan),
                c.yes_no_out(rt.industri_rumah_tangga),
                c.yes_no_out(rt.kesehatan_lingkungan),
            ],
        )
        result.rumah_tangga += 1
    used.clear()

    ws_w.append(_header(ws_w, c.EXPORT_KEYS[c.SHEET_WARGA]))
    people = Warga.objects.filter(**in_unit).order_by("dasawisma__path", "rumah_tangga_id", "pk")
    for w in people.iterator(chunk_size=CHUNK):
        _add(
            ws_w,
            [
                warga_kode[w.pk],
                rt_kode.get(w.rumah_tangga_id, ""),
                c.yes_no_out(kepala.get(w.rumah_tangga_id) == w.pk),
                as_text(ws_w, w.no_kk),
                as_text(ws_w, w.nik or ""),
                w.nama,
                w.jenis_kelamin,
                w.tempat_lahir,
                date(ws_w, w.tanggal_lahir),
                w.status_perkawinan,
                w.status_dalam_keluarga,
                w.agama,
                w.pendidikan,
                w.pekerjaan,
                c.yes_no_out(w.akseptor_kb),
                c.yes_no_out(w.aktif_posyandu),
                c.yes_no_out(w.ikut_bkb),
                c.yes_no_out(w.memiliki_tabungan),
                w.kelompok_belajar,
                c.yes_no_out(w.ikut_paud),
                c.yes_no_out(w.ikut_koperasi),
                w.berkebutuhan_khusus,
                c.yes_no_out(w.tiga_buta),
                c.yes_no_out(w.menyusui),
                c.yes_no_out(w.akta_kelahiran),
                date(ws_w, w.tanggal_meninggal),
                w.sebab_meninggal,
                date(ws_w, w.tanggal_pindah),
                w.jenis_kb,
                warga_kode.get(w.ibu_id, "") if w.ibu_id else "",
            ],
        )
        result.warga += 1

    ws_k.append(_header(ws_k, c.EXPORT_KEYS[c.SHEET_KEHAMILAN]))
    pregnancies = Kehamilan.objects.filter(**in_unit).order_by("dasawisma__path", "warga_id", "tanggal_mulai", "pk")
    for k in pregnancies.iterator(chunk_size=CHUNK):
        _add(
            ws_k,
            [
                warga_kode.get(k.warga_id, ""),
                date(ws_k, k.tanggal_mulai),
                date(ws_k, k.hpl),
                c.yes_no_out(k.kek),
                date(ws_k, k.tanggal_selesai),
                k.hasil,
            ],
        )
        result.kehamilan += 1

    wb.save(out)
    if not log:  # a background job: nobody has the file yet; each download is logged instead
        return result
    PersonalDataExportLog.objects.create(
        user=actor if getattr(actor, "pk", None) else None,
        username=getattr(actor, "username", "") or username or "(sistem)",
        unit=unit,
        what="workbook dasawisma",
        row_count=result.rows,
        channel=channel,
    )
    return result


# Column widths (Excel characters) of the keys whose content is wider than the key itself.
WIDTHS = {
    "kode_desa": 15,
    "alamat": 30,
    "nama": 28,
    "no_kk": 19,
    "nik": 19,
    "tempat_lahir": 16,
    "pekerjaan": 18,
    "sebab_meninggal": 26,
    "sumber_air": 18,
    "dasawisma": 16,
    "dusun": 14,
}
DATE_KEYS = ("tanggal_lahir", "tanggal_meninggal", "tanggal_pindah", "tanggal_mulai", "hpl", "tanggal_selesai")


def _prepare(ws: Any, keys: list[str]) -> None:
    """Readable on screen and on paper: widths, the key row frozen and repeated on every printed page,
    landscape A4 with page numbers (set before the first row: a write-only sheet streams its rows)."""
    from openpyxl.utils import get_column_letter

    for i, key in enumerate(keys, start=1):
        width = WIDTHS.get(key, 12 if key in DATE_KEYS else max(len(key) + 2, 8))
        ws.column_dimensions[get_column_letter(i)].width = max(width, len(key) + 2)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.oddFooter.center.text = f"{ws.title} - Halaman &P dari &N"
    ws.oddFooter.center.size = 8


def _add(ws: Any, values: list[Any]) -> None:
    """Append a row whose user text stays text (a name starting with "=" is never a formula: pkk.xlsx)."""
    ws.append([text_cell(ws, v) for v in values])


def _header(ws: Any, keys: list[str]) -> list[Any]:
    from openpyxl.styles import Font, PatternFill

    out = []
    for key in keys:
        cell = WriteOnlyCell(ws, value=key)
        cell.font = Font(name="Arial", size=10, bold=True)
        cell.fill = PatternFill("solid", fgColor="E2EFDA")
        out.append(cell)
    return out


def _unique(kode: str, fallback: str, used: set[str]) -> str:
    out = kode if kode and kode not in used else fallback
    if out in used:  # a stored kode looked like a fallback ("RT-12"): make it unique
        n = 2
        while f"{out}-{n}" in used:
            n += 1
        out = f"{out}-{n}"
    used.add(out)
    return out


def _places(unit: Unit) -> dict[int, tuple[str, str, str, str, str]]:
    """dasawisma id -> (kode_desa, dusun, rw, rt, dasawisma) for every dasawisma under ``unit``."""
    units: dict[int, Unit] = {u.pk: u for u in unit.ancestors()}
    for u in (
        Unit.objects.subtree(unit)
        .filter(level__in=(Level.DESA, Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA))
        .only("pk", "parent_id", "level", "name", "code")
    ):
        units[u.pk] = u
    out: dict[int, tuple[str, str, str, str, str]] = {}
    for u in units.values():
        if u.level != Level.DASAWISMA:
            continue
        names = {Level.DESA: "", Level.DUSUN: "", Level.RW: "", Level.RT: ""}
        code = ""
        parent = units.get(u.parent_id)
        while parent is not None and parent.level not in (Level.KECAMATAN, Level.KABUPATEN, Level.PROVINSI):
            if parent.level == Level.DESA:
                code = parent.code or ""
            else:
                names[parent.level] = parent.name
            parent = units.get(parent.parent_id)
        out[u.pk] = (code, names[Level.DUSUN], names[Level.RW], names[Level.RT], u.name)
    return out
