"""The PKK tier tree (one table of typed units) and role assignments bound to units."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditRow(models.Model):
    """The base of every audit-history row (``dasawisma.Riwayat``, ``reporting.LaporanRiwayat``,
    ``reporting.KunciRiwayat``): who did it and when; each adds what was done. Rows are only ever added."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]


class Level(models.TextChoices):
    PROVINSI = "provinsi", "Provinsi"
    KABUPATEN = "kabupaten", "Kabupaten/Kota"
    KECAMATAN = "kecamatan", "Kecamatan"
    DESA = "desa", "Desa/Kelurahan"
    DUSUN = "dusun", "Dusun/Lingkungan"
    RW = "rw", "RW"
    RT = "rt", "RT"
    DASAWISMA = "dasawisma", "Dasawisma"


# Which parent level each level may hang under. RW hangs under a dusun or directly under a desa.
ALLOWED_PARENT: dict[str, tuple[str, ...]] = {
    Level.PROVINSI: (),
    Level.KABUPATEN: (Level.PROVINSI,),
    Level.KECAMATAN: (Level.KABUPATEN,),
    Level.DESA: (Level.KECAMATAN,),
    Level.DUSUN: (Level.DESA,),
    Level.RW: (Level.DESA, Level.DUSUN),
    Level.RT: (Level.RW,),
    Level.DASAWISMA: (Level.RT,),
}
LEVEL_ORDER = [choice.value for choice in Level]
OFFICIAL_LEVELS = (Level.PROVINSI, Level.KABUPATEN, Level.KECAMATAN, Level.DESA)

PATH_SEGMENT = 10  # zero-padded id digits per ancestor in Unit.path
PATH_END = "A"  # sorts after every digit in binary and linguistic collations


class Kind(models.TextChoices):
    """Official sub-kind read from the Kemendagri code."""

    NONE = "", "-"
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"
    DESA = "desa", "Desa"
    KELURAHAN = "kelurahan", "Kelurahan"


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)

    def subtree(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        """Everything under ``unit``: one range scan on the indexed ``path``."""
        qs = self.filter(path__gte=unit.path, path__lt=unit.path + PATH_END)
        if not include_self:
            qs = qs.exclude(pk=unit.pk)
        return qs

    def registered_on(self, day) -> UnitQuerySet:
        """Units registered (active) on ``day``: active since on or before it and not deactivated by then.
        Units deactivated before this was recorded (inactive, no date) are left out, as before."""
        return self.filter(
            Q(aktif_sejak__isnull=True) | Q(aktif_sejak__lte=day),
            Q(nonaktif_sejak__gt=day) | Q(nonaktif_sejak__isnull=True, is_active=True),
        )

    def subtree_of_any(self, units) -> UnitQuerySet:
        q = Q(pk__in=[])
        for unit in units:
            q |= Q(path__gte=unit.path, path__lt=unit.path + PATH_END)
        return self.filter(q)


class Unit(TimeStamped):
    """One node of the PKK tree: provinsi ... desa (official codes), dusun, RW, RT, dasawisma."""

    level = models.CharField(max_length=10, choices=Level.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, blank=True, default="")
    code = models.CharField(max_length=20, unique=True, null=True, blank=True)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Zero-padded ids of every ancestor and of the unit itself, root first.
    path = models.CharField(max_length=PATH_SEGMENT * 10, db_index=True, editable=False, default="")
    is_active = models.BooleanField(default=True)
    # When the unit became active and inactive (reporting counts the structure as it was in a period).
    # Empty aktif_sejak: registered before reporting began (imports, demo data, units older than this field).
    aktif_sejak = models.DateField(null=True, blank=True)
    nonaktif_sejak = models.DateField(null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=Level.PROVINSI, parent__isnull=True) | (~Q(level=Level.PROVINSI) & Q(parent__isnull=False))
                ),
                name="unit_root_is_provinsi",
            ),
            models.CheckConstraint(
                condition=Q(level__in=[c.value for c in Level]),
                name="unit_level_valid",
            ),
        ]
        indexes = [models.Index(fields=["parent", "level", "name"]), models.Index(fields=["level", "name"])]
        constraints += [
            # Below a desa, active siblings of one level never share a name (RW/RT numbers are stored
            # normalized, "01"): a partial unique index, on SQLite and PostgreSQL alike.
            models.UniqueConstraint(
                models.F("parent"),
                models.F("level"),
                Lower("name"),
                condition=Q(is_active=True, level__in=["dusun", "rw", "rt", "dasawisma"]),
                name="unit_sibling_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        prefix = {
            Level.KECAMATAN: "Kecamatan ",
            Level.DESA: "Kelurahan " if self.kind == Kind.KELURAHAN else "Desa ",
            Level.DUSUN: "Dusun ",
            Level.RW: "RW ",
            Level.RT: "RT ",
            Level.DASAWISMA: "Dasawisma ",
        }.get(self.level, "")
        if self.level in (Level.PROVINSI, Level.KABUPATEN):
            return self.name
        return f"{prefix}{self.name}"

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_SEGMENT

    def ancestor_ids(self, *, include_self: bool = True) -> list[int]:
        ids = [int(self.path[i : i + PATH_SEGMENT]) for i in range(0, len(self.path), PATH_SEGMENT)]
        return ids if include_self else ids[:-1]

    def ancestors(self, *, include_self: bool = False) -> list[Unit]:
        ids = self.ancestor_ids(include_self=include_self)
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


def path_segment(pk: int) -> str:
    return str(pk).zfill(PATH_SEGMENT)


class Role(models.TextChoices):
    KADER = "kader", "Kader Dasawisma"
    KETUA_KELOMPOK = "ketua_kelompok", "Ketua Kelompok (RT/RW/Dusun)"
    TP_PKK_DESA = "tp_pkk_desa", "TP PKK Desa/Kelurahan"
    PEMBINA_KECAMATAN = "pembina_kecamatan", "Pembina Kecamatan"
    ADMIN_KABUPATEN = "admin_kabupaten", "Admin Kabupaten/Kota"


ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.KADER: (Level.DASAWISMA,),
    Role.KETUA_KELOMPOK: (Level.RT, Level.RW, Level.DUSUN),
    Role.TP_PKK_DESA: (Level.DESA,),
    Role.PEMBINA_KECAMATAN: (Level.KECAMATAN,),
    Role.ADMIN_KABUPATEN: (Level.KABUPATEN,),
}


