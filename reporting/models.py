"""Stored roll-ups (one row per unit and period), the reporting cycle, and export jobs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from pkk.models import AuditRow, TimeStamped, Unit

from .books import JenisLaporan
from .measures import BUKU_II_MEASURES, BUKU_III_MEASURES, UNIT_COUNT_NAMES


class RekapTahunan(models.Model):
    """Buku II measures of one unit for one year (every tier, dasawisma up)."""

    # No index of its own: the unique (unit, tahun) index serves every lookup by unit (one index write less
    # per stored row).
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    tahun = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "tahun"], name="rekap_tahunan_unique")]

    def __str__(self) -> str:
        return f"Rekap {self.unit_id} {self.tahun}"


class RekapBulanan(models.Model):
    """Buku III measures of one unit for one month (``bulan`` is the first day of the month)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)  # see above
    bulan = models.DateField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "bulan"], name="rekap_bulanan_unique")]
        indexes = [models.Index(fields=["bulan", "unit"])]

    def __str__(self) -> str:
        return f"Rekap {self.unit_id} {self.bulan:%Y-%m}"


for _name in UNIT_COUNT_NAMES + BUKU_II_MEASURES:
    RekapTahunan.add_to_class(_name, models.IntegerField(default=0))
for _name in UNIT_COUNT_NAMES + BUKU_III_MEASURES:
    RekapBulanan.add_to_class(_name, models.IntegerField(default=0))


class Laporan(TimeStamped):
    """A unit's submission for a period and its review by the tier above (DOMAIN.md section 6).

    A dasawisma submits Buku III for a month (Buku II for a year) to its desa; the desa submits its own
    rekap of the period (4.19a / 4.17a) to the kecamatan; the kecamatan submits to the kabupaten. A ketua
    kelompok (RT/RW/dusun) may verify a dasawisma report before the desa decides (``verified_*``).
    """

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan"
        DITERIMA = "diterima", "Diterima"
        DIKEMBALIKAN = "dikembalikan", "Dikembalikan"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="laporan")
    jenis = models.CharField(max_length=6, choices=JenisLaporan.choices)
    periode = models.DateField()  # first day of the month (Buku III) or 1 January (Buku II)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DIAJUKAN)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    terlambat = models.BooleanField(default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    alasan = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "laporan"
        constraints = [models.UniqueConstraint(fields=["unit", "jenis", "periode"], name="laporan_unique")]
        indexes = [models.Index(fields=["jenis", "periode", "unit"], name="laporan_periode_unit_idx")]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.unit} {self.periode}"


class LaporanRiwayat(AuditRow):
    """Every submission, acceptance and return of a Laporan, recorded (the reporting cycle's audit)."""

    class Aksi(models.TextChoices):
        AJUKAN = "ajukan", "Diajukan"
        VERIFIKASI = "verifikasi", "Diverifikasi ketua kelompok"
        TERIMA = "terima", "Diterima"
        KEMBALIKAN = "kembalikan", "Dikembalikan"
        BUKA = "buka", "Dibuka kembali oleh desa"

    laporan = models.ForeignKey(Laporan, on_delete=models.CASCADE, related_name="riwayat")
    aksi = models.CharField(max_length=10, choices=Aksi.choices)
    alasan = models.TextField(blank=True, default="")
    terlambat = models.BooleanField(default=False)

    class Meta(AuditRow.Meta):
        verbose_name_plural = "riwayat laporan"

    def __str__(self) -> str:
        return f"{self.aksi} {self.laporan_id}"


class KunciPeriode(models.Model):
    """A locked period of a desa: its stored numbers (and those below it) no longer change."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(max_length=6, choices=JenisLaporan.choices)
    periode = models.DateField()
    locked_at = models.DateTimeField(auto_now_add=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # The structure the period was locked with: {"units": [ids of the units active below the desa]}.
    struktur = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "jenis", "periode"], name="kunci_unique")]

    def __str__(self) -> str:
        return f"Kunci {self.unit} {self.jenis} {self.periode}"


class KunciRiwayat(AuditRow):
    """Every lock and unlock, recorded."""

    class Aksi(models.TextChoices):
        KUNCI = "kunci", "Dikunci"
        BUKA = "buka", "Dibuka"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    jenis = models.CharField(max_length=6, choices=JenisLaporan.choices)
    periode = models.DateField()
    aksi = models.CharField(max_length=6, choices=Aksi.choices)
    alasan = models.TextField(blank=True, default="")

    class Meta(AuditRow.Meta):
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.aksi} {self.unit} {self.periode}"


class AwalPelaporan(models.Model):
    """The first month a kabupaten reports (the due lists start there; default ``PKK_REPORTING_START``)."""

    kabupaten = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    mulai = models.DateField(help_text="Hari pertama bulan pertama pelaporan.")

    class Meta:
        verbose_name = "awal pelaporan"
        verbose_name_plural = "awal pelaporan"

    def __str__(self) -> str:
        return f"Awal pelaporan {self.kabupaten}: {self.mulai:%Y-%m}"


class ExportJob(TimeStamped):
    """A persisted Excel export run by Celery; the page polls its progress."""

    class Status(models.TextChoices):
        ANTRI = "antri", "Menunggu"
        PROSES = "proses", "Sedang dibuat"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)  # e.g. "rekap_subtree" or "workbook"
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ANTRI)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the worker is alive (pkk.heartbeat)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Ekspor #{self.pk} {self.kind} {self.status}"
