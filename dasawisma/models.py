"""Dasawisma data: rumah tangga -> keluarga (No. KK) -> warga, kehamilan; audit history; outbox.

Fact rows carry ``dasawisma`` (and warga its ``rumah_tangga``) so a roll-up is a plain GROUP BY.
Nothing about a person is deleted: death and moving away are dates on the warga.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from pkk.models import AuditRow, TimeStamped, Unit
from pkk.storage import private_storage


class KriteriaRumah(models.TextChoices):
    SEHAT = "sehat", "Sehat layak huni"
    TIDAK_SEHAT = "tidak_sehat", "Tidak sehat layak huni"


class MakananPokok(models.TextChoices):
    BERAS = "beras", "Beras"
    NON_BERAS = "non_beras", "Non beras"


class JenisKelamin(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class StatusPerkawinan(models.TextChoices):
    KAWIN = "kawin", "Kawin"
    BELUM_KAWIN = "belum_kawin", "Belum kawin"
    CERAI_HIDUP = "cerai_hidup", "Cerai hidup"
    CERAI_MATI = "cerai_mati", "Cerai mati"


class StatusDalamKeluarga(models.TextChoices):
    KEPALA_KELUARGA = "kepala_keluarga", "Kepala keluarga"
    SUAMI = "suami", "Suami"
    ISTRI = "istri", "Istri"
    ANAK = "anak", "Anak"
    MENANTU = "menantu", "Menantu"
    CUCU = "cucu", "Cucu"
    ORANG_TUA = "orang_tua", "Orang tua"
    MERTUA = "mertua", "Mertua"
    FAMILI_LAIN = "famili_lain", "Famili lain"
    LAINNYA = "lainnya", "Lainnya"


class Agama(models.TextChoices):
    ISLAM = "islam", "Islam"
    KRISTEN = "kristen", "Kristen"
    KATOLIK = "katolik", "Katolik"
    HINDU = "hindu", "Hindu"
    BUDDHA = "buddha", "Buddha"
    KONGHUCU = "konghucu", "Konghucu"
    KEPERCAYAAN = "kepercayaan", "Kepercayaan"


class Pendidikan(models.TextChoices):
    TIDAK_SEKOLAH = "tidak_sekolah", "Tidak sekolah"
    TIDAK_TAMAT_SD = "tidak_tamat_sd", "Tidak tamat SD"
    SD = "sd", "SD/sederajat"
    SMP = "smp", "SMP/sederajat"
    SMA = "sma", "SMA/sederajat"
    DIPLOMA = "diploma", "Diploma"
    S1 = "s1", "S1"
    S2 = "s2", "S2"
    S3 = "s3", "S3"


class KelompokBelajar(models.TextChoices):
    TIDAK = "", "Tidak ikut"
    PAKET_A = "paket_a", "Paket A"
    PAKET_B = "paket_b", "Paket B"
    PAKET_C = "paket_c", "Paket C"
    KF = "kf", "KF (Keaksaraan Fungsional)"


class BerkebutuhanKhusus(models.TextChoices):
    TIDAK = "", "Tidak"
    FISIK = "fisik", "Fisik"
    NON_FISIK = "non_fisik", "Non fisik"


class HasilKehamilan(models.TextChoices):
    LAHIR_HIDUP = "lahir_hidup", "Lahir hidup"
    LAHIR_MATI = "lahir_mati", "Lahir mati"
    KEGUGURAN = "keguguran", "Keguguran"


class RumahTangga(TimeStamped):
    dasawisma = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rumah_tangga")
    kode = models.CharField(max_length=40, blank=True, default="")  # kode_rumah_tangga of the workbook
    alamat = models.CharField(max_length=200, blank=True, default="")
    kepala = models.ForeignKey("Warga", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kriteria_rumah = models.CharField(max_length=12, choices=KriteriaRumah.choices, default=KriteriaRumah.SEHAT)
    tempat_sampah = models.BooleanField(default=False)
    spal = models.BooleanField(default=False)
    mck_septic_tank = models.BooleanField(default=False)
    jumlah_jamban = models.PositiveSmallIntegerField(null=True, blank=True)
    stiker_p4k = models.BooleanField(null=True, blank=True)
    sumber_air_pdam = models.BooleanField(default=False)
    sumber_air_sumur = models.BooleanField(default=False)
    sumber_air_sungai = models.BooleanField(default=False)
    sumber_air_lainnya = models.BooleanField(default=False)
    makanan_pokok = models.CharField(max_length=10, choices=MakananPokok.choices, default=MakananPokok.BERAS)
    up2k = models.BooleanField(default=False)
    pemanfaatan_pekarangan = models.BooleanField(default=False)
    industri_rumah_tangga = models.BooleanField(default=False)
    kesehatan_lingkungan = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)  # optimistic concurrency

    class Meta:
        verbose_name = "rumah tangga"
        verbose_name_plural = "rumah tangga"
        indexes = [models.Index(fields=["dasawisma", "id"])]

    def __str__(self) -> str:
        return self.kode or f"Rumah tangga #{self.pk}"


class Keluarga(TimeStamped):
    rumah_tangga = models.ForeignKey(RumahTangga, on_delete=models.PROTECT, related_name="keluarga")
    no_kk = models.CharField(max_length=16)

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"
        constraints = [models.UniqueConstraint(fields=["rumah_tangga", "no_kk"], name="keluarga_kk_per_rt")]
        indexes = [models.Index(fields=["no_kk"])]

    def __str__(self) -> str:
        return self.no_kk


KEGIATAN_PKK_FIELDS = (
    "kegiatan_pancasila",
    "kegiatan_gotong_royong",
    "kegiatan_pendidikan",
    "kegiatan_koperasi",
    "kegiatan_pangan",
    "kegiatan_sandang",
    "kegiatan_kesehatan",
    "kegiatan_perencanaan_sehat",
)


class Warga(TimeStamped):
    dasawisma = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="warga")
    rumah_tangga = models.ForeignKey(RumahTangga, on_delete=models.PROTECT, related_name="warga")
    keluarga = models.ForeignKey(Keluarga, on_delete=models.PROTECT, related_name="warga")
    no_kk = models.CharField(max_length=16)  # copy of keluarga.no_kk: JML KK is COUNT(DISTINCT no_kk)
    kode = models.CharField(max_length=40, blank=True, default="")  # kode_warga of the workbook
    no_registrasi = models.CharField(max_length=30, unique=True)
    nik = models.CharField(max_length=16, null=True, blank=True, unique=True)
    nama = models.CharField(max_length=120)
    jenis_kelamin = models.CharField(max_length=1, choices=JenisKelamin.choices)
    tempat_lahir = models.CharField(max_length=80, blank=True, default="")
    tanggal_lahir = models.DateField()
    status_perkawinan = models.CharField(max_length=12, choices=StatusPerkawinan.choices)
    status_dalam_keluarga = models.CharField(max_length=16, choices=StatusDalamKeluarga.choices)
    agama = models.CharField(max_length=12, choices=Agama.choices)
    pendidikan = models.CharField(max_length=16, choices=Pendidikan.choices)
    pekerjaan = models.CharField(max_length=80, blank=True, default="")
    akseptor_kb = models.BooleanField(default=False)
    jenis_kb = models.CharField(max_length=40, blank=True, default="")
    aktif_posyandu = models.BooleanField(default=False)
    ikut_bkb = models.BooleanField(default=False)
    memiliki_tabungan = models.BooleanField(default=False)
    kelompok_belajar = models.CharField(max_length=8, choices=KelompokBelajar.choices, blank=True, default="")
    ikut_paud = models.BooleanField(default=False)
    ikut_koperasi = models.BooleanField(default=False)
    berkebutuhan_khusus = models.CharField(max_length=10, choices=BerkebutuhanKhusus.choices, blank=True, default="")
    tiga_buta = models.BooleanField(default=False)
    menyusui = models.BooleanField(default=False)
    akta_kelahiran = models.BooleanField(default=False)
    # KEGIATAN PKK YANG DIIKUTI of Buku I (4.15), ticked per person as in the kegiatan warga list (4.14.1b).
    kegiatan_pancasila = models.BooleanField("Penghayatan dan Pengamalan Pancasila", default=False)
    kegiatan_gotong_royong = models.BooleanField("Gotong Royong", default=False)
    kegiatan_pendidikan = models.BooleanField("Pendidikan dan Keterampilan", default=False)
    kegiatan_koperasi = models.BooleanField("Pengembangan Kehidupan Berkoperasi", default=False)
    kegiatan_pangan = models.BooleanField("Pangan", default=False)
    kegiatan_sandang = models.BooleanField("Sandang", default=False)
    kegiatan_kesehatan = models.BooleanField("Kesehatan", default=False)
    kegiatan_perencanaan_sehat = models.BooleanField("Perencanaan Sehat", default=False)
    ibu = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="anak")
    tanggal_meninggal = models.DateField(null=True, blank=True)
    sebab_meninggal = models.CharField(max_length=120, blank=True, default="")
    tanggal_pindah = models.DateField(null=True, blank=True)
    pindah_ke = models.CharField(max_length=200, blank=True, default="")  # where to, free text (optional)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "warga"
        verbose_name_plural = "warga"
        indexes = [
            models.Index(fields=["dasawisma", "rumah_tangga"]),
            models.Index(fields=["rumah_tangga"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_meninggal__isnull=True) | Q(tanggal_meninggal__gte=models.F("tanggal_lahir")),
                name="warga_meninggal_after_lahir",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_pindah__isnull=True) | Q(tanggal_pindah__gte=models.F("tanggal_lahir")),
                name="warga_pindah_after_lahir",
            ),
        ]

    def __str__(self) -> str:
        return self.nama

    @property
    def nik_masked(self) -> str:
        return mask_number(self.nik)

    @property
    def no_kk_masked(self) -> str:
        return mask_number(self.no_kk)


def mask_number(value: str | None) -> str:
    """``3306••••••••0012``: first four and last four digits only (UU 27/2022)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "•" * len(value)
    return value[:4] + "•" * (len(value) - 8) + value[-4:]


