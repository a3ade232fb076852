"""``{% load pengguna %}{{ laporan.submitted_by|nama_pengguna }}``: who did something, safe for a missing user.

Audit fields (``submitted_by``, ``reviewed_by``, ``actor``, ``locked_by``) are nullable (demo data, deleted
accounts). A template must not read through them in a filter *argument* (``|default:x.user.username``):
Django raises there instead of rendering an empty string, and the page answers 500.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def nama_pengguna(user, kosong: str = "–") -> str:
    """Full name, else username, else ``kosong`` (no user recorded)."""
    if user is None:
        return kosong
    return (user.get_full_name() or "").strip() or getattr(user, "username", "") or kosong
