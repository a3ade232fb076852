"""Writes on the unit tree and on accounts. Every write is atomic and validated."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from .models import (
    ALLOWED_PARENT,
    OFFICIAL_LEVELS,
    PATH_SEGMENT,
    ROLE_LEVELS,
    Kind,
    Level,
    PengurusTpPkk,
    Role,
    RoleAssignment,
    SandiSementara,
    Unit,
    path_segment,
)

# Depth of a desa in the tree (provinsi=1 ... desa=4): the first DESA_DEPTH path segments name the desa.
DESA_DEPTH = 4


audit_log = logging.getLogger("pkk.audit")


def _audit(actor, action: str, unit: Unit | None, **details) -> None:
    """Structure and account changes made by a person go to the ``pkk.audit`` log (who, what, where).
    Changes without an actor (imports, demo data, tests) are not logged line by line."""
    if actor is None:
        return
    audit_log.info(
        "%s by=%s unit=%s %s",
        action,
        getattr(actor, "username", "-"),
        unit.pk if unit is not None else "-",
        " ".join(f"{k}={v}" for k, v in details.items()),
    )


def kind_from_code(code: str, level: str) -> str:
    """Kabupaten vs kota, desa vs kelurahan, from the Kemendagri code (see wilayah SOURCE.md)."""
    parts = code.split(".")
    if level == Level.KABUPATEN:
        return Kind.KOTA if int(parts[1]) >= 71 else Kind.KABUPATEN
    if level == Level.DESA:
        return Kind.KELURAHAN if parts[3].startswith("1") else Kind.DESA
    return Kind.NONE


def _check_parent(level: str, parent: Unit | None) -> None:
    allowed = ALLOWED_PARENT[level]
    if parent is None and allowed:
        raise ValidationError({"parent": f"{Level(level).label} harus berada di bawah wilayah lain."})
    if parent is not None and parent.level not in allowed:
        raise ValidationError(
            {"parent": f"{Level(level).label} tidak boleh berada di bawah {Level(parent.level).label}."}
        )


NUMBERED_LEVELS = (Level.RW, Level.RT)
NUMBER_MAX = 999
_NUMBER_RE = re.compile(r"(?:(?:rw|rt)\.?\s*)?([0-9]+)", re.IGNORECASE)


def unit_number(level: str, name: str) -> str:
    """An RW or RT number as stored: digits only, at least two (``1``, ``001``, ``RT 1`` -> ``01``).
    Raises a ValidationError naming the field for anything else."""
    label = Level(level).label
    raw = " ".join((name or "").split())
    m = _NUMBER_RE.fullmatch(raw)
    if not m:
        raise ValidationError({"name": f"Nomor {label} harus berupa angka (mis. 01), bukan “{raw}”."})
    n = int(m.group(1))
    if not 1 <= n <= NUMBER_MAX:
        raise ValidationError({"name": f"Nomor {label} harus antara 1 dan {NUMBER_MAX}."})
    return f"{n:02d}"


def _normalize_name(level: str, name: str) -> str:
    """RW and RT are numbers written with two digits (``1`` -> ``01``) so that 1 and 01 are one unit."""
    name = " ".join((name or "").split())
    if level in NUMBERED_LEVELS and name:
        return unit_number(level, name)
    return name


def sibling_clash(*, parent: Unit | None, level: str, name: str, exclude_pk: int | None = None) -> str | None:
    """The message naming the active sibling that already has this name (case-insensitive), or None."""
    siblings = Unit.objects.filter(parent=parent, level=level, name__iexact=name, is_active=True)
    other = siblings.exclude(pk=exclude_pk).first()  # type: ignore[misc]  # pk=None excludes nothing
    if other is None:
        return None
    return (
        f"{other.label} sudah ada di {parent} (dibuat {timezone.localtime(other.created_at):%d-%m-%Y}). "
        f"Pakai {other.label} yang ada, atau pilih {'nomor' if level in NUMBERED_LEVELS else 'nama'} lain."
    )


def _save_unique(write) -> None:
    """Run ``write`` (a save or update of units); the partial unique index on active siblings turns a
    clash that slipped past the check (two requests at once) into the same Indonesian message."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        if "unit_sibling_name_unique" in str(exc) or "UNIQUE" in str(exc).upper():
            raise ValidationError({"name": "Nama/nomor ini baru saja dipakai wilayah lain di tingkat yang sama."})
        raise


