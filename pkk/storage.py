"""Private file storage: uploaded workbooks and generated files with personal data.

Files here are never under ``MEDIA_URL`` (``make run`` serves MEDIA_ROOT in DEBUG); they reach a user only
through a scoped view that checks the requester and writes the export log. ``PKK_PRIVATE_MEDIA_ROOT`` is
backed up beside the database (docs/deploy.md).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """``PKK_PRIVATE_MEDIA_ROOT``, read at each use (tests point it at a temporary directory); no URLs."""

    @property
    def base_location(self) -> str:
        return str(settings.PKK_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL: serve them through a scoped view")


def private_storage() -> FileSystemStorage:
    """A callable for ``FileField(storage=...)``: migrations keep the reference, not the path."""
    return PrivateStorage()
