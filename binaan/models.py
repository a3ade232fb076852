"""Desa binaan (DOMAIN.md section 7): the kabupaten's yearly designation, the kecamatan team's visits with
their findings and follow-ups, and the desa's answers to those follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pkk.models import TimeStamped, Unit
from pkk.photos import private_file_storage, private_name


class FokusArea(models.TextChoices):
    """The focus areas of DOMAIN.md section 7, in its order."""

    ADMIN_DESA = "admin_desa", "Administrasi TP PKK desa"
    ADMIN_KELOMPOK = "admin_kelompok", "Administrasi kelompok PKK RW, RT dan dasawisma"
    POSYANDU = "posyandu", "Posyandu"
    POSYANDU_LANSIA = "posyandu_lansia", "Posyandu lansia"
    STUNTING = "stunting", "Percepatan penanganan stunting"
    IBU_HAMIL_BALITA = "ibu_hamil_balita", "Pemantauan ibu hamil dan balita"
    KESLING = "kesling", "Kesehatan lingkungan"
    BKB = "bkb", "BKB (Bina Keluarga Balita)"
    UP2K = "up2k", "UP2K"
    REMAJA = "remaja", "Kelompok remaja"
    PAAREDI = "paaredi", "PAAREDI (pola asuh anak dan remaja di era digital)"
    SIMULASI = "simulasi", "Kelompok simulasi"
    HATINYA = "hatinya", "Hatinya PKK (pemanfaatan pekarangan)"
    KADER_KESEHATAN = "kader_kesehatan", "Kader kesehatan"
    EKRAF = "ekraf", "Ekonomi kreatif kelompok perempuan"


class FokusStatus(models.TextChoices):
    BELUM = "belum", "Belum"
    PROSES = "proses", "Proses"
    BAIK = "baik", "Baik"


class BukuWajib(models.TextChoices):
    """The six buku wajib of a TP PKK desa, checked on every visit."""

    ANGGOTA = "anggota", "Daftar anggota TP PKK dan kader"
    AGENDA_SURAT = "agenda_surat", "Agenda surat"
    KEUANGAN = "keuangan", "Keuangan"
    NOTULEN = "notulen", "Notulen"
    INVENTARIS = "inventaris", "Inventaris"
    KEGIATAN = "kegiatan", "Kegiatan"


# Files live in the private storage of pkk.photos (never a public URL) under names that reveal nothing.
def _sk_path(instance: Penetapan, filename: str) -> str:
    return private_name("binaan/sk", ".pdf")


def _foto_path(instance: KunjunganFoto, filename: str) -> str:
    return private_name("binaan/kunjungan", ".jpg")


def _jawaban_path(instance: TindakLanjut, filename: str) -> str:
    return private_name("binaan/tindak-lanjut", ".jpg")


class Penetapan(TimeStamped):
    """The kabupaten's decree naming its desa binaan of one year."""

    kabupaten = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    nomor_sk = models.CharField("nomor SK", max_length=120)
    tanggal_sk = models.DateField("tanggal SK")
    scan_sk = models.FileField("scan SK (PDF)", upload_to=_sk_path, storage=private_file_storage, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-tahun"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "tahun"], name="binaan_penetapan_unique")]

    def __str__(self) -> str:
        return f"Desa binaan {self.tahun} ({self.nomor_sk})"


class DesaBinaan(TimeStamped):
    """One desa of a year's designation and the kecamatan team that is its pembina. Removed desa stay
    (``is_active`` off) so that their visits keep their place."""

    penetapan = models.ForeignKey(Penetapan, on_delete=models.PROTECT, related_name="desa_binaan")
    desa = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    pembina = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # a kecamatan
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["desa__path"]
        constraints = [models.UniqueConstraint(fields=["penetapan", "desa"], name="binaan_desa_unique")]
        indexes = [models.Index(fields=["pembina", "is_active"])]

    def __str__(self) -> str:
        return f"{self.desa.label} ({self.penetapan.tahun})"

    @property
    def tahun(self) -> int:
        return self.penetapan.tahun


class PenetapanRiwayat(models.Model):
    """Every change of a designation: who, when, what."""

    penetapan = models.ForeignKey(Penetapan, on_delete=models.CASCADE, related_name="riwayat")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(max_length=150)  # kept when the account goes
    at = models.DateTimeField(auto_now_add=True)
    aksi = models.CharField(max_length=40)
    keterangan = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.keterangan}"