def same_desa(a: Unit, b: Unit) -> bool:
    prefix = DESA_DEPTH * PATH_SEGMENT
    return len(a.path) >= prefix and a.path[:prefix] == b.path[:prefix]


@transaction.atomic
def unit_create(
    *, level: str, name: str, parent: Unit | None, code: str | None = None, kind: str = "", actor=None
) -> Unit:
    name = _normalize_name(level, name)
    if not name:
        raise ValidationError({"name": "Nama wilayah wajib diisi."})
    _check_parent(level, parent)
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": f"{parent} tidak aktif; aktifkan dahulu sebelum menambah di bawahnya."})
    if parent is not None:
        clash = sibling_clash(parent=parent, level=level, name=name)
        if clash:
            raise ValidationError({"name": clash})
    unit = Unit(level=level, name=name, parent=parent, code=code or None, kind=kind)
    if actor is not None:
        # Made by a person today: it owes no report for the periods before (reporting counts it from today).
        unit.aktif_sejak = timezone.localdate()
    unit.full_clean(exclude=["path"])
    _save_unique(unit.save)
    unit.path = (parent.path if parent else "") + path_segment(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    _audit(actor, "unit_create", unit, parent=parent.pk if parent else None)
    if actor is not None and parent is not None:
        # Made by a person in the structure pages: the stored counts above it (JML RT, JML DASAWISMA ...)
        # follow after commit. Bulk builders (imports, demo data, tests) pass no actor and rebuild themselves.
        _request_structure_rebuild(old_parent_id=parent.pk, unit=unit)
    return unit


@transaction.atomic
def unit_rename(*, unit: Unit, name: str, actor=None) -> Unit:
    name = _normalize_name(unit.level, name)
    if not name:
        raise ValidationError({"name": "Nama wilayah wajib diisi."})
    if unit.parent_id:
        clash = sibling_clash(parent=unit.parent, level=unit.level, name=name, exclude_pk=unit.pk)
        if clash:
            raise ValidationError({"name": clash})
    unit.name = name
    _save_unique(lambda: unit.save(update_fields=["name", "updated_at"]))
    _audit(actor, "unit_rename", unit, name=name)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, actor=None) -> Unit:
    """Move a unit (e.g. an RT to another RW); rewrites the stored path of its whole subtree."""
    unit.refresh_from_db()  # the path in hand may be stale (an ancestor moved meanwhile)
    new_parent.refresh_from_db()
    _check_parent(unit.level, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": "Wilayah tidak dapat dipindah ke bawah dirinya sendiri."})
    if unit.level not in OFFICIAL_LEVELS and not same_desa(unit, new_parent):
        raise ValidationError({"parent": "Wilayah hanya dapat dipindah di dalam desa/kelurahan yang sama."})
    if not new_parent.is_active:
        raise ValidationError({"parent": f"{new_parent} tidak aktif."})
    clash = sibling_clash(parent=new_parent, level=unit.level, name=unit.name, exclude_pk=unit.pk)
    if clash:
        raise ValidationError({"parent": clash})
    old_parent_id = unit.parent_id
    old_prefix = unit.path
    new_prefix = new_parent.path + path_segment(unit.pk)
    subtree = Unit.objects.subtree(unit)
    _save_unique(lambda: Unit.objects.filter(pk=unit.pk).update(parent=new_parent))
    from django.db.models.functions import Substr

    subtree.update(path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)))
    unit.refresh_from_db()
    _audit(actor, "unit_move", unit, new_parent=new_parent.pk)
    # The stored rekap of the old and the new parent change: rebuild their common ancestor's subtree.
    _request_structure_rebuild(old_parent_id=old_parent_id, unit=unit)
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool, actor=None) -> Unit:
    """Deactivate (or reactivate) a unit and everything under it. Units with data are never deleted."""
    unit.refresh_from_db()  # the path in hand may be stale (an ancestor moved meanwhile)
    if active and unit.parent_id:
        parent = Unit.objects.get(pk=unit.parent_id)
        if not parent.is_active:
            raise ValidationError({"parent": f"{parent} tidak aktif; aktifkan dahulu wilayah induknya."})
        clash = sibling_clash(parent=parent, level=unit.level, name=unit.name, exclude_pk=unit.pk)
        if clash:
            raise ValidationError({"name": f"{unit} tidak dapat diaktifkan kembali: {clash}"})
    today = timezone.localdate()
    if active:
        _save_unique(
            lambda: (
                Unit.objects.subtree(unit)
                .filter(is_active=False)
                .update(is_active=True, aktif_sejak=today, nonaktif_sejak=None)
            )
        )
    else:
        _save_unique(
            lambda: Unit.objects.subtree(unit).filter(is_active=True).update(is_active=False, nonaktif_sejak=today)
        )
    unit.refresh_from_db()
    _audit(actor, "unit_set_active", unit, active=active)
    if unit.parent_id:
        # A deactivated unit leaves its parent's sums (registered = active): rebuild the parent.
        _request_structure_rebuild(old_parent_id=unit.parent_id, unit=unit)
    return unit


