"""Desa binaan objects for tests: Kaliboto is a desa binaan of Kecamatan Bener (the ``pembina`` persona),
with a finished visit carrying a photo and a follow-up the desa answered with a photo."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from binaan import services
from binaan.models import BukuWajib, FokusArea, Kunjungan, TindakLanjut
from binaan.services import KunjunganData, TindakLanjutBaru

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes(size=(64, 48), color=(30, 140, 60), fmt="JPEG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def full_data(tanggal: dt.date, *, status: str = "proses", tim=(), tindak_lanjut=(), **extra) -> KunjunganData:
    return KunjunganData(
        tanggal=tanggal,
        tim=list(tim),
        tim_lain=extra.pop("tim_lain", "Bu Sri (PKK kecamatan)"),
        fokus={a: (status, "") for a in FokusArea.values},
        buku={b: (True, True, "") for b in BukuWajib.values},
        tindak_lanjut=list(tindak_lanjut),
        **extra,
    )


def penetapan(tree, *, tahun: int, actor=None, nomor="400/12/2025"):
    return services.penetapan_create(
        kabupaten=tree.kab, tahun=tahun, nomor_sk=nomor, tanggal_sk=dt.date(tahun, 1, 15), actor=actor or tree.admin
    )


def binaan_objects(tree, *, tahun: int = 2025) -> dict:
    p = penetapan(tree, tahun=tahun)
    p.scan_sk.save("sk.pdf", ContentFile(PDF), save=True)
    db = services.desa_binaan_add(penetapan=p, desa=tree.kaliboto, actor=tree.admin)
    k = services.kunjungan_create(desa_binaan=db, tanggal=dt.date(tahun, 3, 10), actor=tree.pembina)
    services.kunjungan_foto_add(kunjungan=k, content=ContentFile(jpeg_bytes()), name="foto.jpg", actor=tree.pembina)
    services.kunjungan_save(
        kunjungan=k,
        actor=tree.pembina,
        selesai=True,
        today=dt.date(tahun, 3, 10),
        data=full_data(
            dt.date(tahun, 3, 10),
            tim=[tree.pembina],
            tindak_lanjut=[
                TindakLanjutBaru(
                    apa="Lengkapi buku notulen", siapa="Sekretaris TP PKK", batas_waktu=dt.date(tahun, 4, 10)
                ),
            ],
        ),
    )
    tl = TindakLanjut.objects.get(kunjungan=k)
    services.tindak_lanjut_answer(
        tindak_lanjut=tl,
        catatan="Sudah dilengkapi",
        tanggal=dt.date(tahun, 4, 1),
        foto=ContentFile(jpeg_bytes()),
        foto_name="jawaban.jpg",
        actor=tree.desa,
        today=dt.date(tahun, 4, 1),
    )
    tl.refresh_from_db()
    return {
        "penetapan_id": [p],
        "binaan_id": [db],
        "kunjungan_id": [Kunjungan.objects.get(pk=k.pk)],
        "kunjungan_foto_id": [k.foto.get()],
        "tindak_lanjut_id": [tl],
    }


def _now():
    return timezone.now()
