"""The write flow every dasawisma record shares: versioned save, audit row, outbox row.

A service of any record (``rumah_tangga``, ``keluarga``, ``warga``, ``kehamilan``, a move) is atomic,
validates (Indonesian messages naming the field, collected with ``add_messages`` / ``raise_errors``), writes
a ``Riwayat`` row (``audit``) and a ``DasawismaChange`` outbox row in the same transaction, and asks
reporting for a refresh after commit (``record_change``, by task name: see ``dasawisma.outbox``).

Updates use optimistic concurrency: the caller passes the ``version`` it showed the user; ``check_version``
refuses a stale one at once, and the row is written with ``UPDATE ... WHERE version = <that>``
(``versioned_update``), so a writer who was faster in between raises ``ConflictError`` too.
``update_audited`` is the whole update of one record: set, validate, versioned write, audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone

from ..models import Riwayat

CONFLICT_MESSAGE = (
    "Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Isian Anda masih ada di formulir: "
    "periksa nilai yang tersimpan sekarang, lalu simpan lagi."
)


class ConflictError(Exception):
    """The record changed since the form was opened (stale ``version``)."""

    def __init__(self, current: models.Model):
        super().__init__(CONFLICT_MESSAGE)
        self.current = current
        self.message = CONFLICT_MESSAGE


def local_today() -> dt.date:
    return timezone.localdate()


def jan1() -> dt.date:
    """1 January of this year: where a change of a fact without a date of its own counts from."""
    return local_today().replace(month=1, day=1)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` of the fields of ``after`` whose value changed, as JSON-ready values."""
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))] for k in after if _plain(before.get(k)) != _plain(after.get(k))
    }


def audit(*, model: str, obj: models.Model, dasawisma_id: int, aksi: str, changes: dict, actor) -> None:
    Riwayat.objects.create(
        model=model,
        object_id=obj.pk,
        dasawisma_id=dasawisma_id,
        aksi=aksi,
        changes=changes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def raise_errors(errors: dict[str, list[str]]) -> None:
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationError(errors)


def add_messages(errors: dict[str, list[str]], field: str, exc: ValidationError) -> None:
    errors.setdefault(field, []).extend(exc.messages)


def check_version(instance: models.Model, version: int | None) -> None:
    if version is None or int(version) != instance.version:  # type: ignore[attr-defined]
        raise ConflictError(type(instance)._default_manager.get(pk=instance.pk))


def versioned_update(instance: models.Model, version: int, fields: list[str]) -> None:
    """``UPDATE ... SET fields, version = version + 1 WHERE pk AND version``; 0 rows = someone was faster."""
    model = type(instance)
    values = {}
    for name in fields:
        attname = model._meta.get_field(name).attname  # type: ignore[union-attr]  # ForeignKeys are written through their column
        values[attname] = getattr(instance, attname)
    now = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if updated != 1:
        raise ConflictError(model._default_manager.get(pk=instance.pk))
    instance.version = version + 1  # type: ignore[attr-defined]
    instance.updated_at = now  # type: ignore[attr-defined]


def update_audited(
    instance: models.Model,
    *,
    model: str,
    values: dict[str, Any],
    before: dict[str, Any],
    version: int,
    actor,
    validate: Callable[[Any], None] | None = None,
    exclude: list[str] | None = None,
) -> dict[str, list[Any]]:
    """Set ``values`` on ``instance``, validate (``validate`` then ``full_clean``), write them if ``version``
    is still current (else ConflictError), record the change in Riwayat and return it."""
    for k, v in values.items():
        setattr(instance, k, v)
    if validate is not None:
        validate(instance)
    instance.full_clean(exclude=exclude)
    versioned_update(instance, int(version), list(values))
    changes = diff(before, values)
    audit(
        model=model,
        obj=instance,
        dasawisma_id=instance.dasawisma_id,  # type: ignore[attr-defined]
        aksi=Riwayat.Aksi.UBAH,
        changes=changes,
        actor=actor,
    )
    return changes
