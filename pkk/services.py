"""Writes on the unit tree and on accounts. Every write is atomic and validated."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
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
    Role,
    RoleAssignment,
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


def _normalise_name(level: str, name: str) -> str:
    """RW and RT numbers are written with two digits (``1`` -> ``01``) so that 1 and 01 are one unit."""
    name = " ".join((name or "").split())
    if level in (Level.RW, Level.RT) and name.isdigit() and len(name) < 2:
        name = name.zfill(2)
    return name


def same_desa(a: Unit, b: Unit) -> bool:
    prefix = DESA_DEPTH * PATH_SEGMENT
    return len(a.path) >= prefix and a.path[:prefix] == b.path[:prefix]


@transaction.atomic
def unit_create(
    *, level: str, name: str, parent: Unit | None, code: str | None = None, kind: str = "", actor=None
) -> Unit:
    name = _normalise_name(level, name)
    if not name:
        raise ValidationError({"name": "Nama wilayah wajib diisi."})
    _check_parent(level, parent)
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": f"{parent} tidak aktif; aktifkan dahulu sebelum menambah di bawahnya."})
    siblings = Unit.objects.filter(parent=parent, level=level, name__iexact=name, is_active=True)
    if parent is not None and siblings.exists():
        raise ValidationError({"name": f"{Level(level).label} bernama “{name}” sudah ada di {parent}."})
    unit = Unit(level=level, name=name, parent=parent, code=code or None, kind=kind)
    if actor is not None:
        # Made by a person today: it owes no report for the periods before (reporting counts it from today).
        unit.aktif_sejak = timezone.localdate()
    unit.full_clean(exclude=["path"])
    unit.save()
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
    name = _normalise_name(unit.level, name)
    if not name:
        raise ValidationError({"name": "Nama wilayah wajib diisi."})
    if (
        unit.parent_id
        and Unit.objects.filter(parent_id=unit.parent_id, level=unit.level, name__iexact=name, is_active=True)
        .exclude(pk=unit.pk)
        .exists()
    ):
        raise ValidationError({"name": f"Nama “{name}” sudah dipakai di tingkat yang sama."})
    unit.name = name
    unit.save(update_fields=["name", "updated_at"])
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
    if (
        Unit.objects.filter(parent=new_parent, level=unit.level, name__iexact=unit.name, is_active=True)
        .exclude(pk=unit.pk)
        .exists()
    ):
        raise ValidationError({"parent": f"{Level(unit.level).label} {unit.name} sudah ada di {new_parent}."})
    old_parent_id = unit.parent_id
    old_prefix = unit.path
    new_prefix = new_parent.path + path_segment(unit.pk)
    subtree = Unit.objects.subtree(unit)
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
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
        if (
            Unit.objects.filter(parent=parent, level=unit.level, name__iexact=unit.name, is_active=True)
            .exclude(pk=unit.pk)
            .exists()
        ):
            raise ValidationError({"name": f"Sudah ada {Level(unit.level).label} aktif bernama “{unit.name}”."})
    today = timezone.localdate()
    if active:
        Unit.objects.subtree(unit).filter(is_active=False).update(
            is_active=True, aktif_sejak=today, nonaktif_sejak=None
        )
    else:
        Unit.objects.subtree(unit).filter(is_active=True).update(is_active=False, nonaktif_sejak=today)
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
    new_path = unit.path[: -PATH_SEGMENT] if unit.parent_id else unit.path
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