class RoleAssignment(TimeStamped):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="role_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.unit}"


class PersonalDataExportLog(models.Model):
    """Every export that carries personal data (NIK, No. KK, names, birth dates) is logged here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150)  # kept when the account goes
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    what = models.CharField(max_length=100)
    row_count = models.PositiveIntegerField()
    channel = models.CharField(max_length=20, default="web")  # web | command | job (built) | unduh (job file)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {self.what} {self.unit} ({self.row_count})"


class PengurusTpPkk(TimeStamped):
    """The office holders of a unit's TP PKK (or kelompok) whose names go under the signature lines of
    its sheets. Edited by the unit's own admin (TP PKK desa, pembina kecamatan, admin kabupaten)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="pengurus")
    ketua = models.CharField("nama ketua", max_length=120, blank=True, default="")
    sekretaris = models.CharField("nama sekretaris", max_length=120, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "pengurus TP PKK"
        verbose_name_plural = "pengurus TP PKK"

    def __str__(self) -> str:
        return f"Pengurus {self.unit}"


class SandiSementara(models.Model):
    """A one-time password set by a TP PKK desa or admin kabupaten (issue 10). While ``must_change`` holds,
    the owner is sent to the password change page after login (``pkk.middleware.ForcePasswordChangeMiddleware``).
    The password itself is never stored in clear: it is shown once, in the answer to the reset."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sandi_sementara")
    must_change = models.BooleanField(default=True)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reset_at = models.DateTimeField()
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "kata sandi sementara"
        verbose_name_plural = "kata sandi sementara"

    def __str__(self) -> str:
        return f"Sandi sementara {self.user_id} ({'wajib ganti' if self.must_change else 'sudah diganti'})"


class FormToken(models.Model):
    """One row per create form that was saved: a repeated POST carrying the same token (a retry after a
    500, a double tap, draft.js re-sending) answers with the record made the first time, never a second one.

    The token is a random value put in a hidden field when the form is shown; ``url`` is where the first
    save went (the record's page), so a repeat lands on the same page.
    """

    token = models.CharField(max_length=32, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"
