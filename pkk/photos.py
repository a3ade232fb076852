"""Uploaded photos and scans: checked, normalized, stored privately and served only through scoped views.

- Storage goes through Django's storage API: ``private_storage`` is local disk in
  ``PKK_PRIVATE_MEDIA_ROOT`` (outside every served URL) or, with ``PKK_STORAGE_BACKEND=s3``, a private
  S3-compatible bucket through django-storages (``AWS_*`` settings). Models use
  ``FileField(storage=private_file_storage, upload_to=...)``: the callable keeps the choice of backend out
  of migrations.
- ``prepare_photo`` turns whatever a phone sends into a JPEG (long side at most 1600 px, EXIF orientation
  applied, metadata dropped) or refuses it with an Indonesian message naming the field and the problem:
  too big, not an image (a renamed file), an unsupported type, a decompression bomb. The content is opened
  with Pillow; the file name and the browser's content type are never trusted.
- ``prepare_pdf`` checks a decree scan (``%PDF-`` magic, size cap).
- ``PhotosField`` wraps them for ModelForms (several photos per submit).
- ``serve_private_file`` answers a download; the view calling it must be ``@scoped`` and must have checked
  the owning object's unit.
"""

from __future__ import annotations

import io
import math
import mimetypes
import os
import uuid
import warnings
from collections.abc import Iterable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from PIL import Image, ImageOps, UnidentifiedImageError

# Formats a phone or a scanner produces that we accept (Pillow format names) and their labels.
PHOTO_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "MPO": "JPEG"}  # MPO: multi-picture JPEG
PHOTO_ACCEPTED = "JPEG, PNG atau WebP"
PHOTO_LONG_SIDE = 1600
JPEG_QUALITY = 85
PDF_MAGIC = b"%PDF-"


