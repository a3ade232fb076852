"""The checks of the standard workbook, cell by cell and row by row, before anything is written.

``parse_workbook`` reads the file (:mod:`.reader`) and returns the :class:`~.plan.Plan` with the issues
found. Every cell is checked; every problem becomes one :class:`ImportIssue` (sheet, row, column, reason,
in Indonesian). Checks that need the database (the desa and the importer's scope, NIKs already registered,
a file imported twice) run in a constant number of queries over the whole file, never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from pkk.models import PATH_END, PATH_SEGMENT, Level, Unit
from pkk.scope import is_global, scope_units

from ..models import (
    Agama,
    BerkebutuhanKhusus,
    HasilKehamilan,
    JenisKelamin,
    Kehamilan,
    KelompokBelajar,
    KriteriaRumah,
    MakananPokok,
    Pendidikan,
    RumahTangga,
    StatusDalamKeluarga,
    StatusPerkawinan,
    Warga,
)
from ..validators import (
    nik_warnings,
    validate_after_birth,
    validate_nik,
    validate_no_kk,
    validate_not_too_old,
    validate_tiga_buta,
    validate_usia_subur,
)
from . import columns as c
from .columns import CellError, ImportIssue
from .plan import SUB_DESA_LEVELS, KehamilanRow, Plan, RumahTanggaRow, WargaRow, resolve_desas, resolve_units
from .reader import (
    INVALID,
    RowReader,
    message_of,
    normalize_desa_code,
    open_workbook,
    sheet_rows,
    skipped_rows,
    value_or_none,
)

CHUNK = 900  # values per IN (...) query: below SQLite's historical 999-parameter limit
_NONE_WORDS = {"", "tidak", "-", "tidak ada", "tidak ikut"}


def parse_workbook(source: Any, *, actor: Any = None, today: dt.date | None = None) -> Plan:
    """Check every cell of the workbook at ``source`` (a path or a file object)."""
    today = today or timezone.localdate()
    plan = Plan()
    issues = plan.issues
    wb = open_workbook(source, issues)
    if wb is None:
        return plan
    try:
        _parse_rumah_tangga(wb, plan, today)
        _parse_warga(wb, plan, today)
        _parse_kehamilan(wb, plan, today)
    finally:
        wb.close()
    if issues.full:
        # Checking stopped: what needs every row (households, the database) would only add noise.
        _sort(issues)
        return plan
    _check_households(plan)
    resolve_desas(plan, actor)
    resolve_units(plan)
    _check_database(plan, actor)
    _sort(issues)
    return plan


def _sort(issues: list[ImportIssue]) -> None:
    issues.sort(key=lambda i: (c.SHEETS.index(i.sheet) if i.sheet in c.SHEETS else -1, i.row))


def _required_text(value: Any, max_length: int) -> str:
    out = c.text(value, max_length=max_length)
    if not out:
        raise CellError("wajib diisi.")
    return out


def _rw_rt_number(value: Any, max_length: int) -> str:
    """RW and RT are numbers, stored as in the structure pages ("1", "001", "RT 1" -> "01"; issue 10)."""
    from pkk.services import unit_number

    out = _required_text(value, max_length)
    try:
        return unit_number(Level.RT, out)
    except ValidationError:
        raise CellError(f"harus berupa nomor (angka 1 sampai 999, mis. 01), bukan “{out}”.") from None


def _optional_choice(value: Any, choices: list[str]) -> str:
    if c.text(value).lower() in _NONE_WORDS:
        return ""
    return c.choice(value, choices, required=False)


def _date_checked(value: Any, today: dt.date, *, required: bool = False) -> dt.date | None:
    out = c.date_cell(value, required=required)
    if out is not None and out > today:
        raise CellError(f"tanggal {out:%d-%m-%Y} ada di masa depan.")
    return out


def _birth_date(value: Any, today: dt.date) -> dt.date | None:
    """Required, not in the future, not more than 120 years ago (as the form; issue 10)."""
    out = _date_checked(value, today, required=True)
    try:
        validate_not_too_old(out, "Tanggal lahir", today)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return out


# ---- rumah_tangga ---------------------------------------------------------------------------------------


def _parse_rumah_tangga(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_RUMAH_TANGGA
    found = sheet_rows(wb, sheet, plan)
    if found is None:
        return
    plan.rt_read = True
    colmap, rows = found
    seen: dict[str, int] = {}
    kriteria = list(KriteriaRumah.values)
    makanan = list(MakananPokok.values)
    for number, values in rows:
        r = RowReader(sheet, number, values, colmap, plan.issues)
        desa_code = r.get("kode_desa", _required_text, 20)
        dusun = r.get("dusun", c.text, max_length=120)
        rw = r.get("rw", _rw_rt_number, 120)
        rt = r.get("rt", _rw_rt_number, 120)
        dasawisma = r.get("dasawisma", _required_text, 120)
        kode = r.get("kode_rumah_tangga", _required_text, 40)
        if kode is not INVALID:
            if kode in seen:
                r.error("kode_rumah_tangga", f"Kode rumah tangga “{kode}” sudah dipakai di baris {seen[kode]}.")
            else:
                seen[kode] = number
        fields: dict[str, Any] = {
            "alamat": r.get("alamat", c.text, max_length=200),
            "kriteria_rumah": r.get("kriteria_rumah", c.choice, kriteria),
            "jumlah_jamban": r.get("jumlah_jamban", c.small_int),
            "stiker_p4k": r.get("stiker_p4k", c.yes_no, nullable=True),
            "makanan_pokok": r.get("makanan_pokok", c.choice, makanan),
        }
        for key in c.RUMAH_TANGGA_BOOLS:
            fields[key] = r.get(key, c.yes_no)
        sumber = r.get("sumber_air", c.list_cell, c.SUMBER_AIR)
        if r.bad:
            continue
        for item in c.SUMBER_AIR:
            fields[f"sumber_air_{item}"] = item in sumber
        obj = RumahTangga(kode=kode, **fields)
        plan.rumah_tangga.append(
            RumahTanggaRow(
                row=number,
                kode=kode,
                desa_code=normalize_desa_code(desa_code),
                names=(dusun, rw, rt, dasawisma),
                obj=obj,
            )
        )
    # Codes of rows that had other errors still count as present, so warga rows do not get a second error.
    for _, number, cells in skipped_rows(plan, sheet):
        seen.setdefault(cells.get("kode_rumah_tangga", ""), number)
    plan.rt_codes = seen


# ---- warga ----------------------------------------------------------------------------------------------


def _parse_warga(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_WARGA
    found = sheet_rows(wb, sheet, plan)
    if found is None:
        return
    plan.warga_read = True
    colmap, rows = found
    rt_codes = plan.rt_codes
    rt_by_kode = {row.kode: row for row in plan.rumah_tangga}
    seen: dict[str, int] = {}
    niks: dict[str, int] = {}
    jk = list(JenisKelamin.values)
    perkawinan = list(StatusPerkawinan.values)
    dalam_keluarga = list(StatusDalamKeluarga.values)
    agama = list(Agama.values)
    pendidikan = list(Pendidikan.values)
    belajar = list(KelompokBelajar.values)
    khusus = list(BerkebutuhanKhusus.values)
    for number, values in rows:
        r = RowReader(sheet, number, values, colmap, plan.issues)
        kode = r.get("kode_warga", _required_text, 40)
        if kode is not INVALID:
            if kode in seen:
                r.error("kode_warga", f"Kode warga “{kode}” sudah dipakai di baris {seen[kode]}.")
            else:
                seen[kode] = number
        kode_rt = r.get("kode_rumah_tangga", _required_text, 40)
        if kode_rt is not INVALID and plan.rt_read and kode_rt not in rt_codes:
            r.error("kode_rumah_tangga", f"Rumah tangga “{kode_rt}” tidak ada di lembar rumah_tangga.")
        kepala = r.get("kepala_rumah_tangga", c.yes_no)
        no_kk = r.get("no_kk", lambda v: validate_no_kk(c.number_text(v)))
        nik = r.get("nik", lambda v: validate_nik(c.number_text(v)))
        if nik not in (INVALID, None):
            if nik in niks:
                r.error("nik", f"NIK {nik} sudah dipakai di baris {niks[nik]}.")
            else:
                niks[nik] = number
        tanggal_lahir = r.get("tanggal_lahir", _birth_date, today)
        fields: dict[str, Any] = {
            "nama": r.get("nama", _required_text, 120),
            "jenis_kelamin": r.get("jenis_kelamin", c.choice, jk, upper=True),
            "tempat_lahir": r.get("tempat_lahir", c.text, max_length=80),
            "status_perkawinan": r.get("status_perkawinan", c.choice, perkawinan),
            "status_dalam_keluarga": r.get("status_dalam_keluarga", c.choice, dalam_keluarga),
            "agama": r.get("agama", c.choice, agama),
            "pendidikan": r.get("pendidikan", c.choice, pendidikan),
            "pekerjaan": r.get("pekerjaan", c.text, max_length=80),
            "kelompok_belajar": r.get("kelompok_belajar", _optional_choice, belajar),
            "berkebutuhan_khusus": r.get("berkebutuhan_khusus", _optional_choice, khusus),
            "sebab_meninggal": r.get("sebab_meninggal", c.text, max_length=120),
            "jenis_kb": r.get("jenis_kb", c.text, max_length=40),
        }
        for key in c.WARGA_BOOLS:
            fields[key] = r.get(key, c.yes_no)
        meninggal = r.get("tanggal_meninggal", _date_checked, today)
        pindah = r.get("tanggal_pindah", _date_checked, today)
        kode_ibu = r.get("kode_warga_ibu", c.text, max_length=40)
        lahir = value_or_none(tanggal_lahir)
        if lahir is not None:
            for key, value, label in (("tanggal_meninggal", meninggal, "Tanggal meninggal"),
                                      ("tanggal_pindah", pindah, "Tanggal pindah")):  # fmt: skip
                if value not in (INVALID, None):
                    try:
                        validate_after_birth(value, lahir, label)
                    except ValidationError as exc:
                        r.error(key, message_of(exc))
            if fields["tiga_buta"] is True:
                try:
                    validate_tiga_buta(True, lahir, today)
                except ValidationError as exc:
                    r.error("tiga_buta", message_of(exc))
        if fields["sebab_meninggal"] not in (INVALID, "") and meninggal is None:
            r.error("sebab_meninggal", "Sebab meninggal hanya diisi bila tanggal_meninggal diisi.")
        if fields["menyusui"] is True and fields["jenis_kelamin"] == JenisKelamin.L:
            r.error("menyusui", "Sedang menyusui hanya untuk warga perempuan.")
        if fields["akseptor_kb"] is False:
            fields["jenis_kb"] = ""  # as the form does: a jenis KB without akseptor KB is dropped
        if r.bad:
            if kepala is not False and kode_rt is not INVALID:
                plan.unsure_kepala.add(kode_rt)
            continue
        warga = Warga(
            kode=kode,
            no_kk=no_kk,
            nik=nik,
            tanggal_lahir=lahir,
            tanggal_meninggal=meninggal,
            tanggal_pindah=pindah,
            **fields,
        )
        if nik and nik_warnings(nik, lahir, warga.jenis_kelamin):
            plan.nik_warnings += 1
        row = WargaRow(row=number, kode=kode, kepala=kepala, kode_ibu=kode_ibu, obj=warga)
        row.rumah_tangga = rt_by_kode.get(kode_rt)
        plan.warga.append(row)
    for _, number, cells in skipped_rows(plan, sheet):
        seen.setdefault(cells.get("kode_warga", ""), number)
        if cells.get("kepala_rumah_tangga", "").lower() != c.TIDAK and cells.get("kode_rumah_tangga"):
            plan.unsure_kepala.add(cells["kode_rumah_tangga"])
    plan.warga_codes = seen
    # Mothers named in the warga sheet's optional kode_warga_ibu column.
    by_kode = {w.kode: w for w in plan.warga}
    for w in plan.warga:
        if not w.kode_ibu:
            continue
        ibu = by_kode.get(w.kode_ibu)
        if ibu is None:
            if w.kode_ibu not in seen:
                plan.issues.append(
                    ImportIssue(sheet, w.row, "kode_warga_ibu", f"Warga “{w.kode_ibu}” tidak ada di lembar warga.")
                )
        else:
            reason = ""
            if ibu is w:
                reason = "Ibu tidak boleh warga itu sendiri."
            elif ibu.obj.jenis_kelamin != JenisKelamin.P:
                reason = f"Ibu harus warga perempuan; “{w.kode_ibu}” laki-laki."
            elif ibu.obj.tanggal_lahir >= w.obj.tanggal_lahir:
                reason = "Ibu harus lahir sebelum anaknya."
            elif ibu.rumah_tangga and w.rumah_tangga and ibu.rumah_tangga.names != w.rumah_tangga.names:
                reason = "Ibu harus warga dasawisma yang sama."
            if reason:
                plan.issues.append(ImportIssue(sheet, w.row, "kode_warga_ibu", reason))
            else:
                w.ibu = ibu


# ---- kehamilan ------------------------------------------------------------------------------------------


def _parse_kehamilan(wb: Any, plan: Plan, today: dt.date) -> None:
    sheet = c.SHEET_KEHAMILAN
    found = sheet_rows(wb, sheet, plan)
    if found is None:
        return
    colmap, rows = found
    warga_codes = plan.warga_codes
    by_kode = {w.kode: w for w in plan.warga}
    hasil_choices = list(HasilKehamilan.values)
    for number, values in rows:
        r = RowReader(sheet, number, values, colmap, plan.issues)
        kode_ibu = r.get("kode_warga_ibu", _required_text, 40)
        mulai = r.get("tanggal_mulai", _date_checked, today, required=True)
        hpl = r.get("hpl", c.date_cell)
        kek = r.get("kek", c.yes_no, nullable=True)
        selesai = r.get("tanggal_selesai", _date_checked, today)
        hasil = r.get("hasil", c.choice, hasil_choices, required=False)
        ibu = None
        if kode_ibu is not INVALID:
            ibu = by_kode.get(kode_ibu)
            if ibu is None and plan.warga_read and kode_ibu not in warga_codes:
                r.error("kode_warga_ibu", f"Warga “{kode_ibu}” tidak ada di lembar warga.")
            elif ibu is not None and ibu.obj.jenis_kelamin != JenisKelamin.P:
                r.error("kode_warga_ibu", f"Kehamilan hanya untuk warga perempuan; “{kode_ibu}” laki-laki.")
        mulai_ok = mulai not in (INVALID, None)
        if mulai_ok and hpl not in (INVALID, None) and hpl < mulai:
            r.error("hpl", "HPL tidak boleh sebelum tanggal mulai.")
        if mulai_ok and selesai not in (INVALID, None) and selesai < mulai:
            r.error("tanggal_selesai", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if selesai not in (INVALID, None) and hasil == "":
            r.error("hasil", "Hasil wajib diisi bila tanggal_selesai diisi.")
        if selesai is None and hasil not in (INVALID, ""):
            r.error("tanggal_selesai", "Tanggal selesai wajib diisi bila hasil diisi.")
        if ibu is not None and mulai_ok and ibu.obj.jenis_kelamin == JenisKelamin.P:
            lahir = ibu.obj.tanggal_lahir
            if mulai < lahir:
                r.error("tanggal_mulai", "Tanggal mulai tidak boleh sebelum tanggal lahir ibu.")
            else:
                try:
                    validate_usia_subur(lahir, mulai)
                except ValidationError as exc:
                    r.error("tanggal_mulai", message_of(exc))
            left = ibu.obj.tanggal_meninggal or ibu.obj.tanggal_pindah
            if left is not None and left < mulai:
                r.error("tanggal_mulai", f"Tanggal mulai: ibu sudah meninggal atau pindah pada {left:%d-%m-%Y}.")
        if r.bad:
            continue
        obj = Kehamilan(tanggal_mulai=mulai, hpl=hpl, kek=kek, tanggal_selesai=selesai, hasil=hasil)
        plan.kehamilan.append(KehamilanRow(row=number, kode_ibu=kode_ibu, obj=obj, ibu=ibu))
    _check_overlaps(plan)


def _check_overlaps(plan: Plan) -> None:
    """Pregnancies of one mother must not overlap; at most one is still open (no tanggal_selesai)."""
    by_ibu: dict[str, list[KehamilanRow]] = defaultdict(list)
    for k in plan.kehamilan:
        if k.ibu is not None:
            by_ibu[k.kode_ibu].append(k)
    for rows in by_ibu.values():
        if len(rows) < 2:
            continue
        rows.sort(key=lambda k: (k.obj.tanggal_mulai, k.row))
        for prev, cur in zip(rows, rows[1:], strict=False):
            # Same rule as the form: a new pregnancy may start on the day the previous one ended.
            end = prev.obj.tanggal_selesai or dt.date.max
            if cur.obj.tanggal_mulai < end or cur.obj.tanggal_mulai == prev.obj.tanggal_mulai:
                plan.issues.append(
                    ImportIssue(
                        c.SHEET_KEHAMILAN,
                        cur.row,
                        "tanggal_mulai",
                        f"Kehamilan ini bertumpang tindih dengan kehamilan ibu yang sama di baris {prev.row}.",
                    )
                )


# ---- households, desa and units -------------------------------------------------------------------------


def _check_households(plan: Plan) -> None:
    """Exactly one kepala rumah tangga (``ya``) per household."""
    for w in plan.warga:
        rt = w.rumah_tangga
        if rt is None:
            continue
        rt.n_warga += 1
        if w.kepala:
            if rt.kepala is None:
                rt.kepala = w
            else:
                plan.issues.append(
                    ImportIssue(
                        c.SHEET_WARGA,
                        w.row,
                        "kepala_rumah_tangga",
                        f"Rumah tangga “{rt.kode}” sudah punya kepala rumah tangga (baris {rt.kepala.row}).",
                    )
                )
    for k in plan.kehamilan:
        if k.ibu is not None and k.ibu.rumah_tangga is not None:
            k.ibu.rumah_tangga.n_kehamilan += 1
    if not plan.warga_read:
        return
    for rt in plan.rumah_tangga:
        # A household whose possible kepala row was rejected for another reason is not reported twice.
        if rt.kepala is None and rt.kode not in plan.unsure_kepala:
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    rt.row,
                    "kode_rumah_tangga",
                    f"Rumah tangga “{rt.kode}” tidak punya kepala rumah tangga: tandai tepat satu warganya "
                    "dengan kepala_rumah_tangga = ya.",
                )
            )


def _check_database(plan: Plan, actor: Any) -> None:
    """NIKs already registered; households and warga of this file already imported into the same desa."""
    niks = {w.obj.nik: w for w in plan.warga if w.obj.nik}
    nik_list = list(niks)
    taken: list[tuple[str, str, str, str]] = []
    for start in range(0, len(nik_list), CHUNK):
        chunk = nik_list[start : start + CHUNK]
        taken += Warga.objects.filter(nik__in=chunk).values_list("nik", "nama", "no_registrasi", "dasawisma__path")
    labels = _dasawisma_labels({path for *_, path in taken if _path_visible(actor, path)})
    for nik, nama, no_registrasi, path in taken:
        if path in labels:
            reason = f"NIK sudah terdaftar untuk warga lain: {nama} ({labels[path]}, No. Registrasi {no_registrasi})."
        else:
            # Outside the importer's scope: say that it exists, never where (UU 27/2022).
            reason = "NIK sudah terdaftar untuk warga di wilayah lain. Periksa kembali NIK, atau hubungi TP PKK desa."
        plan.issues.append(ImportIssue(c.SHEET_WARGA, niks[nik].row, "nik", reason))
    if not plan.desas:
        return
    scope = Q(pk__in=[])
    for desa in plan.desas.values():
        scope |= Q(dasawisma__path__gte=desa.path, dasawisma__path__lt=desa.path + PATH_END)
    desa_path = {pk: d.path for pk, d in plan.desas.items()}

    def clashes(model: type, rows: list, desa_of_row: Callable[[Any], Unit | None]) -> Iterator[tuple[Any, str]]:
        by_kode: dict[str, list] = defaultdict(list)
        for row in rows:
            if desa_of_row(row) is not None:
                by_kode[row.kode].append(row)
        kodes = list(by_kode)
        for start in range(0, len(kodes), CHUNK):
            chunk = kodes[start : start + CHUNK]
            for kode, path in model.objects.filter(scope, kode__in=chunk).values_list("kode", "dasawisma__path"):
                for row in by_kode[kode]:
                    desa = desa_of_row(row)
                    if path.startswith(desa_path[desa.pk]):
                        yield row, desa.label

    reported: set[int] = set()
    for row, label in clashes(RumahTangga, plan.rumah_tangga, lambda r: r.desa):
        if row.row not in reported:
            reported.add(row.row)
            plan.issues.append(
                ImportIssue(
                    c.SHEET_RUMAH_TANGGA,
                    row.row,
                    "kode_rumah_tangga",
                    f"Kode rumah tangga “{row.kode}” sudah ada di {label}: berkas ini (atau bagiannya) sudah "
                    "pernah diimpor. Impor hanya menambah data baru; ubah data yang sudah ada lewat formulir.",
                )
            )
    reported.clear()
    warga_with_desa = [w for w in plan.warga if w.rumah_tangga is not None]
    for row, label in clashes(Warga, warga_with_desa, lambda w: w.rumah_tangga.desa):
        if row.row not in reported:
            reported.add(row.row)
            plan.issues.append(
                ImportIssue(c.SHEET_WARGA, row.row, "kode_warga", f"Kode warga “{row.kode}” sudah ada di {label}.")
            )


def _path_visible(actor: Any, path: str) -> bool:
    if actor is None or is_global(actor):
        return True
    return any(path.startswith(u.path) for u in scope_units(actor))


def _dasawisma_labels(paths: set[str]) -> dict[str, str]:
    """path -> "Dasawisma Mawar, RT 01, RW 01, Desa Kaliboto" for each path, in one query."""
    split = {p: [int(p[i : i + PATH_SEGMENT]) for i in range(0, len(p), PATH_SEGMENT)] for p in paths}
    ids = {i for chain in split.values() for i in chain}
    id_list = sorted(ids)
    levels = (Level.DESA, *SUB_DESA_LEVELS)
    units: dict[int, Unit] = {}
    for start in range(0, len(id_list), CHUNK):
        chunk = id_list[start : start + CHUNK]
        units.update(
            (u.pk, u) for u in Unit.objects.filter(pk__in=chunk, level__in=levels).only("level", "name", "kind")
        )
    return {p: ", ".join(units[i].label for i in reversed(chain) if i in units) for p, chain in split.items()}