STRUCTURE_REBUILD_TASK = "reporting.rebuild_structure"


def _request_structure_rebuild(*, old_parent_id: int | None, unit: Unit) -> None:
    """After commit, ask reporting (by task name) to rebuild the stored rekap under the nearest unit that
    holds both the old and the current place of ``unit``."""
    from .tasks_bridge import send_task_by_name

    old_path = Unit.objects.get(pk=old_parent_id).path if old_parent_id else ""
    new_path = unit.path[:-PATH_SEGMENT] if unit.parent_id else unit.path
    common = ""
    for i in range(0, min(len(old_path), len(new_path)), PATH_SEGMENT):
        if old_path[i : i + PATH_SEGMENT] != new_path[i : i + PATH_SEGMENT]:
            break
        common += old_path[i : i + PATH_SEGMENT]
    if not common:
        return
    target_id = int(common[-PATH_SEGMENT:])
    transaction.on_commit(lambda: send_task_by_name(STRUCTURE_REBUILD_TASK, [target_id]))


def fill_missing_paths() -> int:
    """Set ``path`` for units created in bulk (top-down, one UPDATE per level). Returns rows updated.

    Each level is one ``UPDATE ... FROM`` joining the parent (PostgreSQL, SQLite >= 3.33): a join
    instead of a correlated subquery per row."""
    from django.db import connection

    total = 0
    pad = LPad(Cast(F("pk"), output_field=Unit._meta.get_field("path")), PATH_SEGMENT, Value("0"))
    total += Unit.objects.filter(path="", parent__isnull=True).update(path=pad)
    table = connection.ops.quote_name(Unit._meta.db_table)
    if connection.vendor == "postgresql":
        own = f"lpad(CAST({table}.id AS varchar), {PATH_SEGMENT}, '0')"
    else:
        own = f"substr('{'0' * PATH_SEGMENT}' || {table}.id, -{PATH_SEGMENT}, {PATH_SEGMENT})"
    sql = (
        f"UPDATE {table} SET path = p.path || {own} FROM {table} AS p "
        f"WHERE {table}.parent_id = p.id AND {table}.path = '' AND p.path <> ''"
    )
    with connection.cursor() as cur:
        for _ in range(len(Level)):
            cur.execute(sql)
            n = cur.rowcount
            total += n
            if n == 0:
                break
    return total


@transaction.atomic
def account_create(*, username: str, name: str, password: str, role: str, unit: Unit, actor=None):
    """A new account with one role assignment bound to ``unit`` (role and unit level must fit)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    if unit.level not in ROLE_LEVELS[role]:
        levels = ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[role])
        raise ValidationError({"unit": f"Peran {Role(role).label} harus pada wilayah tingkat {levels}."})
    if not unit.is_active:
        raise ValidationError({"unit": f"{unit} tidak aktif."})
    User = get_user_model()
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"Nama pengguna “{username}” sudah dipakai."})
    user = User(username=username, first_name=(name or "").strip()[:150])
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    assignment = RoleAssignment(user=user, role=role, unit=unit, created_by=actor)
    assignment.full_clean()
    assignment.save()
    _audit(actor, "account_create", unit, user=user.username, role=role)
    return user


@transaction.atomic
def account_set_active(*, user, active: bool, actor=None):
    """Deactivate (or reactivate) an account; it is never deleted (its history stays attributed)."""
    if actor is not None and actor.pk == user.pk and not active:
        raise ValidationError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(actor, "account_set_active", None, user=user.username, active=active)
    return user


# ----------------------------------------------------------------------------- TP PKK office holders

PENGURUS_ROLE: dict[str, str] = {
    Level.DESA: Role.TP_PKK_DESA,
    Level.KECAMATAN: Role.PEMBINA_KECAMATAN,
    Level.KABUPATEN: Role.ADMIN_KABUPATEN,
}


@transaction.atomic
def pengurus_set(*, unit: Unit, ketua: str, sekretaris: str, actor=None) -> PengurusTpPkk:
    """Record the names of the unit's ketua and sekretaris (they go under the signature lines)."""
    if unit.level not in PENGURUS_ROLE:
        raise ValidationError("Pengurus TP PKK dicatat untuk desa/kelurahan, kecamatan atau kabupaten/kota.")
    pengurus, _created = PengurusTpPkk.objects.select_for_update().get_or_create(unit=unit)
    pengurus.ketua = " ".join(ketua.split())
    pengurus.sekretaris = " ".join(sekretaris.split())
    pengurus.updated_by = actor if getattr(actor, "pk", None) else None
    pengurus.full_clean()
    pengurus.save()
    _audit(actor, "pengurus_set", unit)
    return pengurus


