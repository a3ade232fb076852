"""Writes on the unit tree and on accounts. Every write is atomic and validated."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat, LPad

from .models import ALLOWED_PARENT, PATH_SEGMENT, Kind, Level, Unit, path_segment


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


@transaction.atomic
def unit_create(*, level: str, name: str, parent: Unit | None, code: str | None = None, kind: str = "") -> Unit:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Nama wilayah wajib diisi."})
    _check_parent(level, parent)
    if parent is not None and Unit.objects.filter(parent=parent, level=level, name__iexact=name, is_active=True).exists():
        raise ValidationError({"name": f"{Level(level).label} bernama “{name}” sudah ada di {parent}."})
    unit = Unit(level=level, name=name, parent=parent, code=code or None, kind=kind)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = (parent.path if parent else "") + path_segment(unit.pk)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)
    return unit


@transaction.atomic
def unit_rename(*, unit: Unit, name: str) -> Unit:
    name = (name or "").strip()
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
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit) -> Unit:
    """Move a unit (e.g. an RT to another RW); rewrites the stored path of its whole subtree."""
    _check_parent(unit.level, new_parent)
    if new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": "Wilayah tidak dapat dipindah ke bawah dirinya sendiri."})
    old_prefix = unit.path
    new_prefix = new_parent.path + path_segment(unit.pk)
    subtree = Unit.objects.subtree(unit)
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    from django.db.models.functions import Substr

    subtree.update(path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)))
    unit.refresh_from_db()
    return unit


@transaction.atomic
def unit_set_active(*, unit: Unit, active: bool) -> Unit:
    """Deactivate (or reactivate) a unit and everything under it. Units with data are never deleted."""
    Unit.objects.subtree(unit).update(is_active=active)
    unit.refresh_from_db()
    return unit


def fill_missing_paths() -> int:
    """Set ``path`` for units created in bulk (top-down, one UPDATE per level). Returns rows updated."""
    from django.db.models import OuterRef, Subquery

    total = 0
    pad = LPad(Cast(F("pk"), output_field=Unit._meta.get_field("path")), PATH_SEGMENT, Value("0"))
    total += Unit.objects.filter(path="", parent__isnull=True).update(path=pad)
    parent_path = Subquery(Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
    for _ in range(len(Level)):
        n = Unit.objects.filter(path="", parent__isnull=False).exclude(parent__path="").update(
            path=Concat(parent_path, pad)
        )
        total += n
        if n == 0:
            break
    return total