class Kehamilan(TimeStamped):
    warga = models.ForeignKey(Warga, on_delete=models.PROTECT, related_name="kehamilan")
    dasawisma = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="kehamilan")
    tanggal_mulai = models.DateField()
    hpl = models.DateField(null=True, blank=True)
    kek = models.BooleanField(null=True, blank=True)
    tanggal_selesai = models.DateField(null=True, blank=True)
    hasil = models.CharField(max_length=12, choices=HasilKehamilan.choices, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "kehamilan"
        verbose_name_plural = "kehamilan"
        indexes = [models.Index(fields=["dasawisma", "tanggal_mulai"]), models.Index(fields=["warga"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=models.F("tanggal_mulai")),
                name="kehamilan_selesai_after_mulai",
            ),
            models.CheckConstraint(
                condition=(
                    Q(tanggal_selesai__isnull=True, hasil="") | (Q(tanggal_selesai__isnull=False) & ~Q(hasil=""))
                ),
                name="kehamilan_hasil_with_selesai",
            ),
            # At most one open pregnancy per woman, even when two users record one at the same moment
            # (the service also locks the warga row so that the overlap check sees the other save).
            models.UniqueConstraint(
                fields=["warga"],
                condition=Q(tanggal_selesai__isnull=True),
                name="kehamilan_one_open_per_warga",
                violation_error_message="Warga ini masih tercatat hamil (kehamilan yang belum selesai). "
                "Selesaikan kehamilan itu dahulu.",
            ),
        ]

    def __str__(self) -> str:
        return f"Kehamilan {self.warga} sejak {self.tanggal_mulai}"


class Riwayat(AuditRow):
    """Audit history: who changed which record, when, and what (field -> [before, after])."""

    class Aksi(models.TextChoices):
        BUAT = "buat", "Dibuat"
        UBAH = "ubah", "Diubah"

    model = models.CharField(max_length=30)  # rumah_tangga | warga | kehamilan | keluarga
    object_id = models.BigIntegerField()
    dasawisma = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    aksi = models.CharField(max_length=10, choices=Aksi.choices)
    changes = models.JSONField(default=dict)

    class Meta(AuditRow.Meta):
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id} {self.aksi}"


