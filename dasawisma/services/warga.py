"""Writes of a warga and of the keluarga (No. KK) it belongs to: create, update, record a death or a move
away (the shared write flow: ``common``). The NIK is unique: a taken one is named only inside the user's
scope (``_nik_taken_error``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pkk.scope import unit_in_scope

from ..models import KEGIATAN_PKK_FIELDS, JenisKelamin, Keluarga, Riwayat, RumahTangga, Warga
from ..outbox import record_change
from ..registrasi import desa_of, next_registrasi
from ..validators import (
    normalize_number,
    validate_after_birth,
    validate_nik,
    validate_no_kk,
    validate_not_future,
    validate_not_too_old,
    validate_tiga_buta,
)
from .common import (
    add_messages,
    audit,
    check_version,
    diff,
    jan1,
    local_today,
    raise_errors,
    update_audited,
    versioned_update,
)
from .rumah_tangga import kepala_set

# Data fields of a warga a form may set (keluarga/no_kk, death and moving have their own paths).
WARGA_FIELDS = [
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "status_perkawinan",
    "status_dalam_keluarga",
    "agama",
    "pendidikan",
    "pekerjaan",
    "akseptor_kb",
    "jenis_kb",
    "aktif_posyandu",
    "ikut_bkb",
    "memiliki_tabungan",
    "kelompok_belajar",
    "ikut_paud",
    "ikut_koperasi",
    "berkebutuhan_khusus",
    "tiga_buta",
    "menyusui",
    "akta_kelahiran",
    *KEGIATAN_PKK_FIELDS,
    "ibu",
    # corrections only; recording a death or a move has its own service
    "tanggal_meninggal",
    "sebab_meninggal",
    "tanggal_pindah",
]
WARGA_DATE_FIELDS = ("tanggal_lahir", "tanggal_meninggal", "tanggal_pindah")


def _nik_taken_error(nik: str, exclude_pk: int | None, actor) -> str | None:
    other = Warga.objects.filter(nik=nik).exclude(pk=exclude_pk).select_related("dasawisma").first()  # type: ignore[misc]
    if other is None:
        return None
    if actor is not None and unit_in_scope(actor, other.dasawisma):
        return (
            f"NIK sudah terdaftar untuk warga lain: {other.nama} ({other.dasawisma.label}, "
            f"No. Registrasi {other.no_registrasi})."
        )
    # Outside the user's scope: say that it exists, never where (UU 27/2022).
    return "NIK sudah terdaftar untuk warga di wilayah lain. Periksa kembali NIK, atau hubungi TP PKK desa."


# ---------------------------------------------------------------------------------------------------------
# keluarga


KK_TAKEN_MESSAGE = "No. KK ini sudah tercatat di rumah tangga ini."


class KeluargaTaken(ValidationError):
    """The No. KK was saved for this rumah tangga by someone else at the same moment."""


@transaction.atomic
def keluarga_create(*, rumah_tangga: RumahTangga, no_kk: str, actor) -> Keluarga:
    try:
        no_kk = validate_no_kk(no_kk)
    except ValidationError as exc:
        raise ValidationError({"no_kk": exc.messages})
    if Keluarga.objects.filter(rumah_tangga=rumah_tangga, no_kk=no_kk).exists():
        raise ValidationError({"no_kk": [KK_TAKEN_MESSAGE]})
    keluarga = Keluarga(rumah_tangga=rumah_tangga, no_kk=no_kk)
    keluarga.full_clean()
    try:
        with transaction.atomic():
            keluarga.save()
    except IntegrityError:  # someone saved the same new No. KK a moment ago (the check above missed it)
        raise KeluargaTaken({"no_kk": [KK_TAKEN_MESSAGE]}) from None
    audit(
        model="keluarga",
        obj=keluarga,
        dasawisma_id=rumah_tangga.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes={"no_kk": [None, no_kk]},
        actor=actor,
    )
    record_change(rumah_tangga.dasawisma_id, jan1())
    return keluarga


# ---------------------------------------------------------------------------------------------------------
# warga


def _validate_warga(w: Warga, *, actor, today: dt.date) -> None:
    """Every check on a warga's own fields, collected per field."""
    errors: dict[str, list[str]] = {}
    try:
        w.nik = validate_nik(w.nik)
    except ValidationError as exc:
        add_messages(errors, "nik", exc)
    else:
        if w.nik:
            msg = _nik_taken_error(w.nik, w.pk, actor)
            if msg:
                errors.setdefault("nik", []).append(msg)
    try:
        w.no_kk = validate_no_kk(w.no_kk)
    except ValidationError as exc:
        add_messages(errors, "no_kk", exc)
    if not (w.nama or "").strip():
        errors.setdefault("nama", []).append("Nama wajib diisi.")
    if w.tanggal_lahir is None:
        errors.setdefault("tanggal_lahir", []).append("Tanggal lahir wajib diisi.")
    for field, label in (
        ("tanggal_lahir", "Tanggal lahir"),
        ("tanggal_meninggal", "Tanggal meninggal"),
        ("tanggal_pindah", "Tanggal pindah"),
    ):
        try:
            validate_not_future(getattr(w, field), label, today)
        except ValidationError as exc:
            add_messages(errors, field, exc)
    try:
        validate_not_too_old(w.tanggal_lahir, "Tanggal lahir", today)
    except ValidationError as exc:
        add_messages(errors, "tanggal_lahir", exc)
    for field, label in (("tanggal_meninggal", "Tanggal meninggal"), ("tanggal_pindah", "Tanggal pindah")):
        try:
            validate_after_birth(getattr(w, field), w.tanggal_lahir, label)
        except ValidationError as exc:
            add_messages(errors, field, exc)
    if w.sebab_meninggal and not w.tanggal_meninggal:
        errors.setdefault("tanggal_meninggal", []).append("Tanggal meninggal wajib diisi bila sebab meninggal diisi.")
    try:
        validate_tiga_buta(w.tiga_buta, w.tanggal_lahir, today)
    except ValidationError as exc:
        add_messages(errors, "tiga_buta", exc)
    if w.menyusui and w.jenis_kelamin != JenisKelamin.P:
        errors.setdefault("menyusui", []).append("Sedang menyusui hanya untuk warga perempuan.")
    if (ibu := w.ibu) is not None:  # no query when ibu_id is None
        if ibu.pk == w.pk:
            errors.setdefault("ibu", []).append("Ibu tidak boleh warga itu sendiri.")
        elif ibu.jenis_kelamin != JenisKelamin.P:
            errors.setdefault("ibu", []).append("Ibu harus warga perempuan.")
        elif ibu.dasawisma_id != w.dasawisma_id:
            errors.setdefault("ibu", []).append("Ibu harus warga dasawisma yang sama.")
        elif w.tanggal_lahir and ibu.tanggal_lahir >= w.tanggal_lahir:
            errors.setdefault("ibu", []).append("Ibu harus lahir sebelum anaknya.")
    if w.keluarga_id is not None and w.keluarga.rumah_tangga_id != w.rumah_tangga_id:
        errors.setdefault("keluarga", []).append("Keluarga (No. KK) harus dari rumah tangga ini.")
    raise_errors(errors)
    if not w.akseptor_kb:
        w.jenis_kb = ""


