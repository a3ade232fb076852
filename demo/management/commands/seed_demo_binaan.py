"""``python manage.py seed_demo_binaan [--today YYYY-MM-DD] [--force]``: demo desa binaan.

Called by ``seed_demo``. Names Desa Kaliboto and Desa Kedungpucang (Kecamatan Bener, Kabupaten Purworejo)
desa binaan of the current year with a decree (and a small generated PDF scan), two finished visits to
Kaliboto and one to Kedungpucang with generated photos, and follow-ups that are done, answered by the desa
and waiting for confirmation, open, and overdue. Idempotent: does nothing when the year's designation
exists. Refuses to run with DEBUG off unless ``--force``.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from binaan import services
from binaan.models import BukuWajib, FokusArea, Penetapan, TindakLanjut
from binaan.services import KunjunganData, TindakLanjutBaru
from pkk.models import Unit
from pkk.photos import prepare_photo

KABUPATEN, KALIBOTO, KEDUNGPUCANG = "33.06", "33.06.16.2006", "33.06.16.2004"

# A minimal one-page PDF ("SK desa binaan"), enough for the download and a PDF viewer.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
    b"endobj\n4 0 obj<</Length 62>>stream\nBT /F1 18 Tf 72 760 Td (SK Penetapan Desa Binaan - contoh) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def demo_photo(label: str, color: tuple[int, int, int]) -> ContentFile:
    """A generated 'photo': a coloured gradient with a caption, normalized like an upload."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1200, 900), color)
    draw = ImageDraw.Draw(img)
    for y in range(0, 900, 6):
        shade = tuple(max(0, c - y // 12) for c in color)
        draw.rectangle([0, y, 1200, y + 6], fill=shade)
    draw.rectangle([60, 700, 1140, 840], fill=(255, 255, 255))
    draw.text((90, 750), label, fill=(0, 0, 0))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return prepare_photo(ContentFile(out.getvalue(), name="demo.jpg"), field="Foto demo")


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _data(tanggal, statuses: dict[str, str], *, tim, tim_lain, tindak_lanjut=(), tandai=None, catatan=""):
    return KunjunganData(
        tanggal=tanggal,
        tim=tim,
        tim_lain=tim_lain,
        catatan=catatan,
        fokus={a: (statuses.get(a, "proses"), "") for a in FokusArea.values},
        buku={
            b: (
                b != BukuWajib.INVENTARIS,
                b in (BukuWajib.ANGGOTA, BukuWajib.KEUANGAN, BukuWajib.KEGIATAN),
                "Belum ada buku inventaris" if b == BukuWajib.INVENTARIS else "",
            )
            for b in BukuWajib.values
        },
        tindak_lanjut=list(tindak_lanjut),
        tandai_selesai=tandai or {},
    )


class Command(BaseCommand):
    help = "Buat contoh desa binaan (Kaliboto, Kedungpucang) dengan kunjungan, foto dan tindak lanjut."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--force", action="store_true", help="jalankan walau DEBUG mati")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG mati: data demo hanya untuk lingkungan pengembangan (pakai --force).")
        today = options["today"] or timezone.localdate()
        units = {u.code: u for u in Unit.objects.filter(code__in=[KABUPATEN, KALIBOTO, KEDUNGPUCANG])}
        if len(units) < 3:
            self.stdout.write("Wilayah demo (Purworejo, Kaliboto, Kedungpucang) tidak ada: desa binaan dilewati.")
            return
        if Penetapan.objects.filter(kabupaten=units[KABUPATEN], tahun=today.year).exists():
            self.stdout.write(f"Desa binaan {today.year} sudah ada: tidak ada yang diubah.")
            return
        with transaction.atomic():
            self._seed(units, today)
        self.stdout.write(f"Desa binaan {today.year}: Kaliboto dan Kedungpucang, 3 kunjungan, 6 tindak lanjut.")

    def _seed(self, units: dict[str, Unit], today: dt.date) -> None:
        admin, pembina, desa = _user("admin.purworejo"), _user("pembina.bener"), _user("desa.kaliboto")
        tanggal_sk = min(dt.date(today.year, 1, 6), today)
        p = services.penetapan_create(
            kabupaten=units[KABUPATEN],
            tahun=today.year,
            nomor_sk=f"400.13/{today.year % 100:02d}/DB/{today.year}",
            tanggal_sk=tanggal_sk,
            scan_sk=ContentFile(PDF, name="sk-desa-binaan.pdf"),
            actor=admin,
        )
        kal = services.desa_binaan_add(penetapan=p, desa=units[KALIBOTO], actor=admin)
        kp = services.desa_binaan_add(penetapan=p, desa=units[KEDUNGPUCANG], actor=admin)

        def day(offset: int) -> dt.date:
            """``today - offset``, never before the decree."""
            return max(today - dt.timedelta(days=offset), tanggal_sk)

        tim = [pembina] if pembina else []
        # Kaliboto, first visit (about 10 weeks ago): a mixed picture and three follow-ups.
        v1 = services.kunjungan_create(desa_binaan=kal, tanggal=day(70), actor=pembina)
        for label, color in (("Pertemuan TP PKK Desa Kaliboto", (60, 140, 90)), ("Posyandu Mawar", (40, 110, 170))):
            services.kunjungan_foto_add(
                kunjungan=v1, content=demo_photo(label, color), name="foto.jpg", keterangan=label, actor=pembina
            )
        first = {
            FokusArea.ADMIN_DESA: "proses",
            FokusArea.POSYANDU: "baik",
            FokusArea.STUNTING: "belum",
            FokusArea.HATINYA: "belum",
            FokusArea.PAAREDI: "belum",
            FokusArea.UP2K: "proses",
        }
        services.kunjungan_save(
            kunjungan=v1,
            actor=pembina,
            selesai=True,
            today=today,
            data=_data(
                v1.tanggal,
                first,
                tim=tim,
                tim_lain="Ibu Sri Wahyuni (Pokja IV kecamatan)",
                catatan="Administrasi cukup tertib; data stunting belum dipantau rutin.",
                tindak_lanjut=[
                    TindakLanjutBaru(
                        apa="Bentuk kelompok pemantauan balita stunting", siapa="Pokja IV desa", batas_waktu=day(40)
                    ),
                    TindakLanjutBaru(
                        apa="Buat buku inventaris TP PKK desa", siapa="Sekretaris TP PKK desa", batas_waktu=day(10)
                    ),
                    TindakLanjutBaru(
                        apa="Tanam sayur di pekarangan balai desa", siapa="Pokja III desa", batas_waktu=day(45)
                    ),
                ],
            ),
        )
        stunting, inventaris, pekarangan = TindakLanjut.objects.filter(kunjungan=v1).order_by("pk")
        # The desa answered the garden follow-up with a photo; the pembina confirmed it.
        services.tindak_lanjut_answer(
            tindak_lanjut=pekarangan,
            catatan="Bibit cabai dan terong sudah ditanam.",
            tanggal=day(50),
            foto=demo_photo("Pekarangan balai desa", (90, 150, 40)),
            foto_name="jawaban.jpg",
            actor=desa,
            today=today,
        )
        services.tindak_lanjut_confirm(tindak_lanjut=pekarangan, actor=pembina, today=day(48))
        # Second visit (about 3 weeks ago): better; it marks the stunting follow-up done; new follow-ups.
        v2 = services.kunjungan_create(desa_binaan=kal, tanggal=day(21), actor=pembina)
        services.kunjungan_foto_add(
            kunjungan=v2,
            content=demo_photo("Kunjungan kedua Kaliboto", (150, 90, 60)),
            name="foto.jpg",
            keterangan="Rapat evaluasi",
            actor=pembina,
        )
        second = {**first, FokusArea.STUNTING: "proses", FokusArea.HATINYA: "baik", FokusArea.ADMIN_DESA: "baik"}
        services.kunjungan_save(
            kunjungan=v2,
            actor=pembina,
            selesai=True,
            today=today,
            data=_data(
                v2.tanggal,
                second,
                tim=tim,
                tim_lain="Ibu Sri Wahyuni (Pokja IV kecamatan)",
                tindak_lanjut=[
                    TindakLanjutBaru(
                        apa="Sosialisasi PAAREDI untuk orang tua",
                        siapa="Pokja I desa",
                        batas_waktu=today + dt.timedelta(days=21),
                    ),
                    TindakLanjutBaru(
                        apa="Rekap buku kegiatan triwulan",
                        siapa="Sekretaris TP PKK desa",
                        batas_waktu=today + dt.timedelta(days=40),
                    ),
                ],
                tandai={stunting.pk: "Kelompok pemantauan terbentuk, 8 kader."},
            ),
        )
        rekap = TindakLanjut.objects.get(kunjungan=v2, apa__startswith="Rekap")
        services.tindak_lanjut_answer(
            tindak_lanjut=rekap, catatan="Rekap triwulan sudah disusun.", tanggal=day(3), actor=desa, today=today
        )
        assert inventaris.status == TindakLanjut.Status.TERBUKA  # stays open and overdue: "perlu perhatian"
        # Kedungpucang: one finished visit with one open follow-up.
        v3 = services.kunjungan_create(desa_binaan=kp, tanggal=day(35), actor=pembina)
        services.kunjungan_foto_add(
            kunjungan=v3,
            content=demo_photo("Posyandu Kenanga", (120, 60, 140)),
            name="foto.jpg",
            keterangan="Posyandu Kenanga",
            actor=pembina,
        )
        services.kunjungan_save(
            kunjungan=v3,
            actor=pembina,
            selesai=True,
            today=today,
            data=_data(
                v3.tanggal,
                {FokusArea.POSYANDU_LANSIA: "belum"},
                tim=tim,
                tim_lain="Ibu Endang (Pokja IV kecamatan)",
                tindak_lanjut=[
                    TindakLanjutBaru(
                        apa="Aktifkan posyandu lansia", siapa="Pokja IV desa", batas_waktu=today + dt.timedelta(days=14)
                    )
                ],
            ),
        )
