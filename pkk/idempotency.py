"""Create forms that cannot duplicate: a per-form token (hidden field ``form_token``) claimed in the same
transaction as the create. A repeat with the same token returns where the first save went."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.db import IntegrityError, transaction

from .models import FormToken

FIELD = "form_token"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
REPEAT_MESSAGE = "Data ini sudah tersimpan sebelumnya (formulir yang sama terkirim lagi); tidak dibuat dua kali."


def new_token() -> str:
    return uuid.uuid4().hex


def clean_token(raw: str | None) -> str | None:
    """The posted token if well formed, else None (the save then runs without the guard)."""
    raw = (raw or "").strip().lower()
    return raw if _TOKEN.match(raw) else None


def already_saved(*, token: str | None, user) -> str | None:
    """The URL of the first save with this token by this user, or None."""
    if token is None:
        return None
    row = FormToken.objects.filter(token=token, user=user).exclude(url="").first()
    return row.url if row else None


class TokenTaken(Exception):
    """Another request with the same token committed first; ``url`` is where it went (may be empty when
    the token belongs to someone else)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def save_once(*, token: str | None, user, kind: str, save: Callable[[], str]) -> str:
    """Run ``save`` (returns the URL to go to) and claim ``token`` in one transaction.

    The token row is inserted first: a concurrent request with the same token waits on the unique index
    (PostgreSQL) or the write lock (SQLite) and then fails, rolling its own work back; it raises
    ``TokenTaken`` with the first request's URL.
    """
    if token is None:
        return save()
    try:
        with transaction.atomic():
            claim = FormToken.objects.create(token=token, user=user, kind=kind)
            url = save()
            FormToken.objects.filter(pk=claim.pk).update(url=url[:300])
            return url
    except IntegrityError:
        row = FormToken.objects.filter(token=token).first()
        if row is None:
            raise
        raise TokenTaken(row.url if row.user_id == user.pk else "") from None


def form_tokens_prune(*, now=None, days: int | None = None) -> int:
    """Delete the tokens of saves older than ``days`` (``PKK_FORM_TOKEN_DAYS``): a repeat of a create form
    comes within minutes (a retry, a double tap, draft.js re-sending after the signal returns), not months.
    Returns how many rows went."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    days = settings.PKK_FORM_TOKEN_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = FormToken.objects.filter(created_at__lt=cutoff).delete()
    return deleted
