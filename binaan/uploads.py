"""Upload checks for the desa binaan forms: photos (resized on the server) and the decree's PDF scan.

A thin adapter: the rules live in ``pkk.photos`` when it is there (shared with kegiatan); this module
keeps the form-facing names (``check_image``, ``check_pdf``) and the messages that name the field.
"""

from __future__ import annotations

import io

from django import forms
from django.core.files.base import ContentFile

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
JPEG_QUALITY = 82


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def check_image(f, *, field: str) -> ContentFile:
    """A real JPEG/PNG/WebP/HEIC-free image under the size cap, returned as a resized JPEG."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if f.size > MAX_IMAGE_BYTES:
        raise forms.ValidationError(f"{field} terlalu besar ({_mb(f.size)}); paling besar {_mb(MAX_IMAGE_BYTES)}.")
    try:
        f.seek(0)
        img = Image.open(f)
        img.verify()  # catches truncated files and non-images renamed to .jpg
        f.seek(0)
        img = Image.open(f)
        if img.format not in ("JPEG", "PNG", "WEBP"):
            raise forms.ValidationError(f"{field} harus berupa gambar JPG, PNG atau WebP.")
        img = ImageOps.exif_transpose(img)
        img = img.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise forms.ValidationError(f"{field} bukan gambar yang dapat dibaca (JPG, PNG atau WebP).") from None
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(out.getvalue(), name="foto.jpg")


def check_pdf(f, *, field: str):
    if f.size > MAX_PDF_BYTES:
        raise forms.ValidationError(f"{field} terlalu besar ({_mb(f.size)}); paling besar {_mb(MAX_PDF_BYTES)}.")
    f.seek(0)
    head = f.read(5)
    f.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError(f"{field} harus berupa berkas PDF.")
    f.name = "sk.pdf"
    return f
