"""Forms validate and normalize input only; the domain checks live in ``services`` (which the views call).

Field ids are Django's defaults (``id_<field>``): the browser tests rely on them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import fields_for_model, model_to_dict
from django.utils import timezone

from .models import HasilKehamilan, JenisKelamin, Keluarga, Pendidikan, RumahTangga, StatusPerkawinan, Warga
from .services import RUMAH_TANGGA_FIELDS, SUMBER_AIR_FIELDS, WARGA_FIELDS
from .validators import USIA_MAX, age_on, validate_nik, validate_no_kk

BALITA_AGE = 5  # pendidikan is not asked under this age


def _is_balita(value: Any) -> bool:
    """True when ``value`` (a date or an ISO string) is a birth date less than five years ago."""
    import datetime as dt

    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return False
    if not isinstance(value, dt.date):
        return False
    return age_on(value, timezone.localdate()) < BALITA_AGE


def ibu_label(w: Warga) -> str:
    """ "Siti Aminah · 31 th · rumah tangga Budi Santoso (RT-1)": two women of one name differ."""
    rt = w.rumah_tangga
    rumah = f"rumah tangga {rt.kepala.nama}" if rt.kepala_id else f"rumah tangga #{rt.pk}"
    if rt.kode:
        rumah += f" ({rt.kode})"
    parts = [w.nama, f"{age_on(w.tanggal_lahir, timezone.localdate())} th", rumah]
    if w.tanggal_meninggal or w.tanggal_pindah:
        parts.append("meninggal" if w.tanggal_meninggal else "pindah")
    return " · ".join(parts)


LABELS: dict[str, str] = {
    # rumah tangga
    "kode": "Kode rumah tangga (boleh kosong)",
    "alamat": "Alamat",
    "kepala": "Kepala rumah tangga",
    "kriteria_rumah": "Kriteria rumah",
    "tempat_sampah": "Memiliki tempat pembuangan sampah",
    "spal": "Memiliki SPAL (saluran pembuangan air limbah)",
    "mck_septic_tank": "Memiliki sarana MCK dan septic tank",
    "jumlah_jamban": "Jumlah jamban (boleh kosong)",
    "stiker_p4k": "Stiker P4K",
    "sumber_air": "Sumber air keluarga",
    "sumber_air_pdam": "Sumber air PDAM",
    "sumber_air_sumur": "Sumber air sumur",
    "sumber_air_sungai": "Sumber air sungai",
    "sumber_air_lainnya": "Sumber air lainnya",
    "makanan_pokok": "Makanan pokok",
    "up2k": "Mengikuti UP2K",
    "pemanfaatan_pekarangan": "Pemanfaatan tanah pekarangan",
    "industri_rumah_tangga": "Industri rumah tangga",
    "kesehatan_lingkungan": "Kesehatan lingkungan",
    # warga
    "no_registrasi": "No. Registrasi",
    "nik": "NIK (16 angka, boleh kosong)",
    "no_kk": "No. KK",
    "keluarga": "Keluarga (No. KK)",
    "no_kk_baru": "atau No. KK baru (16 angka)",
    "kepala_rumah_tangga": "Jadikan kepala rumah tangga",
    "nama": "Nama",
    "jenis_kelamin": "Jenis kelamin",
    "tempat_lahir": "Tempat lahir",
    "tanggal_lahir": "Tanggal lahir",
    "status_perkawinan": "Status perkawinan",
    "status_dalam_keluarga": "Status dalam keluarga",
    "agama": "Agama",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
    "akseptor_kb": "Akseptor KB",
    "jenis_kb": "Jenis KB",
    "aktif_posyandu": "Aktif dalam kegiatan posyandu",
    "ikut_bkb": "Mengikuti program Bina Keluarga Balita (BKB)",
    "memiliki_tabungan": "Memiliki tabungan",
    "kelompok_belajar": "Mengikuti kelompok belajar",
    "ikut_paud": "Mengikuti PAUD/sejenis",
    "ikut_koperasi": "Ikut dalam kegiatan koperasi",
    "berkebutuhan_khusus": "Berkebutuhan khusus",
    "tiga_buta": "Tiga buta (buta aksara/baca-tulis-hitung)",
    "menyusui": "Sedang menyusui",
    "akta_kelahiran": "Memiliki akta kelahiran",
    "kegiatan_pancasila": "Penghayatan dan Pengamalan Pancasila",
    "kegiatan_gotong_royong": "Gotong Royong (kerja bakti dan sejenisnya)",
    "kegiatan_pendidikan": "Pendidikan dan Keterampilan",
    "kegiatan_koperasi": "Pengembangan Kehidupan Berkoperasi",
    "kegiatan_pangan": "Pangan",
    "kegiatan_sandang": "Sandang",
    "kegiatan_kesehatan": "Kesehatan",
    "kegiatan_perencanaan_sehat": "Perencanaan Sehat",
    "ibu": "Ibu (warga dasawisma ini)",
    "tanggal_meninggal": "Tanggal meninggal",
    "sebab_meninggal": "Sebab meninggal",
    "tanggal_pindah": "Tanggal pindah",
    "pindah_ke": "Pindah ke (desa/kota tujuan, boleh kosong)",
    # kehamilan
    "tanggal_mulai": "Tanggal mulai hamil (diketahui hamil atau HPHT)",
    "hpl": "HPL (hari perkiraan lahir, boleh kosong)",
    "kek": "KEK (kurang energi kronis, LILA < 23,5 cm)",
    "tanggal_selesai": "Tanggal selesai",
    "hasil": "Hasil",
    "version": "Versi",
    # moves (dasawisma/services/pindah.py)
    "dasawisma": "Dasawisma",
    "rt": "RT",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs={"max": timezone.localdate().isoformat(), **(attrs or {})}, format="%Y-%m-%d")


class InvalidAwareBoundField(BoundField):
    """Adds Bootstrap's ``is-invalid`` to the widget of a field with errors (red border, and the
    ``invalid-feedback`` next to it shows). Read at render time, so service errors added after
    ``is_valid()`` count too."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            classes = (attrs.get("class") or (widget or self.field.widget).attrs.get("class") or "").split()
            if "is-invalid" not in classes:
                classes.append("is-invalid")
            attrs["class"] = " ".join(classes)
        return attrs


