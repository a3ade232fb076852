"""Writes of kegiatan: atomic, validated, logged to ``pkk.audit``; stored files removed after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from pkk.models import Role, Unit
from pkk.photos import delete_files_on_commit
from pkk.scope import assignments

from .models import PELAPOR_ROLE, Kegiatan, KegiatanFoto
from .selectors import may_report

audit_log = logging.getLogger("pkk.audit")

FIELDS = ("tanggal", "tempat", "pokja", "program_pokok", "judul", "uraian", "jumlah_peserta", "jabatan")


def _audit(actor, action: str, kegiatan: Kegiatan, **details) -> None:
    if actor is None:
        return
    audit_log.info(
        "%s by=%s unit=%s kegiatan=%s %s",
        action,
        getattr(actor, "username", "-"),
        kegiatan.unit_id,
        kegiatan.pk,
        " ".join(f"{k}={v}" for k, v in details.items()),
    )


def nama_akun(user) -> str:
    """The account's name for NAMA: the full name when recorded, else the user name."""
    return (user.get_full_name() or "").strip() or user.get_username()


def jabatan_bawaan(user, unit: Unit) -> str:
    """The default JABATAN: the account's role title at that unit, e.g. "TP PKK Desa Kaliboto"."""
    titles: dict[str | None, str] = {
        Role.TP_PKK_DESA: "TP PKK",
        Role.PEMBINA_KECAMATAN: "Pembina TP PKK",
        Role.ADMIN_KABUPATEN: "Admin TP PKK",
    }
    role = PELAPOR_ROLE.get(unit.level)
    if user is not None and not any(a.role == role and a.unit_id == unit.pk for a in assignments(user)):
        role = None
    return f"{titles.get(role, 'TP PKK')} {unit.label}"[:120]


def _check(actor, unit: Unit) -> None:
    if actor is not None and not may_report(actor, unit):
        raise PermissionDenied


def _add_photos(kegiatan: Kegiatan, photos: Iterable[ContentFile]) -> list[KegiatanFoto]:
    """Store the photos; if storing one fails, the files already stored by this call are removed too (the
    rows go with the transaction's rollback)."""
    added: list[KegiatanFoto] = []
    try:
        for content in photos:
            foto = KegiatanFoto(kegiatan=kegiatan)
            foto.file.save(content.name or "foto.jpg", content, save=False)
            added.append(foto)
            foto.save()
    except BaseException:
        for foto in added:
            if foto.file.name:
                foto.file.storage.delete(foto.file.name)
        raise
    return added


@transaction.atomic
def kegiatan_create(
    *, unit: Unit, data: dict, photos: Sequence[ContentFile] = (), actor, nama: str | None = None
) -> Kegiatan:
    """A new kegiatan of ``unit`` reported by ``actor`` (NAMA: the actor's name; ``nama`` for imports and
    demo data without an actor)."""
    _check(actor, unit)
    kegiatan = Kegiatan(unit=unit, dilaporkan_oleh=actor, **{k: data.get(k) for k in FIELDS if k in data})
    kegiatan.nama = (nama or (nama_akun(actor) if actor is not None else "")).strip()
    if not (kegiatan.jabatan or "").strip():
        kegiatan.jabatan = jabatan_bawaan(actor, unit)
    if kegiatan.unit.level not in PELAPOR_ROLE:
        raise ValidationError({"unit": "Kegiatan dilaporkan oleh TP PKK desa/kelurahan, kecamatan atau kabupaten."})
    kegiatan.full_clean()
    kegiatan.save()
    _add_photos(kegiatan, photos)
    _audit(actor, "kegiatan_create", kegiatan, foto=len(photos))
    return kegiatan


@transaction.atomic
def kegiatan_update(
    *,
    kegiatan: Kegiatan,
    data: dict,
    photos_add: Sequence[ContentFile] = (),
    photos_remove: Iterable[int] = (),
    actor,
) -> Kegiatan:
    """Change the fields, add photos, remove photos (ids of this kegiatan's photos only)."""
    _check(actor, kegiatan.unit)
    kegiatan = Kegiatan.objects.select_for_update().get(pk=kegiatan.pk)
    for k in FIELDS:
        if k in data:
            setattr(kegiatan, k, data[k])
    if not (kegiatan.jabatan or "").strip():
        kegiatan.jabatan = jabatan_bawaan(actor, kegiatan.unit)
    kegiatan.full_clean()
    kegiatan.save()
    remove_ids = {int(i) for i in photos_remove}
    gone = list(kegiatan.foto.filter(pk__in=remove_ids))
    if len(gone) != len(remove_ids):
        raise ValidationError({"hapus_foto": "Foto yang dipilih untuk dihapus bukan milik kegiatan ini."})
    delete_files_on_commit([f.file for f in gone])
    KegiatanFoto.objects.filter(pk__in=[f.pk for f in gone]).delete()
    _add_photos(kegiatan, photos_add)
    _audit(actor, "kegiatan_update", kegiatan, foto_tambah=len(photos_add), foto_hapus=len(gone))
    return kegiatan


@transaction.atomic
def kegiatan_delete(*, kegiatan: Kegiatan, actor) -> None:
    """Delete the kegiatan and its photos; the stored files go once the deletion has committed."""
    _check(actor, kegiatan.unit)
    files = [f.file for f in kegiatan.foto.all()]
    _audit(actor, "kegiatan_delete", kegiatan, judul=kegiatan.judul, foto=len(files))
    kegiatan.delete()
    delete_files_on_commit(files)
