"""Writes of the desa binaan programme: atomic, validated, and for the designation audited row by row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from pkk.models import Level, Unit
from pkk.photos import delete_files_on_commit

from .models import (
    BukuWajib,
    DesaBinaan,
    FokusArea,
    Kunjungan,
    KunjunganBuku,
    KunjunganFokus,
    KunjunganFoto,
    Penetapan,
    PenetapanRiwayat,
    TindakLanjut,
)

# --------------------------------------------------------------------------- designation (admin kabupaten)


def _log(penetapan: Penetapan, actor, aksi: str, keterangan: str) -> None:
    PenetapanRiwayat.objects.create(
        penetapan=penetapan,
        actor=actor,
        username=getattr(actor, "username", "") or "sistem",
        aksi=aksi,
        keterangan=keterangan,
    )


def _fmt(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "-"


@transaction.atomic
def penetapan_create(
    *, kabupaten: Unit, tahun: int, nomor_sk: str, tanggal_sk: dt.date, scan_sk: UploadedFile | None = None, actor
) -> Penetapan:
    if kabupaten.level != Level.KABUPATEN:
        raise ValidationError("Penetapan desa binaan dibuat oleh kabupaten.")
    if Penetapan.objects.filter(kabupaten=kabupaten, tahun=tahun).exists():
        raise ValidationError({"tahun": f"Penetapan desa binaan tahun {tahun} sudah ada; ubah yang ada."})
    p = Penetapan(kabupaten=kabupaten, tahun=tahun, nomor_sk=nomor_sk.strip(), tanggal_sk=tanggal_sk, created_by=actor)
    p.full_clean(exclude=["scan_sk"])
    p.save()
    if scan_sk is not None:
        p.scan_sk.save(scan_sk.name or "scan-sk", scan_sk, save=True)
    _log(
        p,
        actor,
        "buat",
        f"Penetapan tahun {tahun} dibuat: SK {p.nomor_sk} tanggal {_fmt(tanggal_sk)}"
        + (" (dengan scan SK)" if scan_sk is not None else ""),
    )
    return p


@transaction.atomic
def penetapan_update(
    *, penetapan: Penetapan, nomor_sk: str, tanggal_sk: dt.date, scan_sk: UploadedFile | None = None, actor
) -> Penetapan:
    changes = []
    nomor_sk = nomor_sk.strip()
    if nomor_sk != penetapan.nomor_sk:
        changes.append(f"nomor SK {penetapan.nomor_sk} → {nomor_sk}")
        penetapan.nomor_sk = nomor_sk
    if tanggal_sk != penetapan.tanggal_sk:
        changes.append(f"tanggal SK {_fmt(penetapan.tanggal_sk)} → {_fmt(tanggal_sk)}")
        penetapan.tanggal_sk = tanggal_sk
    penetapan.full_clean(exclude=["scan_sk"])
    penetapan.save()
    if scan_sk is not None:
        old = penetapan.scan_sk.name
        penetapan.scan_sk.save(scan_sk.name or "scan-sk", scan_sk, save=True)
        if old:
            _delete_after_commit(penetapan.scan_sk.storage, old)
        changes.append("scan SK diganti" if old else "scan SK diunggah")
    if changes:
        _log(penetapan, actor, "ubah", "; ".join(changes))
    return penetapan


def _check_pembina(penetapan: Penetapan, pembina: Unit | None) -> Unit:
    if (
        pembina is None
        or pembina.level != Level.KECAMATAN
        or not pembina.is_within(penetapan.kabupaten)
        or not pembina.is_active
    ):
        raise ValidationError({"pembina": "Pembina harus kecamatan aktif di kabupaten ini."})
    return pembina


@transaction.atomic
def desa_binaan_add(*, penetapan: Penetapan, desa: Unit, pembina: Unit | None = None, actor) -> DesaBinaan:
    """Adds ``desa`` (its own kecamatan is the pembina unless another is named); a desa removed earlier
    in the year comes back with its visits."""
    if desa.level != Level.DESA or not desa.is_within(penetapan.kabupaten) or not desa.is_active:
        raise ValidationError({"desa": "Pilih desa/kelurahan aktif di kabupaten ini."})
    pembina = _check_pembina(penetapan, pembina or desa.parent)
    db = DesaBinaan.objects.filter(penetapan=penetapan, desa=desa).first()
    if db is not None and db.is_active:
        raise ValidationError({"desa": f"{desa.label} sudah menjadi desa binaan tahun {penetapan.tahun}."})
    if db is None:
        db = DesaBinaan.objects.create(penetapan=penetapan, desa=desa, pembina=pembina)
        _log(penetapan, actor, "tambah", f"{desa.label} ditambahkan, pembina {pembina.label}")
    else:
        db.is_active, db.pembina = True, pembina
        db.save(update_fields=["is_active", "pembina", "updated_at"])
        _log(penetapan, actor, "tambah", f"{desa.label} ditambahkan kembali, pembina {pembina.label}")
    return db


@transaction.atomic
def desa_binaan_remove(*, desa_binaan: DesaBinaan, actor) -> DesaBinaan:
    if not desa_binaan.is_active:
        return desa_binaan
    desa_binaan.is_active = False
    desa_binaan.save(update_fields=["is_active", "updated_at"])
    _log(desa_binaan.penetapan, actor, "hapus", f"{desa_binaan.desa.label} dikeluarkan dari daftar desa binaan")
    return desa_binaan


@transaction.atomic
def desa_binaan_set_pembina(*, desa_binaan: DesaBinaan, pembina: Unit, actor) -> DesaBinaan:
    _check_pembina(desa_binaan.penetapan, pembina)
    if pembina.pk == desa_binaan.pembina_id:
        return desa_binaan
    old = desa_binaan.pembina
    desa_binaan.pembina = pembina
    desa_binaan.save(update_fields=["pembina", "updated_at"])
    _log(desa_binaan.penetapan, actor, "pembina", f"Pembina {desa_binaan.desa.label}: {old.label} → {pembina.label}")
    return desa_binaan


# --------------------------------------------------------------------------- visits (pembina kecamatan)


def _delete_after_commit(storage, name: str | None) -> None:
    """The file goes once the transaction that dropped (or replaced) its row commits; a rollback keeps it."""
    delete_files_on_commit([SimpleNamespace(storage=storage, name=name)])


def _check_year(desa_binaan: DesaBinaan, tanggal: dt.date) -> None:
    tahun = desa_binaan.penetapan.tahun
    if tanggal.year != tahun:
        raise ValidationError({"tanggal": f"Tanggal kunjungan harus di tahun {tahun} (tahun penetapan desa binaan)."})


@transaction.atomic
def kunjungan_create(*, desa_binaan: DesaBinaan, tanggal: dt.date, actor) -> Kunjungan:
    if not desa_binaan.is_active:
        raise ValidationError("Desa ini tidak lagi menjadi desa binaan.")
    _check_year(desa_binaan, tanggal)
    k = Kunjungan.objects.create(desa_binaan=desa_binaan, tanggal=tanggal, created_by=actor)
    KunjunganFokus.objects.bulk_create(KunjunganFokus(kunjungan=k, area=a) for a in FokusArea.values)
    KunjunganBuku.objects.bulk_create(KunjunganBuku(kunjungan=k, buku=b) for b in BukuWajib.values)
    return k


@dataclass
class TindakLanjutBaru:
    apa: str
    siapa: str
    batas_waktu: dt.date
    pk: int | None = None  # an existing follow-up of this visit (edited while the visit is a draft)
    hapus: bool = False


@dataclass
class KunjunganData:
    tanggal: dt.date
    tim: list = field(default_factory=list)  # user objects (validated against tim_choices by the form)
    tim_lain: str = ""
    catatan: str = ""
    fokus: dict[str, tuple[str, str]] = field(default_factory=dict)  # area -> (status, catatan)
    buku: dict[str, tuple[bool | None, bool | None, str]] = field(default_factory=dict)  # buku -> (ada, mutakhir, note)
    tindak_lanjut: list[TindakLanjutBaru] = field(default_factory=list)
    tandai_selesai: dict[int, str] = field(default_factory=dict)  # earlier follow-up id -> note


def _finish_errors(k: Kunjungan, data: KunjunganData, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.tanggal > today:
        errors["tanggal"] = ["Tanggal kunjungan tidak boleh di masa depan."]
    for area, label in FokusArea.choices:
        if not data.fokus.get(area, ("", ""))[0]:
            errors[f"fokus_{area}"] = [f"{label}: pilih status (belum, proses atau baik) sebelum menyelesaikan."]
    for buku, label in BukuWajib.choices:
        if data.buku.get(buku, (None, None, ""))[0] is None:
            errors[f"buku_{buku}_ada"] = [f"Buku {label}: isi ada/tidak sebelum menyelesaikan."]
    if not data.tim and not data.tim_lain.strip():
        errors["tim"] = ["Isi anggota tim yang hadir (akun atau nama) sebelum menyelesaikan."]
    return errors


@transaction.atomic
def kunjungan_save(
    *, kunjungan: Kunjungan, data: KunjunganData, actor, selesai: bool = False, today: dt.date | None = None
) -> Kunjungan:
    """Saves a draft visit; with ``selesai`` also checks it is complete and finishes it (then read-only,
    its follow-ups go live and earlier follow-ups ticked on it are done)."""
    k = Kunjungan.objects.select_for_update().get(pk=kunjungan.pk)
    if not k.is_draft:
        raise ValidationError("Kunjungan ini sudah selesai dan tidak dapat diubah lagi.")
    today = today or timezone.localdate()
    _check_year(k.desa_binaan, data.tanggal)
    if selesai:
        errors = _finish_errors(k, data, today)
        if errors:
            raise ValidationError(errors)
    k.tanggal, k.tim_lain, k.catatan = data.tanggal, data.tim_lain.strip(), data.catatan.strip()
    k.full_clean()
    k.save()
    k.tim.set(data.tim)
    for row in k.fokus.all():
        status, catatan = data.fokus.get(row.area, ("", ""))
        row.status, row.catatan = status or "", catatan.strip()
        row.save(update_fields=["status", "catatan"])
    for buku_row in k.buku.all():
        ada, mutakhir, catatan = data.buku.get(buku_row.buku, (None, None, ""))
        buku_row.ada, buku_row.mutakhir, buku_row.catatan = ada, mutakhir, catatan.strip()
        buku_row.save(update_fields=["ada", "mutakhir", "catatan"])
    own = {t.pk: t for t in k.tindak_lanjut.all()}
    for item in data.tindak_lanjut:
        if item.pk is not None:
            tl = own.get(item.pk)
            if tl is None:  # an id that is not a follow-up of this visit
                raise ValidationError("Tindak lanjut tidak ditemukan pada kunjungan ini.")
            if item.hapus:
                tl.delete()
                continue
            tl.apa, tl.siapa, tl.batas_waktu = item.apa.strip(), item.siapa.strip(), item.batas_waktu
            tl.full_clean()
            tl.save()
        elif not item.hapus:
            tl = TindakLanjut(
                kunjungan=k,
                desa_binaan=k.desa_binaan,
                apa=item.apa.strip(),
                siapa=item.siapa.strip(),
                batas_waktu=item.batas_waktu,
            )
            tl.full_clean()
            tl.save()
    # Earlier follow-ups ticked as done on this visit: held on the draft, applied when it is finished.
    candidates = {t.pk: t for t in _open_before(k)}
    unknown = set(data.tandai_selesai) - set(candidates)
    if unknown:
        raise ValidationError("Tindak lanjut yang ditandai selesai bukan milik desa binaan ini.")
    for pk, tl in candidates.items():
        if pk in data.tandai_selesai:
            tl.selesai_di_kunjungan, tl.selesai_catatan = k, data.tandai_selesai[pk].strip()
        elif tl.selesai_di_kunjungan_id == k.pk:
            tl.selesai_di_kunjungan, tl.selesai_catatan = None, ""
        else:
            continue
        tl.save(update_fields=["selesai_di_kunjungan", "selesai_catatan", "updated_at"])
    if selesai:
        k.status, k.finished_at, k.finished_by = Kunjungan.Status.SELESAI, timezone.now(), actor
        k.save(update_fields=["status", "finished_at", "finished_by", "updated_at"])
        TindakLanjut.objects.filter(selesai_di_kunjungan=k).exclude(status=TindakLanjut.Status.SELESAI).update(
            status=TindakLanjut.Status.SELESAI, selesai_tanggal=k.tanggal, selesai_oleh=actor, updated_at=timezone.now()
        )
    return k


def _open_before(k: Kunjungan):
    from .selectors import open_tindak_lanjut_before

    return open_tindak_lanjut_before(k)


@transaction.atomic
def kunjungan_delete(*, kunjungan: Kunjungan, actor) -> None:
    """Deletes a draft visit and, after commit, its photo files."""
    k = Kunjungan.objects.select_for_update().get(pk=kunjungan.pk)
    if not k.is_draft:
        raise ValidationError("Kunjungan yang sudah selesai tidak dapat dihapus.")
    for foto in k.foto.all():
        _delete_after_commit(foto.file.storage, foto.file.name)
    TindakLanjut.objects.filter(selesai_di_kunjungan=k).update(selesai_di_kunjungan=None, selesai_catatan="")
    k.delete()


@transaction.atomic
def kunjungan_foto_add(*, kunjungan: Kunjungan, content, name: str, keterangan: str = "", actor) -> KunjunganFoto:
    """``content``: a validated and resized image (a Django File) from ``pkk.photos``."""
    if not kunjungan.is_draft:
        raise ValidationError("Kunjungan ini sudah selesai; foto tidak dapat ditambah lagi.")
    foto = KunjunganFoto(kunjungan=kunjungan, keterangan=keterangan.strip(), uploaded_by=actor)
    foto.file.save(name, content, save=False)
    foto.save()
    return foto


@transaction.atomic
def kunjungan_foto_delete(*, foto: KunjunganFoto, actor) -> None:
    if not foto.kunjungan.is_draft:
        raise ValidationError("Foto kunjungan yang sudah selesai tidak dapat dihapus.")
    _delete_after_commit(foto.file.storage, foto.file.name)
    foto.delete()


# --------------------------------------------------------------------------- follow-ups


@transaction.atomic
def tindak_lanjut_answer(
    *,
    tindak_lanjut: TindakLanjut,
    catatan: str,
    tanggal: dt.date,
    foto=None,
    foto_name: str = "",
    actor,
    today: dt.date | None = None,
) -> TindakLanjut:
    """The desa answers "sudah dilaksanakan" with a note and an optional photo."""
    tl = TindakLanjut.objects.select_for_update().get(pk=tindak_lanjut.pk)
    today = today or timezone.localdate()
    if tl.status == TindakLanjut.Status.SELESAI:
        raise ValidationError("Tindak lanjut ini sudah selesai.")
    if not catatan.strip():
        raise ValidationError({"catatan": "Tuliskan apa yang sudah dilaksanakan."})
    if tanggal > today:
        raise ValidationError({"tanggal": "Tanggal pelaksanaan tidak boleh di masa depan."})
    tl.status, tl.jawaban_catatan, tl.jawaban_tanggal, tl.jawaban_oleh = (
        TindakLanjut.Status.DIJAWAB,
        catatan.strip(),
        tanggal,
        actor,
    )
    if foto is not None:
        old = tl.jawaban_foto.name
        tl.jawaban_foto.save(foto_name or "jawaban.jpg", foto, save=False)
        if old:
            _delete_after_commit(tl.jawaban_foto.storage, old)
    tl.save()
    return tl


@transaction.atomic
def tindak_lanjut_confirm(
    *, tindak_lanjut: TindakLanjut, actor, catatan: str = "", today: dt.date | None = None
) -> TindakLanjut:
    """The pembina confirms a follow-up as done (after the desa's answer, or on its own knowledge)."""
    tl = TindakLanjut.objects.select_for_update().get(pk=tindak_lanjut.pk)
    if tl.status == TindakLanjut.Status.SELESAI:
        return tl
    tl.status = TindakLanjut.Status.SELESAI
    tl.selesai_tanggal = today or timezone.localdate()
    tl.selesai_oleh, tl.selesai_catatan = actor, catatan.strip()
    tl.save()
    return tl


@transaction.atomic
def tindak_lanjut_reopen(*, tindak_lanjut: TindakLanjut, actor, alasan: str) -> TindakLanjut:
    """The pembina reopens a follow-up (the answer did not convince, or it was confirmed by mistake)."""
    tl = TindakLanjut.objects.select_for_update().get(pk=tindak_lanjut.pk)
    if tl.status == TindakLanjut.Status.TERBUKA:
        return tl
    if not alasan.strip():
        raise ValidationError({"alasan": "Tuliskan alasan tindak lanjut dibuka kembali."})
    tl.status = TindakLanjut.Status.TERBUKA
    tl.selesai_tanggal, tl.selesai_oleh, tl.selesai_di_kunjungan = None, None, None
    tl.selesai_catatan = f"Dibuka kembali oleh {actor.username}: {alasan.strip()}"
    tl.save()
    return tl