def _warga_since(*dicts: dict[str, Any]) -> dt.date:
    dates = [d[f] for d in dicts for f in WARGA_DATE_FIELDS if isinstance(d.get(f), dt.date)]
    return min(dates) if dates else jan1()


def _warga_update_since(changes: dict[str, list[Any]], before: dict[str, Any], after: dict[str, Any]) -> dt.date:
    """Earliest date touched by an update: the old and new values of the dates that changed; a change of
    any other fact (flags, names, statuses) counts, like household facts, from 1 January of this year."""
    touched = {("tanggal_meninggal" if f == "sebab_meninggal" else f) for f in changes}  # sebab belongs to its date
    values = [d.get(f) for d in (before, after) for f in touched if f in WARGA_DATE_FIELDS]
    dates = [v for v in values if isinstance(v, dt.date)]
    if any(f not in WARGA_DATE_FIELDS for f in touched) or not dates:
        dates.append(jan1())
    return min(dates)


@transaction.atomic
def warga_create(
    *,
    rumah_tangga: RumahTangga,
    keluarga: Keluarga | None = None,
    no_kk: str | None = None,
    data: dict[str, Any],
    kepala: bool = False,
    actor,
) -> Warga:
    """A new warga of ``rumah_tangga`` in ``keluarga`` (or in the keluarga of ``no_kk``, created if new)."""
    if keluarga is None:
        if not normalize_number(no_kk):
            raise ValidationError({"keluarga": ["No. KK: pilih keluarga atau isi No. KK baru."]})
        try:
            kk = validate_no_kk(no_kk)
        except ValidationError as exc:
            raise ValidationError({"no_kk": exc.messages})
        keluarga = Keluarga.objects.filter(rumah_tangga=rumah_tangga, no_kk=kk).first()
        if keluarga is None:
            try:
                keluarga = keluarga_create(rumah_tangga=rumah_tangga, no_kk=kk, actor=actor)
            except KeluargaTaken:  # created by another save at the same moment: the warga joins it
                keluarga = Keluarga.objects.get(rumah_tangga=rumah_tangga, no_kk=kk)
    data = {k: data[k] for k in WARGA_FIELDS if k in data}
    w = Warga(
        dasawisma_id=rumah_tangga.dasawisma_id,
        rumah_tangga=rumah_tangga,
        keluarga=keluarga,
        no_kk=keluarga.no_kk,
        **data,
    )
    _validate_warga(w, actor=actor, today=local_today())
    w.full_clean(exclude=["nik", "no_registrasi"])
    # Numbering is shared with the workbook import (dasawisma.registrasi); it locks the desa row.
    w.no_registrasi = next_registrasi(desa=desa_of(rumah_tangga.dasawisma), on=local_today())
    try:
        with transaction.atomic():
            w.save()
    except IntegrityError:
        if w.nik and Warga.objects.filter(nik=w.nik).exists():
            raise ValidationError({"nik": [_nik_taken_error(w.nik, None, actor)]})
        raise
    after = {k: getattr(w, k) for k in data} | {"no_kk": w.no_kk, "no_registrasi": w.no_registrasi}
    audit(
        model="warga",
        obj=w,
        dasawisma_id=w.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes=diff({}, {k: v for k, v in after.items() if v not in (None, "", False)}),
        actor=actor,
    )
    record_change(w.dasawisma_id, _warga_since(after))
    if kepala:
        kepala_set(rumah_tangga=rumah_tangga, warga=w, actor=actor)
    return w