class PhoneFormMixin:
    """Bootstrap classes and phone-friendly inputs for every widget."""

    bound_field_class = InvalidAwareBoundField

    def style(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            w = field.widget
            if isinstance(w, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")
            if name in LABELS:
                field.label = LABELS[name]
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = "(tidak ada)" if not field.required else "(pilih)"
            elif isinstance(field, forms.ChoiceField) and isinstance(w, forms.Select):
                choices = list(field.choices)
                if choices and choices[0] == ("", "---------"):
                    field.choices = [("", "(pilih)"), *choices[1:]]


def _number_field(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=24,  # room for spaces and dots the service strips
        # data-no-draft: NIK and No. KK are never kept in the browser's drafts (UU 27/2022, shared PCs).
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": r"[0-9 .\-]*", "data-no-draft": "1"}
        ),
    )


# ---------------------------------------------------------------------------------------------------------


class RumahTanggaForm(PhoneFormMixin, forms.Form):
    sumber_air = forms.MultipleChoiceField(
        choices=[("pdam", "PDAM"), ("sumur", "Sumur"), ("sungai", "Sungai"), ("lainnya", "Lainnya")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Sumber air: pilih paling sedikit satu."},
    )

    def __init__(self, *args: Any, instance: RumahTangga | None = None, **kwargs: Any):
        if instance is not None and "initial" not in kwargs:
            initial = model_to_dict(instance, fields=RUMAH_TANGGA_FIELDS)
            initial["sumber_air"] = [f.removeprefix("sumber_air_") for f in SUMBER_AIR_FIELDS if initial.get(f)]
            initial["version"] = instance.version
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        fields = [f for f in RUMAH_TANGGA_FIELDS if f not in SUMBER_AIR_FIELDS]
        model_fields = fields_for_model(
            RumahTangga,
            fields=fields,
            widgets={"kriteria_rumah": forms.RadioSelect, "makanan_pokok": forms.RadioSelect},
            labels=LABELS,
        )
        model_fields["stiker_p4k"] = forms.NullBooleanField(
            label=LABELS["stiker_p4k"], required=False, widget=forms.NullBooleanSelect
        )
        model_fields["jumlah_jamban"].widget.attrs.update({"inputmode": "numeric", "min": 0})
        ordered = dict(model_fields)
        ordered["sumber_air"] = self.fields.pop("sumber_air")
        ordered.update(self.fields)
        self.fields = ordered
        if instance is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        self.style()

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in RUMAH_TANGGA_FIELDS}
        chosen = set(self.cleaned_data.get("sumber_air") or [])
        for f in SUMBER_AIR_FIELDS:
            data[f] = f.removeprefix("sumber_air_") in chosen
        data["kode"] = data.get("kode") or ""
        data["alamat"] = data.get("alamat") or ""
        return data


class KeluargaForm(PhoneFormMixin, forms.Form):
    no_kk = _number_field(LABELS["no_kk"] + " (16 angka)", required=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style()

    def clean_no_kk(self) -> str:
        return validate_no_kk(self.cleaned_data["no_kk"])


CREATE_ONLY = {"tanggal_meninggal", "sebab_meninggal", "tanggal_pindah"}


class WargaForm(PhoneFormMixin, forms.Form):
    """Create (``instance`` None) or edit a warga. The keluarga is picked among the household's No. KK,
    or a new No. KK is typed (create only)."""

    def __init__(self, *args: Any, rumah_tangga: RumahTangga, instance: Warga | None = None, **kwargs: Any):
        self.rumah_tangga = rumah_tangga
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            initial = model_to_dict(instance, fields=WARGA_FIELDS)
            initial["keluarga"] = instance.keluarga_id
            initial["version"] = instance.version
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        names = [f for f in WARGA_FIELDS if instance is not None or f not in CREATE_ONLY]
        model_fields = fields_for_model(
            Warga,
            fields=names,
            labels=LABELS,
            widgets={
                "jenis_kelamin": forms.RadioSelect,
                "status_perkawinan": forms.RadioSelect,
                "tanggal_lahir": DateInput,
                "tanggal_meninggal": DateInput,
                "tanggal_pindah": DateInput,
            },
        )
        model_fields["nik"] = _number_field(LABELS["nik"])
        oldest = timezone.localdate()
        model_fields["tanggal_lahir"].widget.attrs["min"] = f"{oldest.year - USIA_MAX:04d}-{oldest:%m}-01"
        model_fields["jenis_kelamin"].choices = JenisKelamin.choices
        model_fields["status_perkawinan"].choices = StatusPerkawinan.choices
        ibu_qs = (
            Warga.objects.filter(dasawisma_id=rumah_tangga.dasawisma_id, jenis_kelamin=JenisKelamin.P)
            .select_related("rumah_tangga", "rumah_tangga__kepala")
            .order_by("nama", "id")
        )
        if instance is not None:
            ibu_qs = ibu_qs.exclude(pk=instance.pk)
        model_fields["ibu"].queryset = ibu_qs
        model_fields["ibu"].label_from_instance = ibu_label  # type: ignore[attr-defined]
        model_fields["ibu"].required = False
        # A child under five is not asked pendidikan (stored as "tidak sekolah", see clean()).
        self.balita = _is_balita(self._raw_tanggal_lahir(instance))
        model_fields["pendidikan"].error_messages["required"] = "Pendidikan wajib dipilih."
        if self.balita:
            model_fields["pendidikan"].required = False
            model_fields["pendidikan"].widget = forms.HiddenInput()
        keluarga_qs = Keluarga.objects.filter(rumah_tangga=rumah_tangga).order_by("id")
        fields: dict[str, forms.Field] = {}
        fields["keluarga"] = forms.ModelChoiceField(
            queryset=keluarga_qs,
            required=instance is not None,
            label=LABELS["keluarga"],
            empty_label="(pilih No. KK)",
            widget=forms.Select,
        )
        fields["keluarga"].label_from_instance = lambda k: k.no_kk  # type: ignore[attr-defined]
        if instance is None:
            fields["no_kk_baru"] = _number_field(LABELS["no_kk_baru"])
        fields.update(model_fields)
        if instance is None:
            fields["kepala_rumah_tangga"] = forms.BooleanField(required=False, label=LABELS["kepala_rumah_tangga"])
        else:
            fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        self.fields = fields
        self.style()

    def _raw_tanggal_lahir(self, instance: Warga | None) -> Any:
        if self.is_bound:
            return self.data.get(self.add_prefix("tanggal_lahir"))
        return self.initial.get("tanggal_lahir") or (instance.tanggal_lahir if instance is not None else None)

    def clean_nik(self) -> str | None:
        return validate_nik(self.cleaned_data.get("nik"))

    def clean_no_kk_baru(self) -> str:
        value = self.cleaned_data.get("no_kk_baru")
        return validate_no_kk(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance is None and not data.get("keluarga") and not data.get("no_kk_baru"):
            if "no_kk_baru" not in self.errors:
                self.add_error("keluarga", "No. KK: pilih keluarga atau isi No. KK baru.")
        if "pendidikan" in self.fields and not data.get("pendidikan"):
            if _is_balita(data.get("tanggal_lahir")):
                data["pendidikan"] = Pendidikan.TIDAK_SEKOLAH
            elif "pendidikan" not in self.errors:
                self.add_error("pendidikan", "Pendidikan wajib dipilih.")
        return data

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in WARGA_FIELDS}
        for k in (
            "tempat_lahir",
            "pekerjaan",
            "jenis_kb",
            "kelompok_belajar",
            "berkebutuhan_khusus",
            "sebab_meninggal",
        ):
            if k in data and data[k] is None:
                data[k] = ""
        return data


class KepalaForm(PhoneFormMixin, forms.Form):
    kepala = forms.ModelChoiceField(
        queryset=Warga.objects.none(),
        widget=forms.RadioSelect,
        label=LABELS["kepala"],
        error_messages={"required": "Kepala rumah tangga: pilih salah satu warga."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, rumah_tangga: RumahTangga, **kwargs: Any):
        kwargs.setdefault("initial", {"kepala": rumah_tangga.kepala_id, "version": rumah_tangga.version})
        super().__init__(*args, **kwargs)
        self.fields["kepala"].queryset = Warga.objects.filter(
            rumah_tangga=rumah_tangga, tanggal_meninggal__isnull=True, tanggal_pindah__isnull=True
        ).order_by("id")
        self.style()


class MeninggalForm(PhoneFormMixin, forms.Form):
    tanggal_meninggal = forms.DateField(
        widget=DateInput,
        label=LABELS["tanggal_meninggal"],
        error_messages={"required": "Tanggal meninggal wajib diisi."},
    )
    sebab_meninggal = forms.CharField(required=False, max_length=120, label=LABELS["sebab_meninggal"])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style()


class PindahForm(PhoneFormMixin, forms.Form):
    tanggal_pindah = forms.DateField(
        widget=DateInput, label=LABELS["tanggal_pindah"], error_messages={"required": "Tanggal pindah wajib diisi."}
    )
    pindah_ke = forms.CharField(required=False, max_length=200, label=LABELS["pindah_ke"])
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style()


class KehamilanForm(PhoneFormMixin, forms.Form):
    tanggal_mulai = forms.DateField(
        widget=DateInput, label=LABELS["tanggal_mulai"], error_messages={"required": "Tanggal mulai wajib diisi."}
    )
    hpl = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label=LABELS["hpl"]
    )
    kek = forms.NullBooleanField(required=False, widget=forms.NullBooleanSelect, label=LABELS["kek"])

    def __init__(self, *args: Any, versioned: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if versioned:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)
        self.style()

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("tanggal_mulai", "hpl", "kek")}


class KehamilanSelesaiForm(PhoneFormMixin, forms.Form):
    tanggal_selesai = forms.DateField(
        widget=DateInput, label=LABELS["tanggal_selesai"], error_messages={"required": "Tanggal selesai wajib diisi."}
    )
    hasil = forms.ChoiceField(
        choices=HasilKehamilan.choices,
        widget=forms.RadioSelect,
        label=LABELS["hasil"],
        error_messages={"required": "Hasil wajib dipilih."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style()


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field where the form has it, else on top."""
    aliases = {"no_kk": "no_kk_baru", "tanggal_meninggal": "tanggal_meninggal", "sumber_air": "sumber_air"}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else aliases.get(field)
            target = target if target in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