# --------------------------------------------------------------------------------------------------
# Storage


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk under ``PKK_PRIVATE_MEDIA_ROOT``; it has no URL (files leave only through a view)."""

    def __init__(self, location: str | os.PathLike | None = None, **kwargs) -> None:
        super().__init__(location=location, **kwargs)

    @property
    def base_location(self):  # type: ignore[override]
        return self._value_or_setting(self._location, settings.PKK_PRIVATE_MEDIA_ROOT)

    @property
    def location(self):  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Berkas privat tidak punya URL publik: layani lewat view yang memeriksa cakupan.")


def _build_private_storage() -> Storage:
    backend = getattr(settings, "PKK_STORAGE_BACKEND", "local")
    if backend == "s3":
        from storages.backends.s3 import S3Storage

        return S3Storage(
            default_acl="private",
            querystring_auth=True,
            file_overwrite=False,
            location=getattr(settings, "PKK_S3_LOCATION", "private"),
        )
    if backend != "local":
        raise ValueError(f"PKK_STORAGE_BACKEND must be 'local' or 's3', got {backend!r}")
    return PrivateFileSystemStorage()


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = _build_private_storage()


private_storage = _PrivateStorage()


def _reset_private_storage(*, setting: str, **kwargs) -> None:
    if setting.startswith(("PKK_STORAGE_BACKEND", "PKK_S3_", "AWS_")):
        private_storage._wrapped = empty


setting_changed.connect(_reset_private_storage)


def private_file_storage() -> Storage:
    """For ``FileField(storage=private_file_storage)``."""
    return private_storage  # type: ignore[return-value]


def private_name(prefix: str, ext: str) -> str:
    """A storage name that reveals nothing and never collides: ``<prefix>/2026/12/<random>.jpg``."""
    today = timezone.localdate()
    return f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{ext}"


def delete_files_on_commit(files: Iterable) -> None:
    """Delete stored files once the transaction that removed their rows has committed (a rollback keeps
    them). ``files`` are FieldFiles (or anything with ``.storage`` and ``.name``)."""
    targets = [(f.storage, f.name) for f in files if f and f.name]

    def _delete() -> None:
        for storage, name in targets:
            try:
                storage.delete(name)
            except OSError:  # already gone: nothing left to remove
                pass

    transaction.on_commit(_delete)


# --------------------------------------------------------------------------------------------------
# Checks and normalization


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / (1024 * 1024):.1f}".replace(".", ",")


def _name(uploaded) -> str:
    return os.path.basename(getattr(uploaded, "name", "") or "") or "tanpa nama"


def _check_size(uploaded, *, field: str, max_mb: int) -> None:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
        uploaded.seek(0)
    if size > max_mb * 1024 * 1024:
        raise ValidationError(
            f"{field}: berkas „{_name(uploaded)}“ terlalu besar ({_mb(size)} MB); paling besar {max_mb} MB.",
            code="too_big",
        )
    if size == 0:
        raise ValidationError(f"{field}: berkas „{_name(uploaded)}“ kosong.", code="empty")


def prepare_photo(uploaded, *, field: str = "Foto") -> ContentFile:
    """A checked upload as a fresh JPEG ``ContentFile`` (long side <= 1600 px, orientation applied, no
    EXIF/GPS metadata), or ``ValidationError`` with a message naming ``field`` and the problem."""
    name = _name(uploaded)
    _check_size(uploaded, field=field, max_mb=settings.PKK_PHOTO_MAX_MB)
    max_pixels = settings.PKK_PHOTO_MAX_PIXELS
    ext = os.path.splitext(name)[1].lower()
    not_image = ValidationError(
        f"{field}: berkas „{name}“ bukan gambar"
        + (f" (namanya berakhiran {ext}, tetapi isinya bukan gambar: berkas lain yang diganti namanya?)" if ext else "")
        + f". Kirim foto {PHOTO_ACCEPTED}.",
        code="not_image",
    )
    bomb = ValidationError(
        f"{field}: gambar „{name}“ terlalu besar ukurannya (lebih dari {f'{max_pixels:,}'.replace(',', '.')} piksel).",
        code="too_many_pixels",
    )
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as probe:
                fmt = probe.format
                width, height = probe.size
                if fmt not in PHOTO_FORMATS:
                    raise ValidationError(
                        f"{field}: jenis gambar {fmt or 'ini'} („{name}“) tidak didukung; kirim {PHOTO_ACCEPTED}.",
                        code="unsupported_type",
                    )
                if width * height > max_pixels:
                    raise bomb
                probe.verify()  # the whole stream, without decoding pixels: catches truncated files
            uploaded.seek(0)
            with Image.open(uploaded) as img:
                # JPEG: let the decoder scale down by 1/2, 1/4 or 1/8 while reading (several times faster
                # for a 12-50 MP phone photo), never below the final size.
                scale = min(PHOTO_LONG_SIDE / max(width, height), 1.0)
                img.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
                img.load()
                img = ImageOps.exif_transpose(img)
                img = _flatten(img)
                img.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.BICUBIC)
                out = io.BytesIO()
                # A fresh image without ``exif=``/``icc_profile=``: nothing of the phone's metadata survives.
                img.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except UnidentifiedImageError:
        if _is_heif(uploaded):
            raise ValidationError(
                f"{field}: jenis gambar HEIC/HEIF („{name}“) tidak didukung; kirim {PHOTO_ACCEPTED} "
                "(di iPhone: Pengaturan > Kamera > Format > Paling Kompatibel).",
                code="unsupported_type",
            ) from None
        raise not_image from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # Pillow's ways of saying "broken file"
        raise ValidationError(
            f"{field}: gambar „{name}“ rusak atau tidak lengkap dan tidak bisa dibaca ({type(exc).__name__}).",
            code="broken",
        ) from None
    finally:
        uploaded.seek(0)
    stem = os.path.splitext(name)[0][:80] or "foto"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")


def _is_heif(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(16)
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif")


def _flatten(img: Image.Image) -> Image.Image:
    """RGB for JPEG: transparency onto white, palettes and greyscale widened."""
    if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if img.mode != "RGB":
        return img.convert("RGB")
    return img


def prepare_pdf(uploaded, *, field: str = "Scan SK") -> ContentFile:
    """A checked PDF upload (``%PDF-`` at the start, at most ``PKK_PDF_MAX_MB``) as a ``ContentFile``."""
    name = _name(uploaded)
    _check_size(uploaded, field=field, max_mb=settings.PKK_PDF_MAX_MB)
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    if not data.startswith(PDF_MAGIC):
        ext = os.path.splitext(name)[1].lower()
        renamed = " (namanya berakhiran .pdf, tetapi isinya bukan PDF: berkas lain yang diganti namanya?)"
        raise ValidationError(
            f"{field}: berkas „{name}“ bukan PDF{renamed if ext == '.pdf' else ''}. Kirim hasil pindaian dalam "
            "format PDF.",
            code="not_pdf",
        )
    stem = os.path.splitext(name)[0][:80] or "dokumen"
    return ContentFile(data, name=f"{stem}.pdf")


# --------------------------------------------------------------------------------------------------
# Form fields


class MultiplePhotoInput(forms.ClearableFileInput):
    """``<input type=file multiple accept="image/*" capture="environment">``: the phone's camera or gallery."""

    allow_multiple_selected = True

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"accept": "image/*", "capture": "environment", "multiple": True, **(attrs or {})})


class PhotosField(forms.FileField):
    """Several photos in one submit; ``cleaned_data`` holds a list of prepared JPEG ``ContentFile``.

    Every refused file is reported (one message each), not just the first."""

    widget = MultiplePhotoInput

    def __init__(self, *, max_count: int | None = None, **kwargs) -> None:
        kwargs.setdefault("required", False)
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, data):
        return data

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        label = str(self.label or "Foto")
        if not files:
            if self.required:
                raise ValidationError(f"{label}: pilih paling sedikit satu foto.", code="required")
            return []
        max_count = self.max_count or settings.PKK_PHOTO_MAX_COUNT
        if len(files) > max_count:
            raise ValidationError(
                f"{label}: paling banyak {max_count} foto sekali kirim ({len(files)} dipilih).", code="too_many"
            )
        prepared, errors = [], []
        for f in files:
            try:
                prepared.append(prepare_photo(f, field=label))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return prepared

    def has_changed(self, initial, data) -> bool:
        return bool(data)


# --------------------------------------------------------------------------------------------------
# Serving


def serve_private_file(fieldfile, download_name: str, *, as_attachment: bool = False) -> FileResponse:
    """Stream a stored private file. Only for views that are ``@scoped`` and have checked the unit of the
    object that owns the file (404 outside scope)."""
    if not fieldfile or not fieldfile.name:
        raise Http404
    try:
        handle = fieldfile.storage.open(fieldfile.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(download_name)[0] or mimetypes.guess_type(fieldfile.name)[0]
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=download_name,
        content_type=content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
