"""Writes of dasawisma data. Every service is atomic, validates (Indonesian messages naming the field),
writes a ``Riwayat`` row and a ``DasawismaChange`` outbox row in the same transaction, and asks reporting
for a refresh after commit (by task name, see ``outbox``).

Updates use optimistic concurrency: the caller passes the ``version`` it showed the user; the row is
updated with ``UPDATE ... WHERE version = <that>`` and a stale version raises ``ConflictError``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from pkk.models import Level, Unit
from pkk.scope import unit_in_scope

from .models import (
    KEGIATAN_PKK_FIELDS,
    HasilKehamilan,
    JenisKelamin,
    Kehamilan,
    Keluarga,
    Riwayat,
    RumahTangga,
    Warga,
)
from .outbox import record_change
from .registrasi import desa_of, next_registrasi
from .validators import (
    normalise_number,
    validate_after_birth,
    validate_nik,
    validate_no_kk,
    validate_not_future,
    validate_not_too_old,
    validate_tiga_buta,
    validate_usia_subur,
)

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
KEHAMILAN_FIELDS = ["tanggal_mulai", "hpl", "kek"]

CONFLICT_MESSAGE = (
    "Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Isian Anda masih ada di formulir: "
    "periksa nilai yang tersimpan sekarang, lalu simpan lagi."
)


class ConflictError(Exception):
    """The record changed since the form was opened (stale ``version``)."""

    def __init__(self, current: models.Model):
        super().__init__(CONFLICT_MESSAGE)
        self.current = current
        self.message = CONFLICT_MESSAGE


# ---------------------------------------------------------------------------------------------------------
# helpers


def _today() -> dt.date:
    return timezone.localdate()


def _jan1() -> dt.date:
    return _today().replace(month=1, day=1)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))] for k in after if _plain(before.get(k)) != _plain(after.get(k))
    }


def _audit(*, model: str, obj: models.Model, dasawisma_id: int, aksi: str, changes: dict, actor) -> None:
    Riwayat.objects.create(
        model=model,
        object_id=obj.pk,
        dasawisma_id=dasawisma_id,
        aksi=aksi,
        changes=changes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _raise(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, exc: ValidationError) -> None:
    errors.setdefault(field, []).extend(exc.messages)


def _check_version(instance: models.Model, version: int | None) -> None:
    if version is None or int(version) != instance.version:  # type: ignore[attr-defined]
        raise ConflictError(type(instance)._default_manager.get(pk=instance.pk))


def _versioned_update(instance: models.Model, version: int, fields: list[str]) -> None:
    """``UPDATE ... SET fields, version = version + 1 WHERE pk AND version``; 0 rows = someone was faster."""
    model = type(instance)
    values = {}
    for name in fields:
        attname = model._meta.get_field(name).attname  # type: ignore[union-attr]  # ForeignKeys are written through their column
        values[attname] = getattr(instance, attname)
    now = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise ConflictError(model._default_manager.get(pk=instance.pk))
    instance.version = version + 1  # type: ignore[attr-defined]
    instance.updated_at = now  # type: ignore[attr-defined]


def _update_audited(
    instance: models.Model,
    *,
    model: str,
    values: dict[str, Any],
    before: dict[str, Any],
    version: int,
    actor,
    validate: Callable[[Any], None] | None = None,
    exclude: list[str] | None = None,
) -> dict[str, list[Any]]:
    """Set ``values`` on ``instance``, validate (``validate`` then ``full_clean``), write them if ``version``
    is still current (else ConflictError), record the change in Riwayat and return it."""
    for k, v in values.items():
        setattr(instance, k, v)
    if validate is not None:
        validate(instance)
    instance.full_clean(exclude=exclude)
    _versioned_update(instance, int(version), list(values))
    changes = _diff(before, values)
    _audit(
        model=model,
        obj=instance,
        dasawisma_id=instance.dasawisma_id,  # type: ignore[attr-defined]
        aksi=Riwayat.Aksi.UBAH,
        changes=changes,
        actor=actor,
    )
    return changes


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
# rumah tangga


def _clean_rumah_tangga(data: dict[str, Any]) -> dict[str, Any]:
    data = {k: data[k] for k in RUMAH_TANGGA_FIELDS if k in data}
    errors: dict[str, list[str]] = {}
    if SUMBER_AIR_FIELDS[0] in data and not any(data.get(f) for f in SUMBER_AIR_FIELDS):
        errors["sumber_air"] = ["Sumber air: pilih paling sedikit satu."]
    _raise(errors)
    return data


@transaction.atomic
def rumah_tangga_create(*, dasawisma: Unit, data: dict[str, Any], actor) -> RumahTangga:
    if dasawisma.level != Level.DASAWISMA:
        raise ValidationError({"dasawisma": ["Rumah tangga hanya dapat dibuat di bawah dasawisma."]})
    data = _clean_rumah_tangga(data)
    rt = RumahTangga(dasawisma=dasawisma, **data)
    rt.full_clean()
    rt.save()
    _audit(
        model="rumah_tangga",
        obj=rt,
        dasawisma_id=dasawisma.pk,
        aksi=Riwayat.Aksi.BUAT,
        changes=_diff({}, {k: getattr(rt, k) for k in data if getattr(rt, k) not in (None, "", False)}),
        actor=actor,
    )
    record_change(dasawisma, _jan1())
    return rt


@transaction.atomic
def rumah_tangga_update(*, rumah_tangga: RumahTangga, data: dict[str, Any], version: int, actor) -> RumahTangga:
    _check_version(rumah_tangga, version)
    data = _clean_rumah_tangga(data)
    before = {k: getattr(rumah_tangga, k) for k in data}
    _update_audited(rumah_tangga, model="rumah_tangga", values=data, before=before, version=version, actor=actor)
    record_change(rumah_tangga.dasawisma_id, _jan1())
    return rumah_tangga


@transaction.atomic
def kepala_set(*, rumah_tangga: RumahTangga, warga: Warga, version: int | None = None, actor) -> RumahTangga:
    """Make ``warga`` the (one) kepala rumah tangga. ``version`` None: no concurrency check (internal use)."""
    errors: dict[str, list[str]] = {}
    if warga.rumah_tangga_id != rumah_tangga.pk:
        errors["kepala"] = ["Kepala rumah tangga harus warga dari rumah tangga ini."]
    elif warga.tanggal_meninggal or warga.tanggal_pindah:
        errors["kepala"] = ["Kepala rumah tangga harus warga yang masih tinggal (belum meninggal atau pindah)."]
    _raise(errors)
    if version is not None:
        _check_version(rumah_tangga, version)
    if version is None:  # internal call (warga_create): take the row's version as it is now
        current_version = RumahTangga.objects.values_list("version", flat=True).get(pk=rumah_tangga.pk)
    else:
        current_version = int(version)
    old = rumah_tangga.kepala
    rumah_tangga.kepala = warga
    _versioned_update(rumah_tangga, current_version, ["kepala"])
    _audit(
        model="rumah_tangga",
        obj=rumah_tangga,
        dasawisma_id=rumah_tangga.dasawisma_id,
        aksi=Riwayat.Aksi.UBAH,
        changes={"kepala": [old.nama if old else None, warga.nama]},
        actor=actor,
    )
    record_change(rumah_tangga.dasawisma_id, _jan1())
    return rumah_tangga


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
    _audit(
        model="keluarga",
        obj=keluarga,
        dasawisma_id=rumah_tangga.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes={"no_kk": [None, no_kk]},
        actor=actor,
    )
    record_change(rumah_tangga.dasawisma_id, _jan1())
    return keluarga


# ---------------------------------------------------------------------------------------------------------
# warga


def _validate_warga(w: Warga, *, actor, today: dt.date) -> None:
    """Every check on a warga's own fields, collected per field."""
    errors: dict[str, list[str]] = {}
    try:
        w.nik = validate_nik(w.nik)
    except ValidationError as exc:
        _add(errors, "nik", exc)
    else:
        if w.nik:
            msg = _nik_taken_error(w.nik, w.pk, actor)
            if msg:
                errors.setdefault("nik", []).append(msg)
    try:
        w.no_kk = validate_no_kk(w.no_kk)
    except ValidationError as exc:
        _add(errors, "no_kk", exc)
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
            _add(errors, field, exc)
    try:
        validate_not_too_old(w.tanggal_lahir, "Tanggal lahir", today)
    except ValidationError as exc:
        _add(errors, "tanggal_lahir", exc)
    for field, label in (("tanggal_meninggal", "Tanggal meninggal"), ("tanggal_pindah", "Tanggal pindah")):
        try:
            validate_after_birth(getattr(w, field), w.tanggal_lahir, label)
        except ValidationError as exc:
            _add(errors, field, exc)
    if w.sebab_meninggal and not w.tanggal_meninggal:
        errors.setdefault("tanggal_meninggal", []).append("Tanggal meninggal wajib diisi bila sebab meninggal diisi.")
    try:
        validate_tiga_buta(w.tiga_buta, w.tanggal_lahir, today)
    except ValidationError as exc:
        _add(errors, "tiga_buta", exc)
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
    _raise(errors)
    if not w.akseptor_kb:
        w.jenis_kb = ""