class DasawismaChange(models.Model):
    """Outbox: a dasawisma's data changed; its reports from ``since`` on need a refresh.

    Written in the same transaction as the change; cleared by reporting only after the refresh committed.
    """

    dasawisma = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    since = models.DateField()  # earliest date whose periods are touched
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["dasawisma", "id"])]

    def __str__(self) -> str:
        return f"{self.dasawisma_id} sejak {self.since}"


class WorkbookJob(TimeStamped):
    """A standard-workbook import or export run by Celery off the request; the page polls it.

    The uploaded file and the generated workbook sit in private storage (never a public URL). The upload
    is deleted once the import finished; the export file expires after ``PKK_EXPORT_TTL_HOURS``.
    """

    class Kind(models.TextChoices):
        IMPOR = "impor", "Impor"
        EKSPOR = "ekspor", "Ekspor"

    class Status(models.TextChoices):
        ANTRI = "antri", "Menunggu"
        PROSES = "proses", "Sedang berjalan"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")  # export
    kind = models.CharField(max_length=6, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ANTRI)
    stage = models.CharField(max_length=100, blank=True, default="")  # what it is doing now, for the page
    filename = models.CharField(max_length=255, blank=True, default="")  # the uploaded file's own name
    upload = models.FileField(storage=private_storage, upload_to="workbook/unggah/", blank=True)
    file = models.FileField(storage=private_storage, upload_to="workbook/ekspor/", blank=True)
    result = models.JSONField(default=dict, blank=True)  # counts, new units, issues [sheet, row, column, reason]
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="workbookjob_status_beat")]

    def __str__(self) -> str:
        return f"Workbook {self.kind} #{self.pk} {self.status}"

    @property
    def running(self) -> bool:
        return self.status in (self.Status.ANTRI, self.Status.PROSES)
