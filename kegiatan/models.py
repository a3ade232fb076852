"""Kegiatan: an activity a TP PKK (desa, kecamatan, kabupaten) reports, with photos; the rows of its Buku
Kegiatan (lampiran 4.13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pkk.models import Level, TimeStamped, Unit
from pkk.photos import private_file_storage, private_name


class Pokja(models.TextChoices):
    """The four Pokja (DOMAIN.md section 1) and the secretariat, for activities of the whole TP PKK."""

    POKJA_I = "I", "Pokja I"
    POKJA_II = "II", "Pokja II"
    POKJA_III = "III", "Pokja III"
    POKJA_IV = "IV", "Pokja IV"
    SEKRETARIAT = "sekretariat", "Sekretariat / umum"


POKJA_NAMA = {
    Pokja.POKJA_I: "Pembinaan Karakter Keluarga",
    Pokja.POKJA_II: "Pendidikan dan Peningkatan Ekonomi Keluarga",
    Pokja.POKJA_III: "Penguatan Ketahanan Keluarga",
    Pokja.POKJA_IV: "Kesehatan Keluarga dan Lingkungan",
    Pokja.SEKRETARIAT: "Kegiatan TP PKK secara umum",
}

# The ten Program Pokok PKK: number -> (name, pokja). DOMAIN.md section 1; the choice list is data.
PROGRAM_POKOK: dict[int, tuple[str, str]] = {
    1: ("Penghayatan dan Pengamalan Pancasila", Pokja.POKJA_I),
    2: ("Gotong Royong", Pokja.POKJA_I),
    3: ("Pangan", Pokja.POKJA_III),
    4: ("Sandang", Pokja.POKJA_III),
    5: ("Perumahan dan Tata Laksana Rumah Tangga", Pokja.POKJA_III),
    6: ("Pendidikan dan Keterampilan", Pokja.POKJA_II),
    7: ("Kesehatan", Pokja.POKJA_IV),
    8: ("Pengembangan Kehidupan Berkoperasi", Pokja.POKJA_II),
    9: ("Kelestarian Lingkungan Hidup", Pokja.POKJA_IV),
    10: ("Perencanaan Sehat", Pokja.POKJA_IV),
}
PROGRAM_CHOICES = [(n, f"{n}. {name}") for n, (name, _) in PROGRAM_POKOK.items()]

# Which unit level reports kegiatan, and the role that reports for it (only the unit's own team).
PELAPOR_ROLE: dict[str, str] = {
    Level.DESA: "tp_pkk_desa",
    Level.KECAMATAN: "pembina_kecamatan",
    Level.KABUPATEN: "admin_kabupaten",
}


def _program_matches_pokja() -> Q:
    q = Q(pokja=Pokja.SEKRETARIAT, program_pokok__isnull=True)
    for number, (_, pokja) in PROGRAM_POKOK.items():
        q |= Q(pokja=pokja, program_pokok=number)
    return q


class Kegiatan(TimeStamped):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="kegiatan")
    tanggal = models.DateField("tanggal")
    tempat = models.CharField("tempat", max_length=200)
    pokja = models.CharField("pokja", max_length=12, choices=Pokja.choices)
    program_pokok = models.PositiveSmallIntegerField("program pokok", choices=PROGRAM_CHOICES, null=True, blank=True)
    judul = models.CharField("judul kegiatan", max_length=200)
    uraian = models.TextField("uraian")
    jumlah_peserta = models.PositiveIntegerField("jumlah peserta")
    # NAMA and JABATAN of the Buku Kegiatan: the account that reported it (name kept when the account goes)
    # and a free-text office ("Ketua Pokja IV"), by default the account's role title.
    nama = models.CharField("nama pelapor", max_length=150)
    jabatan = models.CharField("jabatan", max_length=120)
    dilaporkan_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-tanggal", "-pk"]
        verbose_name_plural = "kegiatan"
        indexes = [models.Index(fields=["unit", "tanggal"], name="kegiatan_unit_tanggal")]
        constraints = [
            models.CheckConstraint(
                condition=_program_matches_pokja(),
                name="kegiatan_program_sesuai_pokja",
                violation_error_message="Program pokok: pilih program pokok yang termasuk pokja ini "
                "(Sekretariat / umum tanpa program pokok).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tanggal:%d-%m-%Y} {self.judul}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("kegiatan:detail", kwargs={"kegiatan_id": self.pk})

    @property
    def program_label(self) -> str:
        if self.program_pokok is None:
            return ""
        return f"{self.program_pokok}. {PROGRAM_POKOK[self.program_pokok][0]}"


def foto_path(instance: KegiatanFoto, filename: str) -> str:
    return private_name("kegiatan", ".jpg")


class KegiatanFoto(models.Model):
    kegiatan = models.ForeignKey(Kegiatan, on_delete=models.CASCADE, related_name="foto")
    file = models.FileField(storage=private_file_storage, upload_to=foto_path, max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Foto {self.pk} kegiatan {self.kegiatan_id}"