# --------------------------------------------------------------------------- one-time passwords, account edits

# No 0/o, 1/l/i: the password is read out or copied from a phone screen.
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MUST_CHANGE_SESSION_KEY = "pkk_sandi_wajib_ganti"


def one_time_password() -> str:
    """Twelve random characters in three groups (``k7m2-p9x4-q3wz``): about 59 bits, easy to type."""
    import secrets

    return "-".join("".join(secrets.choice(_OTP_ALPHABET) for _ in range(4)) for _ in range(3))


@transaction.atomic
def account_reset_password(*, user, actor) -> str:
    """Give ``user`` a one-time password and return it (the only time it exists in clear). The owner must
    change it at the next login; open sessions end (the password hash changed) and a login lockout of the
    account is lifted."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError("Kata sandi akun Anda sendiri diganti lewat menu Ganti sandi.")
    if not user.is_active:
        raise ValidationError(f"Akun {user.username} nonaktif; aktifkan dahulu.")
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    SandiSementara.objects.update_or_create(
        user=user,
        defaults={"must_change": True, "reset_by": actor, "reset_at": timezone.now(), "changed_at": None},
    )
    _audit(actor, "account_reset_password", None, user=user.username)
    username = user.username
    transaction.on_commit(lambda: _axes_reset(username))
    return password


def _axes_reset(username: str) -> None:
    from axes.utils import reset

    reset(username=username)


def password_must_change(user) -> bool:
    return SandiSementara.objects.filter(user=user, must_change=True).exists()


@transaction.atomic
def account_password_changed(*, user) -> None:
    """The owner chose a password of their own: the one-time password rule ends."""
    SandiSementara.objects.filter(user=user, must_change=True).update(must_change=False, changed_at=timezone.now())


@transaction.atomic
def account_update(
    *,
    user,
    name: str,
    assignment: RoleAssignment | None = None,
    role: str | None = None,
    unit: Unit | None = None,
    actor=None,
):
    """Edit the name and (when ``assignment`` is given) the role and unit of that assignment, in place."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Nama lengkap wajib diisi."})
    changes: dict[str, str] = {}
    if name != user.first_name:
        changes["name"] = name
        user.first_name = name[:150]
        user.save(update_fields=["first_name"])
    moved = assignment is not None and role and unit is not None
    if moved and (role, unit.pk) != (assignment.role, assignment.unit_id):  # type: ignore[union-attr]
        assert assignment is not None and role is not None and unit is not None  # narrowed by `moved`
        if actor is not None and actor.pk == user.pk:
            raise ValidationError({"unit": "Anda tidak dapat mengubah tugas akun Anda sendiri."})
        if unit.level not in ROLE_LEVELS[role]:
            levels = ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[role])
            raise ValidationError({"unit": f"Wilayah tugas: peran {Role(role).label} harus pada tingkat {levels}."})
        if not unit.is_active:
            raise ValidationError({"unit": f"Wilayah tugas: {unit} tidak aktif."})
        old = f"{assignment.role}@{assignment.unit_id}"
        twin = RoleAssignment.objects.filter(user=user, role=role, unit=unit).exclude(pk=assignment.pk).first()
        if twin is not None:  # held before: take that row up again, drop this one
            twin.is_active = True
            twin.save(update_fields=["is_active", "updated_at"])
            assignment.is_active = False
            assignment.save(update_fields=["is_active", "updated_at"])
        else:
            assignment.role, assignment.unit, assignment.is_active = role, unit, True
            assignment.full_clean()
            assignment.save(update_fields=["role", "unit", "is_active", "updated_at"])
        changes["assignment"] = f"{old}->{role}@{unit.pk}"
    if changes:
        _audit(actor, "account_update", unit, user=user.username, **changes)
    return user
