"""Writes of a rumah tangga: create, update, choose its kepala (the shared write flow: ``common``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pkk.models import Level, Unit

from ..models import Riwayat, RumahTangga, Warga
from ..outbox import record_change
from .common import audit, check_version, diff, jan1, raise_errors, update_audited, versioned_update

RUMAH_TANGGA_FIELDS = [
    "kode",
    "alamat",
    "kriteria_rumah",
    "tempat_sampah",
    "spal",
    "mck_septic_tank",
    "jumlah_jamban",
    "stiker_p4k",
    "sumber_air_pdam",
    "sumber_air_sumur",
    "sumber_air_sungai",
    "sumber_air_lainnya",
    "makanan_pokok",
    "up2k",
    "pemanfaatan_pekarangan",
    "industri_rumah_tangga",
    "kesehatan_lingkungan",
]
SUMBER_AIR_FIELDS = ["sumber_air_pdam", "sumber_air_sumur", "sumber_air_sungai", "sumber_air_lainnya"]


def _clean_rumah_tangga(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: data[k] for k in RUMAH_TANGGA_FIELDS if k in data}
    errors: dict[str, list[str]] = {}
    if SUMBER_AIR_FIELDS[0] in data and not any(data.get(f) for f in SUMBER_AIR_FIELDS):
        errors["sumber_air"] = ["Sumber air: pilih paling sedikit satu."]
    raise_errors(errors)
    return data


@transaction.atomic
def rumah_tangga_create(*, dasawisma: Unit, data: dict[str, Any], actor) -> RumahTangga:
    if dasawisma.level != Level.DASAWISMA:
        raise ValidationError({"dasawisma": ["Rumah tangga hanya dapat dibuat di bawah dasawisma."]})
    data = _clean_rumah_tangga(data)
    rt = RumahTangga(dasawisma=dasawisma, **data)
    rt.full_clean()
    rt.save()
    audit(
        model="rumah_tangga",
        obj=rt,
        dasawisma_id=dasawisma.pk,
        aksi=Riwayat.Aksi.BUAT,
        changes=diff({}, {k: getattr(rt, k) for k in data if getattr(rt, k) not in (None, "", False)}),
        actor=actor,
    )
    record_change(dasawisma, jan1())
    return rt


@transaction.atomic
def rumah_tangga_update(*, rumah_tangga: RumahTangga, data: dict[str, Any], version: int, actor) -> RumahTangga:
    check_version(rumah_tangga, version)
    data = _clean_rumah_tangga(data)
    before = {k: getattr(rumah_tangga, k) for k in data}
    update_audited(rumah_tangga, model="rumah_tangga", values=data, before=before, version=version, actor=actor)
    record_change(rumah_tangga.dasawisma_id, jan1())
    return rumah_tangga


@transaction.atomic
def kepala_set(*, rumah_tangga: RumahTangga, warga: Warga, version: int | None = None, actor) -> RumahTangga:
    """Make ``warga`` the (one) kepala rumah tangga. ``version`` None: no concurrency check (internal use)."""
    errors: dict[str, list[str]] = {}
    if warga.rumah_tangga_id != rumah_tangga.pk:
        errors["kepala"] = ["Kepala rumah tangga harus warga dari rumah tangga ini."]
    elif warga.tanggal_meninggal or warga.tanggal_pindah:
        errors["kepala"] = ["Kepala rumah tangga harus warga yang masih tinggal (belum meninggal atau pindah)."]
    raise_errors(errors)
    if version is not None:
        check_version(rumah_tangga, version)
    if version is None:  # internal call (warga_create): take the row's version as it is now
        current_version = RumahTangga.objects.values_list("version", flat=True).get(pk=rumah_tangga.pk)
    else:
        current_version = int(version)
    old = rumah_tangga.kepala
    rumah_tangga.kepala = warga
    versioned_update(rumah_tangga, current_version, ["kepala"])
    audit(
        model="rumah_tangga",
        obj=rumah_tangga,
        dasawisma_id=rumah_tangga.dasawisma_id,
        aksi=Riwayat.Aksi.UBAH,
        changes={"kepala": [old.nama if old else None, warga.nama]},
        actor=actor,
    )
    record_change(rumah_tangga.dasawisma_id, jan1())
    return rumah_tangga
