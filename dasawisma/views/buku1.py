"""Buku I, Catatan Keluarga (lampiran 4.15) of one rumah tangga, printable, for a chosen year."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from pkk.models import Level
from pkk.scope import scoped

from .. import selectors
from ..models import KEGIATAN_PKK_FIELDS, RumahTangga, Warga
from ..validators import age_on
from .flow import READERS


def kegiatan_pkk(w: Warga) -> list[bool]:
    """The eight KEGIATAN PKK YANG DIIKUTI columns of Buku I (4.15): what the kader ticked for this person
    (the kegiatan warga of lampiran 4.14.1b), in the form's column order."""
    return [bool(getattr(w, name)) for name in KEGIATAN_PKK_FIELDS]


KEGIATAN_COLUMNS = [str(Warga._meta.get_field(name).verbose_name) for name in KEGIATAN_PKK_FIELDS]  # type: ignore[union-attr]


def _ada(value: bool | None) -> str:
    return "—" if value is None else ("Ada" if value else "Tidak ada")


def household_lines(rt: RumahTangga) -> list[tuple[str, str]]:
    """The household lines of the Buku I header: kriteria rumah, jamban, sumber air, tempat sampah."""
    sumber = [
        label
        for name, label in (("pdam", "PDAM"), ("sumur", "Sumur"), ("sungai", "Sungai"), ("lainnya", "Lainnya"))
        if getattr(rt, f"sumber_air_{name}")
    ]
    if rt.jumlah_jamban is None:
        jamban = "—"
    elif rt.jumlah_jamban:
        jamban = f"Ada, {rt.jumlah_jamban} buah"
    else:
        jamban = "Tidak ada"
    return [
        ("KRITERIA RUMAH", rt.get_kriteria_rumah_display()),
        ("JAMBAN KELUARGA", jamban),
        ("SUMBER AIR", ", ".join(sumber) or "—"),
        ("TEMPAT SAMPAH", _ada(rt.tempat_sampah)),
    ]


def buku1_tahun(value: str | None, today: dt.date) -> int:
    """The year Buku I is printed for (``?tahun=``): this year unless a valid year is asked."""
    try:
        tahun = int(value or today.year)
    except ValueError:
        return today.year
    return tahun if 2000 <= tahun <= today.year else today.year


@require_GET
@scoped(*READERS)
def buku1(request: HttpRequest, rumah_tangga_id: int) -> HttpResponse:
    """Buku I, Catatan Keluarga (4.15) of one household for a chosen year: ages as of that year (its last
    day, or today for the current year); members born after it are left out."""
    rt = selectors.get_rumah_tangga_for_user(request.user, rumah_tangga_id)
    today = timezone.localdate()
    tahun = buku1_tahun(request.GET.get("tahun"), today)
    on = min(dt.date(tahun, 12, 31), today)
    rows = []
    for w in selectors.warga_of_rumah_tangga(rt):
        if w.tanggal_lahir > on:
            continue
        ket = []
        if w.tanggal_meninggal and w.tanggal_meninggal <= on:
            ket.append(f"Meninggal {w.tanggal_meninggal:%d-%m-%Y}")
        if w.tanggal_pindah and w.tanggal_pindah <= on:
            ket.append(f"Pindah {w.tanggal_pindah:%d-%m-%Y}")
        if rt.kepala_id == w.pk:
            ket.insert(0, "Kepala rumah tangga")
        rows.append({"w": w, "umur": age_on(w.tanggal_lahir, on), "kegiatan": kegiatan_pkk(w), "ket": "; ".join(ket)})
    units = {u.level: u for u in rt.dasawisma.ancestors(include_self=True)}
    return render(
        request,
        "dasawisma/buku1.html",
        {
            "rt": rt,
            "rows": rows,
            "tahun": tahun,
            "tahun_choices": list(range(today.year, max(2000, today.year - 10) - 1, -1)),
            "household_lines": household_lines(rt),
            "kegiatan_columns": KEGIATAN_COLUMNS,
            "u": {level.value: units.get(level.value) for level in Level},
            "column_numbers": range(1, 20),
        },
    )