def _warga_since(*dicts: dict[str, Any]) -> dt.date:
    dates = [d[f] for d in dicts for f in WARGA_DATE_FIELDS if isinstance(d.get(f), dt.date)]
    return min(dates) if dates else _jan1()


def _warga_update_since(changes: dict[str, list[Any]], before: dict[str, Any], after: dict[str, Any]) -> dt.date:
    """Earliest date touched by an update: the old and new values of the dates that changed; a change of
    any other fact (flags, names, statuses) counts, like household facts, from 1 January of this year."""
    touched = {("tanggal_meninggal" if f == "sebab_meninggal" else f) for f in changes}  # sebab belongs to its date
    values = [d.get(f) for d in (before, after) for f in touched if f in WARGA_DATE_FIELDS]
    dates = [v for v in values if isinstance(v, dt.date)]
    if any(f not in WARGA_DATE_FIELDS for f in touched) or not dates:
        dates.append(_jan1())
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
        if not normalise_number(no_kk):
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
    _validate_warga(w, actor=actor, today=_today())
    w.full_clean(exclude=["nik", "no_registrasi"])
    # Numbering is shared with the workbook import (dasawisma.registrasi); it locks the desa row.
    w.no_registrasi = next_registrasi(desa=desa_of(rumah_tangga.dasawisma), on=_today())
    try:
        with transaction.atomic():
            w.save()
    except IntegrityError:
        if w.nik and Warga.objects.filter(nik=w.nik).exists():
            raise ValidationError({"nik": [_nik_taken_error(w.nik, None, actor)]})
        raise
    after = {k: getattr(w, k) for k in data} | {"no_kk": w.no_kk, "no_registrasi": w.no_registrasi}
    _audit(
        model="warga",
        obj=w,
        dasawisma_id=w.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes=_diff({}, {k: v for k, v in after.items() if v not in (None, "", False)}),
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
    _check_version(warga, version)
    data = {k: data[k] for k in WARGA_FIELDS if k in data}
    fields = list(data)
    before = {k: getattr(warga, k) for k in fields} | {"no_kk": warga.no_kk}
    if keluarga is not None and keluarga.pk != warga.keluarga_id:
        warga.keluarga = keluarga
        warga.no_kk = keluarga.no_kk
        fields += ["keluarga", "no_kk"]
    for k, v in data.items():
        setattr(warga, k, v)
    _validate_warga(warga, actor=actor, today=_today())
    warga.full_clean(exclude=["nik"])
    if "jenis_kb" not in fields:
        fields.append("jenis_kb")
    try:
        with transaction.atomic():
            _versioned_update(warga, int(version), fields)
    except IntegrityError:
        raise ValidationError({"nik": [_nik_taken_error(warga.nik or "", warga.pk, actor) or "NIK sudah terdaftar."]})
    after = {k: getattr(warga, k) for k in fields if k != "keluarga"}
    changes = _diff(before, after)
    _audit(
        model="warga", obj=warga, dasawisma_id=warga.dasawisma_id, aksi=Riwayat.Aksi.UBAH, changes=changes, actor=actor
    )
    record_change(warga.dasawisma_id, _warga_update_since(changes, before, after))
    return warga


def _warga_leave(warga: Warga, version: int, values: dict[str, Any], actor) -> Warga:
    _check_version(warga, version)
    if warga.tanggal_meninggal:
        raise ValidationError(f"Warga ini sudah tercatat meninggal pada {warga.tanggal_meninggal:%d-%m-%Y}.")
    if warga.tanggal_pindah:
        raise ValidationError(f"Warga ini sudah tercatat pindah pada {warga.tanggal_pindah:%d-%m-%Y}.")
    before = {k: getattr(warga, k) for k in values}
    changes = _update_audited(
        warga,
        model="warga",
        values=values,
        before=before,
        version=version,
        actor=actor,
        validate=lambda w: _validate_warga(w, actor=actor, today=_today()),
        exclude=["nik"],
    )
    record_change(warga.dasawisma_id, _warga_update_since(changes, before, values))
    return warga


@transaction.atomic
def warga_meninggal(*, warga: Warga, tanggal: dt.date, sebab: str = "", version: int, actor) -> Warga:
    if tanggal is None:
        raise ValidationError({"tanggal_meninggal": ["Tanggal meninggal wajib diisi."]})
    return _warga_leave(warga, version, {"tanggal_meninggal": tanggal, "sebab_meninggal": sebab or ""}, actor)


@transaction.atomic
def warga_pindah(*, warga: Warga, tanggal: dt.date, version: int, actor, pindah_ke: str = "") -> Warga:
    """Record a move away; ``pindah_ke`` (optional, free text) says where to."""
    if tanggal is None:
        raise ValidationError({"tanggal_pindah": ["Tanggal pindah wajib diisi."]})
    pindah_ke = " ".join((pindah_ke or "").split())[:200]
    return _warga_leave(warga, version, {"tanggal_pindah": tanggal, "pindah_ke": pindah_ke}, actor)


# ---------------------------------------------------------------------------------------------------------
# kehamilan


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
            _add(errors, "tanggal_mulai", exc)
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
        _add(errors, "tanggal_selesai", exc)
    if k.tanggal_selesai is not None and not k.hasil:
        errors.setdefault("hasil", []).append("Hasil wajib dipilih bila tanggal selesai diisi.")
    if k.hasil and k.tanggal_selesai is None:
        errors.setdefault("tanggal_selesai", []).append("Tanggal selesai wajib diisi bila hasil dipilih.")
    _raise(errors)


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
    _update_audited(
        kehamilan,
        model="kehamilan",
        values=values,
        before=before,
        version=version,
        actor=actor,
        validate=lambda k: _validate_kehamilan(k, today=_today()),
    )


def _kehamilan_since(*dicts: dict[str, Any]) -> dt.date:
    dates = [d[f] for d in dicts for f in ("tanggal_mulai", "tanggal_selesai") if isinstance(d.get(f), dt.date)]
    return min(dates) if dates else _jan1()


@transaction.atomic
def kehamilan_create(*, warga: Warga, data: dict[str, Any], actor) -> Kehamilan:
    data = {k: data[k] for k in KEHAMILAN_FIELDS if k in data}
    _lock_ibu(warga.pk)
    k = Kehamilan(warga=warga, dasawisma_id=warga.dasawisma_id, **data)
    _validate_kehamilan(k, today=_today())
    k.full_clean()
    try:
        with transaction.atomic():
            k.save()
    except IntegrityError:  # the partial unique index: another open pregnancy committed meanwhile
        raise ValidationError({"tanggal_mulai": [OPEN_PREGNANCY_MESSAGE]}) from None
    _audit(
        model="kehamilan",
        obj=k,
        dasawisma_id=k.dasawisma_id,
        aksi=Riwayat.Aksi.BUAT,
        changes=_diff({}, {f: v for f, v in data.items() if v is not None}),
        actor=actor,
    )
    record_change(k.dasawisma_id, _kehamilan_since(data))
    return k


@transaction.atomic
def kehamilan_update(*, kehamilan: Kehamilan, data: dict[str, Any], version: int, actor) -> Kehamilan:
    _check_version(kehamilan, version)
    data = {k: data[k] for k in KEHAMILAN_FIELDS if k in data}
    before = {f: getattr(kehamilan, f) for f in data} | {"tanggal_selesai": kehamilan.tanggal_selesai}
    _update_kehamilan(kehamilan, values=data, before=before, version=version, actor=actor)
    record_change(kehamilan.dasawisma_id, _kehamilan_since(before, data))
    return kehamilan


@transaction.atomic
def kehamilan_selesai(*, kehamilan: Kehamilan, tanggal_selesai: dt.date, hasil: str, version: int, actor) -> Kehamilan:
    """End a pregnancy. A ``lahir_hidup`` is followed (in the view) by adding the baby as a warga."""
    _check_version(kehamilan, version)
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
