"""pkk/photos.py: every refusal with the message the user sees, the normalized JPEG, private storage and
serving."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve
from PIL import Image

from pkk import photos
from pkk.photos import PhotosField, prepare_pdf, prepare_photo, private_storage, serve_private_file
from tests.photos_util import PDF_BYTES, image_bytes, jpeg_upload, pdf_upload, png_upload, upload


def _open(content: ContentFile) -> Image.Image:
    img = Image.open(io.BytesIO(content.read()))
    content.seek(0)
    return img


def _message(exc_info) -> str:
    return " | ".join(exc_info.value.messages)


# ------------------------------------------------------------------------------------------ accepted


def test_a_large_photo_becomes_a_jpeg_with_its_long_side_at_1600():
    out = prepare_photo(jpeg_upload("kegiatan.jpeg", size=(4000, 3000)))
    img = _open(out)
    assert (img.format, img.size) == ("JPEG", (1600, 1200))
    assert out.name == "kegiatan.jpg"


def test_a_small_photo_keeps_its_size():
    img = _open(prepare_photo(jpeg_upload(size=(800, 600))))
    assert img.size == (800, 600)


def test_exif_orientation_is_applied_and_metadata_dropped():
    # Orientation 6: the camera held upright, stored sideways; shown rotated 90 degrees clockwise.
    raw = image_bytes("JPEG", size=(640, 480), orientation=6, gps=True)
    assert Image.open(io.BytesIO(raw)).getexif()[0x0112] == 6
    img = _open(prepare_photo(upload("hp.jpg", raw)))
    assert img.size == (480, 640)
    # The red marker sat top-left; after a clockwise turn it sits top-right.
    r, g, b = img.getpixel((480 - 20, 20))
    assert r > 200 and g < 60, (r, g, b)
    assert not img.getexif(), "no EXIF (GPS, maker, orientation) may survive"
    assert "exif" not in img.info and "icc_profile" not in img.info


def test_a_png_with_transparency_becomes_a_white_backed_jpeg():
    raw = image_bytes("PNG", size=(100, 80), color=(0, 0, 0, 0), mode="RGBA")
    img = _open(prepare_photo(upload("logo.png", raw, "image/png")))
    assert img.format == "JPEG" and img.mode == "RGB"
    assert img.getpixel((50, 40)) >= (250, 250, 250)


def test_a_webp_and_a_png_renamed_to_jpg_are_accepted_by_content():
    assert _open(prepare_photo(upload("a.webp", image_bytes("WEBP"), "image/webp"))).format == "JPEG"
    assert _open(prepare_photo(upload("sebenarnya-png.jpg", image_bytes("PNG")))).format == "JPEG"


# ------------------------------------------------------------------------------------------ refused


def test_too_big(settings):
    settings.PKK_PHOTO_MAX_MB = 1
    big = upload("besar.jpg", image_bytes("JPEG") + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        prepare_photo(big, field="Foto kegiatan")
    assert exc.value.code == "too_big"
    assert _message(exc).startswith("Foto kegiatan: berkas „besar.jpg“ terlalu besar (1,0 MB); paling besar 1 MB.")


def test_empty_file():
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload("kosong.jpg", b""))
    assert _message(exc) == "Foto: berkas „kosong.jpg“ kosong."


def test_a_text_file_renamed_to_jpg_is_not_an_image():
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload("foto.jpg", b"ini catatan rapat, bukan foto\n" * 20), field="Foto kegiatan")
    assert exc.value.code == "not_image"
    assert _message(exc) == (
        "Foto kegiatan: berkas „foto.jpg“ bukan gambar (namanya berakhiran .jpg, tetapi isinya bukan gambar: "
        "berkas lain yang diganti namanya?). Kirim foto JPEG, PNG atau WebP."
    )


def test_a_pdf_renamed_to_jpg_is_not_an_image():
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload("scan.jpg", PDF_BYTES, "image/jpeg"))
    assert exc.value.code == "not_image"
    assert "„scan.jpg“ bukan gambar" in _message(exc)


@pytest.mark.parametrize(("fmt", "label"), [("BMP", "BMP"), ("GIF", "GIF"), ("TIFF", "TIFF")])
def test_unsupported_image_types(fmt, label):
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload(f"gambar.{fmt.lower()}", image_bytes(fmt)))
    assert exc.value.code == "unsupported_type"
    assert _message(exc) == (
        f"Foto: jenis gambar {label} („gambar.{fmt.lower()}“) tidak didukung; kirim JPEG, PNG atau WebP."
    )


def test_heic_from_an_iphone_is_named_as_unsupported():
    head = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload("IMG_0001.HEIC", head, "image/heic"))
    assert exc.value.code == "unsupported_type"
    assert "HEIC/HEIF („IMG_0001.HEIC“) tidak didukung" in _message(exc)


def test_a_truncated_jpeg_is_broken():
    raw = image_bytes("JPEG", size=(640, 480))
    with pytest.raises(ValidationError) as exc:
        prepare_photo(upload("putus.jpg", raw[: len(raw) // 2]))
    assert exc.value.code == "broken"
    assert _message(exc).startswith("Foto: gambar „putus.jpg“ rusak atau tidak lengkap")


def test_too_many_pixels_is_refused_before_decoding(settings):
    settings.PKK_PHOTO_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as exc:
        prepare_photo(jpeg_upload("lebar.jpg", size=(640, 480)))
    assert exc.value.code == "too_many_pixels"
    assert _message(exc) == "Foto: gambar „lebar.jpg“ terlalu besar ukurannya (lebih dari 100.000 piksel)."


def test_pillows_own_decompression_bomb_guard_gives_the_same_message(monkeypatch, settings):
    settings.PKK_PHOTO_MAX_PIXELS = 10**12  # our limit out of the way: Pillow's warning/error must be caught
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 50_000)
    for size in ((300, 200), (640, 480)):  # a warning (over the limit) and an error (over twice the limit)
        with pytest.raises(ValidationError) as exc:
            prepare_photo(png_upload("bom.png", size=size))
        assert exc.value.code == "too_many_pixels"


# ------------------------------------------------------------------------------------------ PDF


def test_a_pdf_scan_is_accepted():
    out = prepare_pdf(pdf_upload("SK Bupati 12.pdf"))
    assert out.name == "SK Bupati 12.pdf" and out.read().startswith(b"%PDF-")


def test_a_jpeg_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as exc:
        prepare_pdf(upload("sk.pdf", image_bytes("JPEG"), "application/pdf"))
    assert exc.value.code == "not_pdf"
    assert _message(exc) == (
        "Scan SK: berkas „sk.pdf“ bukan PDF (namanya berakhiran .pdf, tetapi isinya bukan PDF: berkas lain yang "
        "diganti namanya?). Kirim hasil pindaian dalam format PDF."
    )


def test_a_word_file_is_not_a_pdf():
    with pytest.raises(ValidationError) as exc:
        prepare_pdf(upload("sk.docx", b"PK\x03\x04word", "application/msword"), field="Scan SK penetapan")
    assert _message(exc) == "Scan SK penetapan: berkas „sk.docx“ bukan PDF. Kirim hasil pindaian dalam format PDF."


def test_a_pdf_too_big(settings):
    settings.PKK_PDF_MAX_MB = 1
    with pytest.raises(ValidationError) as exc:
        prepare_pdf(pdf_upload(data=PDF_BYTES + b"\0" * (2 * 1024 * 1024)))
    assert _message(exc) == "Scan SK: berkas „sk.pdf“ terlalu besar (2,0 MB); paling besar 1 MB."


# ------------------------------------------------------------------------------------------ form field


def test_photos_field_prepares_every_file_and_reports_every_refusal():
    field = PhotosField(label="Foto kegiatan")
    assert field.clean([]) == []
    ok = field.clean([jpeg_upload("a.jpg"), png_upload("b.png")])
    assert [f.name for f in ok] == ["a.jpg", "b.jpg"]
    with pytest.raises(ValidationError) as exc:
        field.clean([jpeg_upload("a.jpg"), upload("c.jpg", b"bukan"), upload("d.gif", image_bytes("GIF"))])
    messages = exc.value.messages
    assert len(messages) == 2
    assert messages[0].startswith("Foto kegiatan: berkas „c.jpg“ bukan gambar")
    assert messages[1].startswith("Foto kegiatan: jenis gambar GIF („d.gif“) tidak didukung")


def test_photos_field_limits_the_count(settings):
    settings.PKK_PHOTO_MAX_COUNT = 2
    with pytest.raises(ValidationError) as exc:
        PhotosField(label="Foto").clean([jpeg_upload() for _ in range(3)])
    assert _message(exc) == "Foto: paling banyak 2 foto sekali kirim (3 dipilih)."
    with pytest.raises(ValidationError) as exc:
        PhotosField(label="Foto", required=True).clean([])
    assert _message(exc) == "Foto: pilih paling sedikit satu foto."


def test_photos_widget_asks_for_the_camera_and_several_images():
    html = PhotosField(label="Foto").widget.render("foto", None)
    for attr in ('type="file"', 'accept="image/*"', 'capture="environment"', "multiple"):
        assert attr in html


# ------------------------------------------------------------------------------------------ storage and serving


def test_private_storage_writes_under_the_private_root_and_has_no_url(settings, tmp_path):
    name = private_storage.save(photos.private_name("uji", ".jpg"), ContentFile(b"abc"))
    path = Path(private_storage.path(name))
    assert path.is_relative_to(settings.PKK_PRIVATE_MEDIA_ROOT) and path.read_bytes() == b"abc"
    assert not path.is_relative_to(settings.MEDIA_ROOT) and not path.is_relative_to(settings.STATIC_ROOT)
    with pytest.raises(ValueError):
        private_storage.url(name)


def test_no_public_media_route():
    with pytest.raises(Resolver404):
        resolve("/media/kegiatan/2026/12/x.jpg")


def test_s3_backend_is_selected_by_a_setting(settings):
    from storages.backends.s3 import S3Storage

    settings.AWS_STORAGE_BUCKET_NAME = "pkk-uji"
    settings.PKK_STORAGE_BACKEND = "s3"
    try:
        storage = photos._build_private_storage()
        assert isinstance(storage, S3Storage)
        assert storage.default_acl == "private" and storage.querystring_auth and not storage.file_overwrite
        private_storage._setup()
        assert isinstance(private_storage._wrapped, S3Storage)
    finally:
        settings.PKK_STORAGE_BACKEND = "local"
    assert isinstance(photos._build_private_storage(), photos.PrivateFileSystemStorage)


class _FieldFile:
    def __init__(self, name):
        self.name, self.storage = name, private_storage

    def __bool__(self):
        return bool(self.name)


def test_serve_private_file_headers():
    name = private_storage.save("uji/foto.jpg", prepare_photo(jpeg_upload()))
    resp = serve_private_file(_FieldFile(name), "kegiatan-1-foto-1.jpg")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "image/jpeg"
    assert resp["Cache-Control"] == "private, no-store"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert 'filename="kegiatan-1-foto-1.jpg"' in resp["Content-Disposition"]
    assert b"".join(resp.streaming_content)[:3] == b"\xff\xd8\xff"
    pdf_name = private_storage.save("uji/sk.pdf", ContentFile(PDF_BYTES))
    resp = serve_private_file(_FieldFile(pdf_name), "sk.pdf", as_attachment=True)
    assert resp["Content-Type"] == "application/pdf" and resp["Content-Disposition"].startswith("attachment")
    resp.file_to_stream.close()


def test_serve_a_missing_file_is_404():
    from django.http import Http404

    with pytest.raises(Http404):
        serve_private_file(_FieldFile("uji/tidak-ada.jpg"), "x.jpg")
    with pytest.raises(Http404):
        serve_private_file(_FieldFile(""), "x.jpg")


def _settings_in_subprocess(**env) -> subprocess.CompletedProcess:
    code = "import pkk.settings as s; print(s.PKK_STORAGE_BACKEND, getattr(s, 'AWS_STORAGE_BUCKET_NAME', '-'))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PKK_", "AWS_"))}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_settings_choose_the_storage_from_the_environment():
    assert _settings_in_subprocess().stdout.split() == ["local", "-"]
    out = _settings_in_subprocess(PKK_STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="pkk-foto")
    assert out.stdout.split() == ["s3", "pkk-foto"]
    missing = _settings_in_subprocess(PKK_STORAGE_BACKEND="s3")
    assert missing.returncode != 0 and "AWS_STORAGE_BUCKET_NAME is required" in missing.stderr
    wrong = _settings_in_subprocess(PKK_STORAGE_BACKEND="ftp")
    assert wrong.returncode != 0 and "PKK_STORAGE_BACKEND must be 'local' or 's3'" in wrong.stderr