class Kunjungan(TimeStamped):
    """A visit (pembinaan) of the kecamatan team to a desa binaan."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draf"
        SELESAI = "selesai", "Selesai"

    desa_binaan = models.ForeignKey(DesaBinaan, on_delete=models.PROTECT, related_name="kunjungan")
    tanggal = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    tim = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    tim_lain = models.TextField("anggota tim lain", blank=True, default="")  # free-text names, one per line
    catatan = models.TextField("catatan umum", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-tanggal", "-pk"]
        indexes = [models.Index(fields=["desa_binaan", "status", "tanggal"])]

    def __str__(self) -> str:
        return f"Kunjungan {self.desa_binaan.desa.label} {self.tanggal:%d-%m-%Y}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class KunjunganFokus(models.Model):
    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="fokus")
    area = models.CharField(max_length=20, choices=FokusArea.choices)
    status = models.CharField(max_length=10, choices=FokusStatus.choices, blank=True, default="")
    catatan = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kunjungan", "area"], name="binaan_fokus_unique")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_status_display()}"


class KunjunganBuku(models.Model):
    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="buku")
    buku = models.CharField(max_length=20, choices=BukuWajib.choices)
    ada = models.BooleanField(null=True, blank=True)  # None: not checked
    mutakhir = models.BooleanField(null=True, blank=True)
    catatan = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kunjungan", "buku"], name="binaan_buku_unique")]

    def __str__(self) -> str:
        return self.get_buku_display()


class KunjunganFoto(models.Model):
    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="foto")
    file = models.FileField(upload_to=_foto_path, storage=private_file_storage)
    keterangan = models.CharField(max_length=200, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.file.name


class TindakLanjut(TimeStamped):
    """A follow-up agreed on a visit: what, who, by when; answered by the desa, confirmed by the pembina."""

    class Status(models.TextChoices):
        TERBUKA = "terbuka", "Terbuka"
        DIJAWAB = "dijawab", "Dijawab desa, menunggu konfirmasi"
        SELESAI = "selesai", "Selesai"

    kunjungan = models.ForeignKey(Kunjungan, on_delete=models.CASCADE, related_name="tindak_lanjut")
    desa_binaan = models.ForeignKey(DesaBinaan, on_delete=models.PROTECT, related_name="tindak_lanjut")
    apa = models.CharField("tindak lanjut", max_length=300)
    siapa = models.CharField("penanggung jawab", max_length=150)
    batas_waktu = models.DateField("batas waktu")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TERBUKA)
    # The desa's answer ("sudah dilaksanakan").
    jawaban_catatan = models.TextField(blank=True, default="")
    jawaban_tanggal = models.DateField(null=True, blank=True)
    jawaban_foto = models.FileField(upload_to=_jawaban_path, storage=private_file_storage, blank=True)
    jawaban_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Done: confirmed by the pembina, or marked on a later visit.
    selesai_tanggal = models.DateField(null=True, blank=True)
    selesai_catatan = models.TextField(blank=True, default="")
    selesai_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    selesai_di_kunjungan = models.ForeignKey(
        Kunjungan, on_delete=models.SET_NULL, null=True, blank=True, related_name="tindak_lanjut_selesai"
    )

    class Meta:
        ordering = ["batas_waktu", "pk"]
        indexes = [models.Index(fields=["desa_binaan", "status", "batas_waktu"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="selesai") | Q(selesai_tanggal__isnull=False),
                name="binaan_tindak_lanjut_selesai_dated",
            )
        ]

    def __str__(self) -> str:
        return self.apa

    def is_overdue(self, today) -> bool:
        """Overdue: past its due date and the desa has not answered (an answer awaiting the pembina's
        confirmation is with the pembina, not late)."""
        return self.status == self.Status.TERBUKA and self.batas_waktu < today
