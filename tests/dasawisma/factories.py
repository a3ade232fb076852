"""Small builders for dasawisma tests: households and warga written through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from dasawisma import services

_seq = itertools.count(1)

RT_DATA = {
    "alamat": "Jl. Mawar 1",
    "kriteria_rumah": "sehat",
    "tempat_sampah": True,
    "spal": True,
    "mck_septic_tank": True,
    "jumlah_jamban": 1,
    "stiker_p4k": None,
    "sumber_air_pdam": False,
    "sumber_air_sumur": True,
    "sumber_air_sungai": False,
    "sumber_air_lainnya": False,
    "makanan_pokok": "beras",
    "up2k": False,
    "pemanfaatan_pekarangan": True,
    "industri_rumah_tangga": False,
    "kesehatan_lingkungan": True,
}


def nik_for(tanggal_lahir: dt.date, jenis_kelamin: str, *, prefix: str = "330610") -> str:
    """A NIK that encodes the birth date and sex correctly (day + 40 for women)."""
    day = tanggal_lahir.day + (40 if jenis_kelamin == "P" else 0)
    return f"{prefix}{day:02d}{tanggal_lahir:%m}{tanggal_lahir.year % 100:02d}{next(_seq) % 10000:04d}"


def no_kk() -> str:
    return f"3306100101{next(_seq):06d}"


def warga_data(**overrides) -> dict:
    data = {
        "nama": "Siti Aminah",
        "jenis_kelamin": "P",
        "tempat_lahir": "Purworejo",
        "tanggal_lahir": dt.date(1990, 5, 17),
        "status_perkawinan": "kawin",
        "status_dalam_keluarga": "istri",
        "agama": "islam",
        "pendidikan": "sma",
        "pekerjaan": "Petani",
    }
    data.update(overrides)
    if "nik" not in overrides:
        data["nik"] = nik_for(data["tanggal_lahir"], data["jenis_kelamin"])
    return data


def make_rt(unit, actor, **overrides):
    return services.rumah_tangga_create(dasawisma=unit, data={**RT_DATA, **overrides}, actor=actor)


def make_warga(rt, actor, *, keluarga=None, kepala=False, kk: str | None = None, **overrides):
    if keluarga is None:
        keluarga = rt.keluarga.first()
    if keluarga is None:
        return services.warga_create(
            rumah_tangga=rt, no_kk=kk or no_kk(), data=warga_data(**overrides), kepala=kepala, actor=actor
        )
    return services.warga_create(
        rumah_tangga=rt, keluarga=keluarga, data=warga_data(**overrides), kepala=kepala, actor=actor
    )
