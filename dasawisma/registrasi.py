"""No. Registrasi of a warga (DOMAIN.md section 3): desa code digits, entry year, sequence.

Format: ``<desa code without dots><YYYY><NNNNN>``, e.g. ``3306162006202600017`` for the 17th warga entered in
Desa Kaliboto (33.06.16.2006) in 2026. The sequence is per desa and year, at least five digits (it widens
past 99,999). Allocation locks the desa row (``SELECT ... FOR UPDATE`` on PostgreSQL), so two concurrent
writers in the same desa queue up instead of drawing the same number; call it inside the writing
transaction. One query finds the last number, however many are drawn (the workbook import draws 50,000 at once).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone

from pkk.models import Level, Unit

from .models import Warga

SEQUENCE_WIDTH = 5


def desa_of(unit: Unit) -> Unit:
    """The desa above (or at) ``unit``."""
    if unit.level == Level.DESA:
        return unit
    return Unit.objects.get(pk__in=unit.ancestor_ids(include_self=False), level=Level.DESA)


def registrasi_prefix(desa: Unit, year: int) -> str:
    digits = "".join(ch for ch in (desa.code or "") if ch.isdigit()) or str(desa.pk).zfill(10)
    return f"{digits}{year:04d}"


def allocate_registrasi(*, desa: Unit, count: int, on: dt.date | None = None) -> list[str]:
    """``count`` new, unused numbers for warga entered in ``desa`` (in year of ``on``, default today)."""
    if count <= 0:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_registrasi must run inside the writing transaction")
    year = (on or timezone.localdate()).year
    list(Unit.objects.select_for_update().filter(pk=desa.pk).values_list("pk", flat=True))
    prefix = registrasi_prefix(desa, year)
    last = (
        Warga.objects.filter(no_registrasi__startswith=prefix)
        .order_by(Length("no_registrasi").desc(), "-no_registrasi")
        .values_list("no_registrasi", flat=True)
        .first()
    )
    start = 1
    if last:
        tail = last[len(prefix) :]
        start = (int(tail) if tail.isdigit() else 0) + 1
    return [f"{prefix}{n:0{SEQUENCE_WIDTH}d}" for n in range(start, start + count)]


def next_registrasi(*, desa: Unit, on: dt.date | None = None) -> str:
    """One new number (the browser's warga_create)."""
    return allocate_registrasi(desa=desa, count=1, on=on)[0]
