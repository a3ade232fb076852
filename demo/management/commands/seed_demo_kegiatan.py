"""``python manage.py seed_demo_kegiatan [--today YYYY-MM-DD] [--force]``

A handful of demo kegiatan with generated photos at desa (Kaliboto, Kedungpucang), kecamatan (Bener) and
kabupaten (Purworejo) level, reported by the demo accounts. Called by ``seed_demo``. Idempotent: a
kegiatan that exists (same unit and title) is left alone, so running it twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from demo.accounts import DEMO_PASSWORD
from kegiatan import services
from kegiatan.models import Kegiatan
from pkk.models import Role, RoleAssignment, Unit
from pkk.photos import prepare_photo

# Demo reporters: username -> (full name, unit code, role). Names are set only where an account has none.
PELAPOR = {
    "desa.kaliboto": ("Sri Wahyuni", "33.06.16.2006", Role.TP_PKK_DESA),
    "desa.kedungpucang": ("Tri Lestari", "33.06.16.2004", Role.TP_PKK_DESA),
    "pembina.bener": ("Endang Purwanti", "33.06.16", Role.PEMBINA_KECAMATAN),
    "admin.purworejo": ("Dwi Astuti", "33.06", Role.ADMIN_KABUPATEN),
}

# (username, days before today, pokja, program, title, place, participants, jabatan, photos, description)
KEGIATAN = [
    (
        "desa.kaliboto",
        40,
        "IV",
        7,
        "Posyandu balita Dusun Krajan",
        "Posyandu Melati, Dusun Krajan",
        46,
        "Ketua Pokja IV",
        2,
        "Penimbangan dan pengukuran tinggi badan 38 balita, pemberian vitamin A, dan penyuluhan "
        "gizi seimbang oleh bidan desa.",
    ),
    (
        "desa.kaliboto",
        25,
        "I",
        2,
        "Kerja bakti bersih lingkungan RW 01",
        "Lingkungan RW 01 Kaliboto",
        62,
        "Ketua Pokja I",
        1,
        "Membersihkan saluran air dan jalan lingkungan bersama warga dan kelompok dasawisma.",
    ),
    (
        "desa.kaliboto",
        60,
        "III",
        3,
        "Pelatihan olahan pangan lokal",
        "Balai Desa Kaliboto",
        28,
        "Ketua Pokja III",
        1,
        "Pelatihan membuat keripik dan tepung dari singkong hasil pekarangan warga.",
    ),
    (
        "desa.kaliboto",
        10,
        "sekretariat",
        None,
        "Pertemuan rutin TP PKK Desa",
        "Balai Desa Kaliboto",
        24,
        "Sekretaris TP PKK Desa",
        0,
        "Evaluasi kegiatan bulan lalu dan pembagian tugas pengisian buku wajib.",
    ),
    (
        "desa.kedungpucang",
        30,
        "IV",
        10,
        "Penyuluhan KB dan kesehatan reproduksi",
        "Balai Desa Kedungpucang",
        35,
        "Ketua Pokja IV",
        1,
        "Penyuluhan bersama petugas KB kecamatan untuk pasangan usia subur.",
    ),
    (
        "desa.kedungpucang",
        15,
        "I",
        2,
        "Gotong royong perbaikan jalan dusun",
        "Dusun Kedungpucang",
        50,
        "Ketua Pokja I",
        1,
        "Warga dan kader dasawisma memperbaiki jalan dusun yang rusak setelah hujan.",
    ),
    (
        "pembina.bener",
        20,
        "sekretariat",
        None,
        "Rapat koordinasi TP PKK Kecamatan Bener",
        "Pendopo Kecamatan Bener",
        40,
        "Sekretaris TP PKK Kecamatan",
        1,
        "Koordinasi dengan ketua TP PKK desa se-Kecamatan Bener tentang "
        "pelaporan dasawisma dan jadwal pembinaan desa binaan.",
    ),
    (
        "pembina.bener",
        45,
        "III",
        3,
        "Lomba Hatinya PKK tingkat kecamatan",
        "Desa Kaliboto",
        80,
        "Ketua Pokja III",
        2,
        "Penilaian pemanfaatan pekarangan (Hatinya PKK) di lima desa.",
    ),
    (
        "admin.purworejo",
        35,
        "sekretariat",
        None,
        "Pembinaan administrasi 10 program pokok PKK",
        "Pendopo Kabupaten Purworejo",
        120,
        "Sekretaris TP PKK Kabupaten",
        1,
        "Pembinaan pengisian buku administrasi dan pelaporan bagi TP PKK kecamatan.",
    ),
    (
        "admin.purworejo",
        50,
        "IV",
        7,
        "Gerakan bersama penurunan stunting",
        "Alun-alun Purworejo",
        300,
        "Ketua Pokja IV",
        2,
        "Pencanangan gerakan penurunan stunting bersama dinas kesehatan dan TP PKK kecamatan.",
    ),
]

COLOURS = [(46, 125, 50), (21, 101, 192), (230, 81, 0), (106, 27, 154), (0, 121, 107), (173, 20, 87)]


def demo_photo(title: str, n: int, rng: random.Random) -> SimpleUploadedFile:
    """A generated photo-like image (coloured background, shapes, the title): deterministic per seed."""
    w, h = 1200, 900
    base = COLOURS[rng.randrange(len(COLOURS))]
    img = Image.new("RGB", (w, h), base)
    draw = ImageDraw.Draw(img)
    for _ in range(14):
        x, y, r = rng.randrange(w), rng.randrange(h), rng.randrange(40, 220)
        shade = tuple(min(255, c + rng.randrange(30, 120)) for c in base)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=shade)
    draw.rectangle((0, h - 130, w, h), fill=(255, 255, 255))
    draw.text((30, h - 110), title, fill=(0, 0, 0), font_size=44)
    draw.text((30, h - 50), f"Foto demo {n}", fill=(80, 80, 80), font_size=28)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return SimpleUploadedFile(f"demo-{n}.jpg", buf.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Buat contoh kegiatan TP PKK (desa, kecamatan, kabupaten) dengan foto untuk data demo."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--force", action="store_true", help="jalankan walau DEBUG mati")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG mati: data demo hanya untuk lingkungan pengembangan (pakai --force).")
        today = options["today"] or timezone.localdate()
        rng = random.Random(options["seed"])
        users = self._pelapor()
        if not users:
            self.stdout.write("Unit demo belum ada: jalankan seed_demo dulu. Tidak ada kegiatan dibuat.")
            return
        made = 0
        start_of_year = dt.date(today.year, 1, 1)
        for username, days, pokja, program, judul, tempat, peserta, jabatan, n_foto, uraian in KEGIATAN:
            if username not in users:
                continue
            user, unit = users[username]
            if Kegiatan.objects.filter(unit=unit, judul=judul).exists():
                continue
            tanggal = max(today - dt.timedelta(days=days), start_of_year)
            photos = [prepare_photo(demo_photo(judul, i + 1, rng)) for i in range(n_foto)]
            with transaction.atomic():
                services.kegiatan_create(
                    unit=unit,
                    data={
                        "tanggal": tanggal,
                        "tempat": tempat,
                        "pokja": pokja,
                        "program_pokok": program,
                        "judul": judul,
                        "uraian": uraian,
                        "jumlah_peserta": peserta,
                        "jabatan": jabatan,
                    },
                    photos=photos,
                    actor=user,
                )
            made += 1
        self.stdout.write(f"Kegiatan demo: {made} dibuat ({Kegiatan.objects.count()} seluruhnya).")

    def _pelapor(self) -> dict:
        """The demo reporters with their unit; gives them a name when they have none. ``desa.kedungpucang``
        is created (as ``seed_demo`` does for the other demo accounts) when it does not exist yet."""
        User = get_user_model()
        out = {}
        for username, (full_name, code, role) in PELAPOR.items():
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                continue
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
            if not user.first_name and not user.last_name:
                user.first_name, _, user.last_name = full_name.partition(" ")
            user.save()
            RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)
            out[username] = (user, unit)
        return out
