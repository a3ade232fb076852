"""Test images and scans made with Pillow, as uploads (``SimpleUploadedFile``)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# A minimal valid one-page PDF.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def image_bytes(
    fmt: str = "JPEG",
    size: tuple[int, int] = (640, 480),
    color=(30, 140, 80),
    *,
    mode: str = "RGB",
    orientation: int | None = None,
    gps: bool = False,
) -> bytes:
    """An image in ``fmt``; ``orientation`` writes the EXIF Orientation tag, ``gps`` a GPS block."""
    img = Image.new(mode, size, color)
    if mode == "RGB":
        # A marker in the top-left quarter, so a rotation can be seen in the result.
        for x in range(size[0] // 4):
            for y in range(size[1] // 4):
                img.putpixel((x, y), (250, 10, 10))
    out = io.BytesIO()
    kwargs = {}
    if orientation is not None or gps:
        exif = Image.Exif()
        if orientation is not None:
            exif[0x0112] = orientation
        if gps:
            exif[0x010F] = "PhoneMaker"  # Make
            exif.get_ifd(0x8825)[2] = (7.0, 36.0, 0.0)  # GPSLatitude
        kwargs["exif"] = exif.tobytes()
    img.save(out, format=fmt, **kwargs)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_upload(name: str = "foto.jpg", **kw) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kw), "image/jpeg")


def png_upload(name: str = "foto.png", **kw) -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", **kw), "image/png")


def pdf_upload(name: str = "sk.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return upload(name, data, "application/pdf")