@transaction.atomic
def warga_update(
    *,
    warga: Warga,
    data: dict[str, Any],
    version: int,
    keluarga: Keluarga | None = None,
    actor,
) -> Warga:
    check_version(warga, version)
    data = {k: data[k] for k in WARGA_FIELDS if k in data}
    fields = list(data)
    before = {k: getattr(warga, k) for k in fields} | {"no_kk": warga.no_kk}
    if keluarga is not None and keluarga.pk != warga.keluarga_id:
        warga.keluarga = keluarga
        warga.no_kk = keluarga.no_kk
        fields += ["keluarga", "no_kk"]
    for k, v in data.items():
        setattr(warga, k, v)
    _validate_warga(warga, actor=actor, today=local_today())
    warga.full_clean(exclude=["nik"])
    if "jenis_kb" not in fields:
        fields.append("jenis_kb")
    try:
        with transaction.atomic():
            versioned_update(warga, int(version), fields)
    except IntegrityError:
        raise ValidationError({"nik": [_nik_taken_error(warga.nik or "", warga.pk, actor) or "NIK sudah terdaftar."]})
    after = {k: getattr(warga, k) for k in fields if k != "keluarga"}
    changes = diff(before, after)
    audit(
        model="warga", obj=warga, dasawisma_id=warga.dasawisma_id, aksi=Riwayat.Aksi.UBAH, changes=changes, actor=actor
    )
    record_change(warga.dasawisma_id, _warga_update_since(changes, before, after))
    return warga


def _warga_leave(warga: Warga, version: int, values: dict[str, Any], actor) -> Warga:
    check_version(warga, version)
    if warga.tanggal_meninggal:
        raise ValidationError(f"Warga ini sudah tercatat meninggal pada {warga.tanggal_meninggal:%d-%m-%Y}.")
    if warga.tanggal_pindah:
        raise ValidationError(f"Warga ini sudah tercatat pindah pada {warga.tanggal_pindah:%d-%m-%Y}.")
    before = {k: getattr(warga, k) for k in values}
    changes = update_audited(
        warga,
        model="warga",
        values=values,
        before=before,
        version=version,
        actor=actor,
        validate=lambda w: _validate_warga(w, actor=actor, today=local_today()),
        exclude=["nik"],
    )
    record_change(warga.dasawisma_id, _warga_update_since(changes, before, values))
    return warga


@transaction.atomic
def warga_die(*, warga: Warga, tanggal: dt.date, sebab: str = "", version: int, actor) -> Warga:
    """Record a death (``tanggal_meninggal``, ``sebab_meninggal``)."""
    if tanggal is None:
        raise ValidationError({"tanggal_meninggal": ["Tanggal meninggal wajib diisi."]})
    return _warga_leave(warga, version, {"tanggal_meninggal": tanggal, "sebab_meninggal": sebab or ""}, actor)


@transaction.atomic
def warga_move(*, warga: Warga, tanggal: dt.date, version: int, actor, pindah_ke: str = "") -> Warga:
    """Record a move away; ``pindah_ke`` (optional, free text) says where to."""
    if tanggal is None:
        raise ValidationError({"tanggal_pindah": ["Tanggal pindah wajib diisi."]})
    pindah_ke = " ".join((pindah_ke or "").split())[:200]
    return _warga_leave(warga, version, {"tanggal_pindah": tanggal, "pindah_ke": pindah_ke}, actor)
