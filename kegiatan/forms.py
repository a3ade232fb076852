"""Forms of kegiatan: validate and normalize only (writes go through ``services``)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from pkk.forms import UnitPickerField
from pkk.photos import PhotosField

from .models import PROGRAM_CHOICES, PROGRAM_POKOK, Kegiatan, Pokja
from .selectors import LEVELS


def _name_the_field(form: forms.Form) -> None:
    """Messages that say which field is wrong (shown under the field and in the summary at the top)."""
    for field in form.fields.values():
        label = str(field.label or "")
        field.error_messages["required"] = f"{label}: wajib diisi."
        if "invalid" in field.error_messages:
            field.error_messages["invalid"] = f"{label}: isian tidak valid."
        if "invalid_choice" in field.error_messages:
            field.error_messages["invalid_choice"] = f"{label}: pilihan tidak tersedia."


class KegiatanForm(forms.ModelForm):
    foto = PhotosField(label="Foto kegiatan", help_text="Boleh beberapa foto sekaligus (JPEG, PNG atau WebP).")

    class Meta:
        model = Kegiatan
        fields = ["tanggal", "tempat", "pokja", "program_pokok", "judul", "uraian", "jumlah_peserta", "jabatan"]
        widgets = {
            "tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "uraian": forms.Textarea(attrs={"rows": 4}),
            "jumlah_peserta": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }
        labels = {"judul": "Judul kegiatan", "jabatan": "Jabatan pelapor"}
        help_texts = {
            "jabatan": "Jabatan Anda di TP PKK, misalnya Ketua Pokja IV (tercetak di Buku Kegiatan).",
            "program_pokok": "Kosongkan untuk Sekretariat / umum.",
        }

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program_pokok"].choices = [("", "—")] + PROGRAM_CHOICES
        self.fields["jabatan"].required = False
        self.fields["pokja"].choices = [("", "— pilih —")] + list(Pokja.choices)
        self.units = list(units or [])
        if len(self.units) > 1:  # an account that reports for more than one unit picks which
            self.fields["unit"] = forms.TypedChoiceField(
                label="TP PKK", choices=[(u.pk, u.label) for u in self.units], coerce=int
            )
            self.order_fields(["unit"])
        _name_the_field(self)

    def clean_tanggal(self) -> dt.date:
        tanggal = self.cleaned_data["tanggal"]
        if tanggal > timezone.localdate():
            raise forms.ValidationError("Tanggal: kegiatan yang dilaporkan tidak boleh bertanggal di masa depan.")
        if tanggal.year < 2000:
            raise forms.ValidationError("Tanggal: tahun sebelum 2000 tidak diterima.")
        return tanggal

    def clean(self):
        data = super().clean()
        pokja, program = data.get("pokja"), data.get("program_pokok")
        if pokja and pokja != Pokja.SEKRETARIAT and program is None:
            self.add_error("program_pokok", f"Program pokok: wajib diisi untuk {Pokja(pokja).label}.")
        elif pokja == Pokja.SEKRETARIAT and program is not None:
            self.add_error("program_pokok", "Program pokok: kosongkan untuk Sekretariat / umum.")
        elif pokja and program is not None and PROGRAM_POKOK[program][1] != pokja:
            name, owner = PROGRAM_POKOK[program]
            self.add_error(
                "program_pokok",
                f"Program pokok: „{program}. {name}“ termasuk {Pokja(owner).label}, bukan {Pokja(pokja).label}.",
            )
        return data

    def _post_clean(self) -> None:
        # The instance is validated by the service (full_clean with its unit and pelapor); the model's
        # constraint check here would run before unit/nama are set.
        pass

    def chosen_unit(self):
        if "unit" in self.fields:
            return next(u for u in self.units if u.pk == self.cleaned_data["unit"])
        return self.units[0] if self.units else None

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class KegiatanEditForm(KegiatanForm):
    hapus_foto = forms.TypedMultipleChoiceField(
        label="Hapus foto", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hapus_foto"].choices = [(f.pk, f"Foto {i}") for i, f in enumerate(self.instance.foto.all(), 1)]
        self.fields["hapus_foto"].error_messages["invalid_choice"] = (
            "Hapus foto: foto yang dipilih bukan milik kegiatan ini."
        )


class KegiatanFilterForm(forms.Form):
    """GET filters of the list: a unit (its subtree), a pokja, a month."""

    unit = forms.Field(required=False)  # replaced per user in __init__
    pokja = forms.ChoiceField(label="Pokja", required=False, choices=[("", "Semua pokja")] + list(Pokja.choices))
    bulan = forms.CharField(
        label="Bulan", required=False, widget=forms.DateInput(attrs={"type": "month", "placeholder": "2026-03"})
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitPickerField(user=user, levels=LEVELS, required=False, label="Wilayah")

    def clean_bulan(self) -> dt.date | None:
        raw = (self.cleaned_data.get("bulan") or "").strip()
        if not raw:
            return None
        try:
            return dt.datetime.strptime(raw, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError("Bulan: tulis sebagai TTTT-BB, misalnya 2026-03.")
