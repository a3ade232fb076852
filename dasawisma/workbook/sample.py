"""A valid synthetic standard workbook of N warga, deterministic for a seed (benchmarks and tests).

Households of two to seven people (kepala, istri, children, sometimes a grandparent), about 15 households
per dasawisma, 3 dasawisma per RT, 3 RT per RW, 2 RW per dusun. A few warga have died or moved away;
some women have ended and open pregnancies. Every date lies on or before ``REFERENCE_DATE`` so the file
stays valid whatever day it is imported.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import xlsxwriter  # a development dependency: only the tests and the benchmark use this module

from . import columns as c

REFERENCE_DATE = dt.date(2025, 12, 31)

NAMA_L = [
    "Budi", "Agus", "Slamet", "Joko", "Bambang", "Suparno", "Wahyu", "Eko", "Dwi", "Teguh", "Sugeng", "Heru",
    "Rudi", "Adi", "Yusuf", "Ahmad", "Rizky", "Dimas", "Bayu", "Fajar",
]  # fmt: skip
NAMA_P = [
    "Siti", "Sri", "Wati", "Endang", "Sumarni", "Ratna", "Dewi", "Lestari", "Yuni", "Rini", "Tuti", "Nur",
    "Aisyah", "Putri", "Anisa", "Ayu", "Fitri", "Indah", "Wulan", "Sari",
]  # fmt: skip
NAMA_BELAKANG = [
    "Santoso", "Wibowo", "Rahayu", "Hidayat", "Setiawan", "Purnomo", "Susanti", "Handayani", "Kurniawan",
    "Saputra", "Pratama", "Utami", "Nugroho", "Wijaya", "Lestari",
]  # fmt: skip
TEMPAT = ["Purworejo", "Magelang", "Wonosobo", "Kebumen", "Yogyakarta", "Semarang"]
PEKERJAAN = ["Petani", "Buruh", "Pedagang", "Wiraswasta", "PNS", "Guru", "Ibu rumah tangga", "Pelajar", ""]
DASAWISMA = ["Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai", "Seruni", "Tulip"]
DUSUN = ["Krajan", "Karanganyar", "Sidomulyo", "Ngasinan", "Kalisari", "Gunungsari", "Sendangsari", "Tegalrejo"]


def _date_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=rng.randint(0, max(span, 0)))


def _years_ago(years: float) -> dt.date:
    return REFERENCE_DATE - dt.timedelta(days=int(years * 365.25))


def write_sample_workbook(path: str | Path, *, kode_desa: str, n_warga: int, seed: int = 1) -> dict[str, int]:
    """Write the workbook to ``path``; returns how many rows each sheet got."""
    rng = random.Random(seed)
    desa_digits = kode_desa.replace(".", "")
    kec_digits = desa_digits[:6]
    # xlsxwriter with its shared-string table, as Excel and LibreOffice save a file (openpyxl's write-only
    # mode writes inline strings, which openpyxl reads back about twice as slowly).
    wb = xlsxwriter.Workbook(str(path))
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws_rt = _Sheet(wb.add_worksheet(c.SHEET_RUMAH_TANGGA), date_format)
    ws_w = _Sheet(wb.add_worksheet(c.SHEET_WARGA), date_format)
    ws_k = _Sheet(wb.add_worksheet(c.SHEET_KEHAMILAN), date_format)
    ws_rt.append(c.RUMAH_TANGGA_KEYS)
    ws_w.append(c.WARGA_KEYS)
    ws_k.append(c.KEHAMILAN_KEYS)

    nik_seq: dict[str, int] = {}
    counts = {"rumah_tangga": 0, "warga": 0, "kehamilan": 0}
    kk_seq = 0

    def nik_for(born: dt.date, jk: str) -> str | None:
        if rng.random() < 0.08:  # some warga have no NIK recorded yet
            return None
        day = born.day + (40 if jk == "P" else 0)
        head = f"{kec_digits}{day:02d}{born.month:02d}{born.year % 100:02d}"
        nik_seq[head] = nik_seq.get(head, 0) + 1
        return f"{head}{nik_seq[head]:04d}"

    def yn(p: float) -> str:
        return c.YA if rng.random() < p else c.TIDAK

    def person(kode_rt: str, kepala: bool, no_kk: str, jk: str, born: dt.date, status: str, kawin: str) -> list:
        counts["warga"] += 1
        kode = f"S{seed}-W{counts['warga']:07d}"
        age = (REFERENCE_DATE - born).days // 365
        nama = f"{rng.choice(NAMA_L if jk == 'L' else NAMA_P)} {rng.choice(NAMA_BELAKANG)}"
        meninggal = pindah = None
        sebab = ""
        roll = rng.random()
        if not kepala and roll < 0.015:
            meninggal = _date_between(rng, max(born, _years_ago(3)), REFERENCE_DATE)
            sebab = rng.choice(["Sakit", "Kecelakaan", "Usia lanjut"])
        elif not kepala and roll < 0.03:
            pindah = _date_between(rng, max(born, _years_ago(3)), REFERENCE_DATE)
        if age < 7:
            pendidikan = "tidak_sekolah"
        elif age < 13:
            pendidikan = "tidak_tamat_sd"
        else:
            pendidikan = rng.choice(["sd", "smp", "sma", "sma", "diploma", "s1"])
        akseptor = jk == "P" and kawin == "kawin" and 18 <= age <= 49 and rng.random() < 0.5
        return [
            kode,
            kode_rt,
            c.YA if kepala else c.TIDAK,
            no_kk,
            nik_for(born, jk),
            nama,
            jk,
            rng.choice(TEMPAT),
            born,
            kawin,
            status,
            rng.choice(["islam"] * 8 + ["kristen", "katolik"]),
            pendidikan,
            rng.choice(PEKERJAAN) if age >= 15 else "",
            c.YA if akseptor else c.TIDAK,
            yn(0.3),
            yn(0.1),
            yn(0.4),
            rng.choice(["", "", "", "", "paket_a", "paket_b", "paket_c", "kf"]) if age >= 15 else "",
            yn(0.5) if 3 <= age <= 6 else c.TIDAK,
            yn(0.2),
            rng.choice([""] * 30 + ["fisik", "non_fisik"]),
            yn(0.03) if age >= 14 else c.TIDAK,
            yn(0.3) if jk == "P" and 18 <= age <= 45 else c.TIDAK,
            yn(0.8),
            meninggal,
            sebab,
            pindah,
        ]

    rt_n = 0
    dusun_i = rw_i = rt_i = das_i = 0
    in_dasawisma = 0
    while counts["warga"] < n_warga:
        if in_dasawisma >= 15:
            in_dasawisma = 0
            das_i += 1
            if das_i == 3:
                das_i, rt_i = 0, rt_i + 1
            if rt_i == 3:
                rt_i, rw_i = 0, rw_i + 1
            if rw_i == 2:
                rw_i, dusun_i = 0, dusun_i + 1
        in_dasawisma += 1
        rt_n += 1
        kode_rt = f"S{seed}-RT{rt_n:06d}"
        dusun = DUSUN[dusun_i % len(DUSUN)] + ("" if dusun_i < len(DUSUN) else f" {dusun_i // len(DUSUN) + 1}")
        rw = f"{dusun_i * 2 + rw_i + 1:02d}"
        ws_rt.append(
            [
                kode_desa, dusun, rw, f"{rt_i + 1:02d}", DASAWISMA[das_i], kode_rt,
                f"Jl. {rng.choice(DUSUN)} No. {rng.randint(1, 200)}", rng.choice(["sehat"] * 4 + ["tidak_sehat"]),
                yn(0.7), yn(0.6), yn(0.8), rng.randint(0, 2) if rng.random() < 0.7 else None,
                rng.choice([c.YA, c.TIDAK, ""]),
                ",".join(sorted({rng.choice(c.SUMBER_AIR) for _ in range(rng.randint(1, 2))}, key=c.SUMBER_AIR.index)),
                rng.choice(["beras"] * 9 + ["non_beras"]), yn(0.2), yn(0.5), yn(0.1), yn(0.4),
            ]
        )  # fmt: skip
        counts["rumah_tangga"] += 1
        kk_seq += 1
        no_kk = f"{desa_digits[:6]}{seed % 100:02d}{kk_seq:08d}"
        kepala_born = _date_between(rng, _years_ago(70), _years_ago(25))
        ws_w.append(person(kode_rt, True, no_kk, "L", kepala_born, "kepala_keluarga", "kawin"))
        if counts["warga"] >= n_warga:
            continue
        istri_born = _date_between(
            rng, kepala_born - dt.timedelta(days=365 * 2), kepala_born + dt.timedelta(days=365 * 8)
        )
        istri_born = min(istri_born, _years_ago(20))
        istri = person(kode_rt, False, no_kk, "P", istri_born, "istri", "kawin")
        istri[25:28] = [None, "", None]  # the mother stays: her pregnancies and children refer to her
        ws_w.append(istri)
        istri_age = (REFERENCE_DATE - istri_born).days / 365.25
        if 18 <= istri_age <= 44 and rng.random() < 0.25:
            mulai = _date_between(rng, _years_ago(3), _years_ago(1.2))
            selesai = mulai + dt.timedelta(days=rng.randint(60, 280))
            hasil = rng.choice(["lahir_hidup"] * 8 + ["lahir_mati", "keguguran"])
            ws_k.append([istri[0], mulai, mulai + dt.timedelta(days=280), yn(0.1), selesai, hasil])
            counts["kehamilan"] += 1
            if rng.random() < 0.4 and selesai + dt.timedelta(days=30) < REFERENCE_DATE:
                mulai = _date_between(rng, max(selesai + dt.timedelta(days=30), _years_ago(0.7)), REFERENCE_DATE)
                ws_k.append(
                    [istri[0], mulai, mulai + dt.timedelta(days=280), rng.choice([c.YA, c.TIDAK, ""]), None, ""]
                )
                counts["kehamilan"] += 1
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            if counts["warga"] >= n_warga:
                break
            youngest = max(istri_born + dt.timedelta(days=365 * 18), _years_ago(25))
            born = _date_between(rng, youngest, REFERENCE_DATE)
            age = (REFERENCE_DATE - born).days / 365.25
            jk = rng.choice("LP")
            ws_w.append(
                person(
                    kode_rt,
                    False,
                    no_kk,
                    jk,
                    born,
                    "anak",
                    "kawin" if age > 22 and rng.random() < 0.3 else "belum_kawin",
                )
            )
        if counts["warga"] < n_warga and rng.random() < 0.1:
            born = _date_between(rng, _years_ago(90), _years_ago(65))
            ws_w.append(person(kode_rt, False, no_kk, rng.choice("LP"), born, "orang_tua", "cerai_mati"))

    wb.close()
    return counts


class _Sheet:
    """``append`` for an xlsxwriter worksheet: dates as Excel dates, empty cells left out."""

    def __init__(self, ws: Any, date_format: Any):
        self.ws, self.date_format, self.row = ws, date_format, 0

    def append(self, values: list) -> None:
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, dt.date):
                self.ws.write_datetime(self.row, col, dt.datetime.combine(value, dt.time()), self.date_format)
            else:
                self.ws.write(self.row, col, value)
        self.row += 1


def _main(argv: list[str] | None = None) -> Any:  # pragma: no cover - convenience for benchmarks
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--kode-desa", default="33.06.16.2006")
    parser.add_argument("--warga", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    return write_sample_workbook(args.path, kode_desa=args.kode_desa, n_warga=args.warga, seed=args.seed)


if __name__ == "__main__":  # pragma: no cover
    print(_main())
