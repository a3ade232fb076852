"""Upload checks for the desa binaan forms: the shared rules of ``pkk.photos`` (content-checked, resized
JPEG without metadata; decree scans as PDF), with messages that name the field."""

from __future__ import annotations

from pkk.photos import prepare_pdf, prepare_photo


def check_image(f, *, field: str):
    return prepare_photo(f, field=field)


def check_pdf(f, *, field: str):
    return prepare_pdf(f, field=field)
