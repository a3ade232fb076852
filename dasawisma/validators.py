"""Checks shared by forms, services and the workbook import. Messages are in Bahasa Indonesia and
name the field. NIK mismatches are warnings (returned), format errors are ValidationErrors (raised)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError

# ASCII 0-9 only: ``\d`` would accept every Unicode digit (fullwidth, Arabic-Indic ...), and the same NIK
# written with one such digit would be stored beside the original, defeating the unique index.
_DIGITS16 = re.compile(r"^[0-9]{16}$", re.ASCII)
_ASCII_DIGITS = re.compile(r"^[0-9]*$", re.ASCII)


def normalize_number(value: str | None) -> str:
    """NFKC (fullwidth digits become ASCII ones), then spaces, dots and dashes removed."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", value or ""))


def _check_16(value: str, label: str, code: str) -> None:
    if not _ASCII_DIGITS.match(value):
        raise ValidationError(
            f"{label} harus 16 angka 0-9 saja (ada huruf, tanda atau angka lain).", code=f"{code}_format"
        )
    if not _DIGITS16.match(value):
        raise ValidationError(f"{label} harus 16 angka (tertulis {len(value)} karakter).", code=f"{code}_format")


def validate_nik(value: str | None) -> str | None:
    """Optional; when given, exactly 16 ASCII digits after NFKC. Returns the normalized value or None."""
    value = normalize_number(value)
    if not value:
        return None
    _check_16(value, "NIK", "nik")
    return value


def validate_no_kk(value: str | None) -> str:
    """Required; exactly 16 ASCII digits after NFKC. Returns the normalized value."""
    value = normalize_number(value)
    if not value:
        raise ValidationError("No. KK wajib diisi.", code="kk_required")
    _check_16(value, "No. KK", "kk")
    return value


def nik_encoded(nik: str) -> tuple[int, int, int, str] | None:
    """(day, month, yy, sex) encoded in digits 7-12 of a NIK (day + 40 for women), or None if unreadable."""
    if not nik or not _DIGITS16.match(nik):
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = "P" if day > 40 else "L"
    if day > 40:
        day -= 40
    return day, month, yy, sex


def nik_warnings(nik: str | None, tanggal_lahir: dt.date | None, jenis_kelamin: str | None) -> list[str]:
    """Warnings (not refusals) where the NIK disagrees with the entered birth date or sex."""
    if not nik:
        return []
    decoded = nik_encoded(nik)
    if decoded is None:
        return []
    day, month, yy, sex = decoded
    out = []
    entered = (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100) if tanggal_lahir else None
    if entered is not None and (day, month, yy) != entered:
        out.append(
            f"NIK menunjukkan tanggal lahir {nik_date_text(day, month, yy, near=tanggal_lahir)}, "
            f"berbeda dengan tanggal lahir yang diisi ({tanggal_lahir:%d-%m-%Y})."
        )
    if jenis_kelamin and sex != jenis_kelamin:
        label = "perempuan" if sex == "P" else "laki-laki"
        out.append(f"NIK menunjukkan jenis kelamin {label}, berbeda dengan jenis kelamin yang diisi.")
    return out


def nik_date_text(day: int, month: int, yy: int, *, near: dt.date | None = None) -> str:
    """The NIK's DDMMYY as a date, "14-05-1980": the century is the one nearest the entered birth date (else
    the latest not in the future). A day/month that is no date stays as written ("31-02-1980")."""
    this_year = dt.date.today().year
    candidates = [c + yy for c in (1900, 2000) if c + yy <= this_year] or [1900 + yy]
    year = min(candidates, key=lambda y: abs(y - near.year)) if near else max(candidates)
    return f"{day:02d}-{month:02d}-{year}"


# Older than this is a typing error (a year typed wrong), not a person: refused, naming the field.
USIA_MAX = 120


def validate_not_too_old(value: dt.date | None, field_label: str, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    if value is None:
        return
    try:
        limit = today.replace(year=today.year - USIA_MAX)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - USIA_MAX, day=28)
    if value < limit:
        raise ValidationError(
            f"{field_label} {value:%d-%m-%Y} lebih dari {USIA_MAX} tahun yang lalu; periksa tahunnya.",
            code="too_old",
        )


def validate_not_future(value: dt.date | None, field_label: str, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    if value is not None and value > today:
        raise ValidationError(f"{field_label} tidak boleh di masa depan.", code="future_date")


def age_on(born: dt.date, on: dt.date) -> int:
    """Age in completed years on a date (DOMAIN.md section 4)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# Child-bearing age for recording a pregnancy. Wider than WUS (15-49, a report measure) on purpose:
# a pregnancy at 14 or 52 is rare but real and must be recordable; outside 10-55 it is a typing error.
USIA_SUBUR_MIN = 10
USIA_SUBUR_MAX = 55
TIGA_BUTA_MIN_AGE = 13


def validate_after_birth(value: dt.date | None, tanggal_lahir: dt.date | None, field_label: str) -> None:
    if value is not None and tanggal_lahir is not None and value < tanggal_lahir:
        raise ValidationError(
            f"{field_label} tidak boleh sebelum tanggal lahir ({tanggal_lahir:%d-%m-%Y}).", code="before_birth"
        )


def validate_tiga_buta(tiga_buta: bool, tanggal_lahir: dt.date | None, today: dt.date | None = None) -> None:
    """Tiga buta (buta aksara/baca-tulis-hitung) is only recorded from age 13."""
    today = today or dt.date.today()
    if tiga_buta and tanggal_lahir is not None and age_on(tanggal_lahir, today) < TIGA_BUTA_MIN_AGE:
        raise ValidationError(
            f"Tiga buta hanya untuk warga berumur {TIGA_BUTA_MIN_AGE} tahun ke atas.", code="tiga_buta_age"
        )


def validate_usia_subur(tanggal_lahir: dt.date, on: dt.date) -> None:
    age = age_on(tanggal_lahir, on)
    if not USIA_SUBUR_MIN <= age <= USIA_SUBUR_MAX:
        raise ValidationError(
            f"Tanggal mulai: umur ibu pada tanggal itu {age} tahun, di luar usia subur "
            f"({USIA_SUBUR_MIN}-{USIA_SUBUR_MAX} tahun).",
            code="usia_subur",
        )
