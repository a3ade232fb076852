"""Writes of a kehamilan: record, correct, end (the shared write flow: ``common``). A pregnancy ending in a
live birth is followed (in the view) by adding the baby as a warga; deaths and moves of a warga are in
``warga``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..models import HasilKehamilan, JenisKelamin, Kehamilan, Riwayat, Warga
from ..outbox import record_change
from ..validators import validate_after_birth, validate_not_future, validate_usia_subur
from .common import add_messages, audit, check_version, diff, jan1, local_today, raise_errors, update_audited

KEHAMILAN_FIELDS = ["tanggal_mulai", "hpl", "kek"]


def _validate_kehamilan(k: Kehamilan, *, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    ibu = k.warga
    if ibu.jenis_kelamin != JenisKelamin.P:
        errors.setdefault("__all__", []).append("Kehamilan hanya dapat dicatat untuk warga perempuan.")
    if k.tanggal_mulai is None:
        errors.setdefault("tanggal_mulai", []).append("Tanggal mulai wajib diisi.")
    else:
        try:
            validate_not_future(k.tanggal_mulai, "Tanggal mulai", today)
            validate_after_birth(k.tanggal_mulai, ibu.tanggal_lahir, "Tanggal mulai")
            validate_usia_subur(ibu.tanggal_lahir, k.tanggal_mulai)
        except ValidationError as exc:
            add_messages(errors, "tanggal_mulai", exc)
        left = ibu.tanggal_meninggal or ibu.tanggal_pindah
        if left and left < k.tanggal_mulai:
            errors.setdefault("tanggal_mulai", []).append(
                f"Tanggal mulai: warga ini sudah meninggal atau pindah pada {left:%d-%m-%Y}."
            )
        if k.hpl is not None and k.hpl < k.tanggal_mulai:
            errors.setdefault("hpl", []).append("HPL (taksiran persalinan) tidak boleh sebelum tanggal mulai.")
        if k.tanggal_selesai is not None and k.tanggal_selesai < k.tanggal_mulai:
            errors.setdefault("tanggal_selesai", []).append("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        # Overlap with another pregnancy of the same woman (open ones run to infinity).
        start, end = k.tanggal_mulai, k.tanggal_selesai or dt.date.max
        others = Kehamilan.objects.filter(warga_id=ibu.pk).exclude(pk=k.pk)
        for other in others:
            o_end = other.tanggal_selesai or dt.date.max
            if start < o_end and other.tanggal_mulai < end or start == other.tanggal_mulai:
                state = "masih tercatat hamil" if other.tanggal_selesai is None else "tercatat hamil"
                errors.setdefault("tanggal_mulai", []).append(
                    f"Tanggal mulai: warga ini {state} pada waktu itu (kehamilan sejak "
                    f"{other.tanggal_mulai:%d-%m-%Y}). Selesaikan kehamilan itu dahulu."
                )
                break
    try:
        validate_not_future(k.tanggal_selesai, "Tanggal selesai", today)
    except ValidationError as exc:
        add_messages(errors, "tanggal_selesai", exc)
    if k.tanggal_selesai is not None and not k.hasil:
        errors.setdefault("hasil", []).append("Hasil wajib dipilih bila tanggal selesai diisi.")
    if k.hasil and k.tanggal_selesai is None:
        errors.setdefault("tanggal_selesai", []).append("Tanggal selesai wajib diisi bila hasil dipilih.")
    raise_errors(errors)


OPEN_PREGNANCY_MESSAGE = (
    "Tanggal mulai: warga ini masih tercatat hamil (kehamilan yang belum selesai, baru saja dicatat). "
    "Selesaikan kehamilan itu dahulu."
)


def _lock_ibu(warga_id: int) -> None:
    """Serialise pregnancy writes of one woman (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite writes are
    serialised anyway), so the overlap check of the second save sees the first one."""
    list(Warga.objects.select_for_update().filter(pk=warga_id).values_list("pk", flat=True))


def _update_kehamilan(
    kehamilan: Kehamilan, *, values: dict[str, Any], before: dict[str, Any], version: int, actor
) -> None:
    _lock_ibu(kehamilan.warga_id)
    update_audited(
        kehamilan,
        model="kehamilan",
        values=values,
        before=before,
        version=version,
        actor=actor,
        validate=lambda k: _validate_kehamilan(k, today=local_today()),
    )


def _kehamilan_since(*dicts: dict[str, Any]) -> dt.date:
    dates = [d[f] for d in dicts for f in ("tanggal_mulai", "tanggal_selesai") if isinstance(d.get(f), dt.date)]
    return min(dates) if dates else jan1()


@transaction.atomic
def kehamilan_create(*, warga: Warga, data: dict[str, Any], actor) -> Kehamilan:
    data = {k: data[k] for k in KEHAMILAN_FIELDS if k in data}
    _lock_ibu(warga.pk)
    k = Kehamilan(warga=warga, dasawisma_id=warga.dasawisma_id, **data)
    _validate_kehamilan(k, today=local_today())
    k.full_clean()
    try:
        with transaction.atomic():
            k.save()
    except IntegrityError:  # the partial unique index: another open pregnancy committed meanwhile
        raise ValidationError({"tanggal_mulai": [OPEN_PREGNANCY_MESSAGE]}) from None
    audit(
        model="kehamilan",
        obj=k,
        dasawisma_id=k.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes=diff({}, {f: v for f, v in data.items() if v is not None}),
        actor=actor,
    )
    record_change(k.dasawisma_id, _kehamilan_since(data))
    return k


@transaction.atomic
def kehamilan_update(*, kehamilan: Kehamilan, data: dict[str, Any], version: int, actor) -> Kehamilan:
    check_version(kehamilan, version)
    data = {k: data[k] for k in KEHAMILAN_FIELDS if k in data}
    before = {f: getattr(kehamilan, f) for f in data} | {"tanggal_selesai": kehamilan.tanggal_selesai}
    _update_kehamilan(kehamilan, values=data, before=before, version=version, actor=actor)
    record_change(kehamilan.dasawisma_id, _kehamilan_since(before, data))
    return kehamilan


@transaction.atomic
def kehamilan_end(*, kehamilan: Kehamilan, tanggal_selesai: dt.date, hasil: str, version: int, actor) -> Kehamilan:
    """End a pregnancy. A ``lahir_hidup`` is followed (in the view) by adding the baby as a warga."""
    check_version(kehamilan, version)
    if kehamilan.tanggal_selesai is not None:
        raise ValidationError({"__all__": [f"Kehamilan ini sudah selesai pada {kehamilan.tanggal_selesai:%d-%m-%Y}."]})
    if hasil and hasil not in HasilKehamilan.values:
        raise ValidationError({"hasil": ["Hasil tidak dikenal."]})
    if tanggal_selesai is None:
        raise ValidationError({"tanggal_selesai": ["Tanggal selesai wajib diisi."]})
    values = {"tanggal_selesai": tanggal_selesai, "hasil": hasil or ""}
    before = {f: getattr(kehamilan, f) for f in values}
    _update_kehamilan(kehamilan, values=values, before=before, version=version, actor=actor)
    record_change(kehamilan.dasawisma_id, _kehamilan_since({"tanggal_mulai": kehamilan.tanggal_mulai}, values))
    return kehamilan
