"""Tiny ORM helpers to put dasawisma data in the database for the roll-up tests (no services: the
entry helper writes those; the roll-up reads the tables)."""

from __future__ import annotations

import datetime as dt
import itertools

from dasawisma.models import DasawismaChange, Kehamilan, Keluarga, RumahTangga, Warga

_seq = itertools.count(1)

D = dt.date


def rumah_tangga(dasawisma, kode: str = "", **flags) -> RumahTangga:
    return RumahTangga.objects.create(dasawisma=dasawisma, kode=kode, **flags)


def keluarga(rt: RumahTangga, no_kk: str) -> Keluarga:
    return Keluarga.objects.get_or_create(rumah_tangga=rt, no_kk=no_kk)[0]


def warga(rt: RumahTangga, no_kk: str, nama: str, jk: str, lahir: dt.date, *, status: str = "anak",
          kawin: str = "belum_kawin", **extra) -> Warga:  # fmt: skip
    kel = keluarga(rt, no_kk)
    return Warga.objects.create(
        dasawisma_id=rt.dasawisma_id,
        rumah_tangga=rt,
        keluarga=kel,
        no_kk=no_kk,
        no_registrasi=f"REG{next(_seq):08d}",
        nama=nama,
        jenis_kelamin=jk,
        tanggal_lahir=lahir,
        status_perkawinan=kawin,
        status_dalam_keluarga=status,
        agama="islam",
        pendidikan="sma",
        **extra,
    )


def hamil(ibu: Warga, mulai: dt.date, *, selesai: dt.date | None = None, hasil: str = "", kek=None) -> Kehamilan:
    return Kehamilan.objects.create(
        warga=ibu, dasawisma_id=ibu.dasawisma_id, tanggal_mulai=mulai, tanggal_selesai=selesai, hasil=hasil, kek=kek
    )


def outbox(dasawisma, since: dt.date) -> DasawismaChange:
    return DasawismaChange.objects.create(dasawisma=dasawisma, since=since)
