"""Forms of the desa binaan programme: they validate and normalize; services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from dasawisma.forms import PhoneFormMixin
from pkk.forms import UnitPickerField
from pkk.models import Level, Unit
from pkk.photos import MultiplePhotoInput, PhotosField

from .models import BukuWajib, FokusArea, FokusStatus, Kunjungan
from .services import KunjunganData, TindakLanjutBaru

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YA_TIDAK = [("ya", "Ya"), ("tidak", "Tidak")]


def _yn(value: str) -> bool | None:
    return {"ya": True, "tidak": False}.get(value or "")


def _yn_initial(value: bool | None) -> str:
    return "" if value is None else ("ya" if value else "tidak")


class PenetapanForm(PhoneFormMixin, forms.Form):
    tahun = forms.IntegerField(label="Tahun", min_value=2000, max_value=2100)
    nomor_sk = forms.CharField(label="Nomor SK", max_length=120)
    tanggal_sk = forms.DateField(label="Tanggal SK", widget=DATE)
    scan_sk = forms.FileField(
        label="Scan SK (PDF, tidak wajib)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["tahun"].disabled = True
        self.style()

    def clean_scan_sk(self):
        from .uploads import check_pdf

        f = self.cleaned_data.get("scan_sk")
        return check_pdf(f, field="Scan SK") if f else None


class DesaBinaanAddForm(PhoneFormMixin, forms.Form):
    def __init__(self, *args, user, kabupaten: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"] = UnitPickerField(user=user, levels=(Level.DESA,), within=kabupaten, label="Desa/kelurahan")
        self.fields["pembina"] = forms.ModelChoiceField(
            label="Kecamatan pembina (kosong: kecamatannya sendiri)",
            queryset=Unit.objects.subtree(kabupaten).filter(level=Level.KECAMATAN, is_active=True).order_by("name"),
            required=False,
            error_messages={"invalid_choice": "Kecamatan pembina tidak ditemukan di kabupaten ini."},
        )
        self.style()


class PembinaForm(PhoneFormMixin, forms.Form):
    def __init__(self, *args, kabupaten: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pembina"] = forms.ModelChoiceField(
            label="Kecamatan pembina",
            queryset=Unit.objects.subtree(kabupaten).filter(level=Level.KECAMATAN, is_active=True).order_by("name"),
            error_messages={"invalid_choice": "Kecamatan pembina tidak ditemukan di kabupaten ini."},
        )
        self.style()


class KunjunganBaruForm(PhoneFormMixin, forms.Form):
    tanggal = forms.DateField(label="Tanggal kunjungan", widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean_tanggal(self):
        d = self.cleaned_data["tanggal"]
        if d > timezone.localdate():
            raise forms.ValidationError("Tanggal kunjungan tidak boleh di masa depan.")
        return d


class KunjunganForm(PhoneFormMixin, forms.Form):
    """The whole visit on one phone page. Field names: ``fokus_<area>`` (+ ``_catatan``),
    ``buku_<buku>_ada`` / ``_mutakhir`` / ``_catatan``, follow-ups ``tl<i>_apa`` / ``_siapa`` / ``_batas``
    (``tl<i>_id`` for one already saved on this draft, ``tl<i>_hapus``), and ``selesai_<id>`` (+ ``_catatan``)
    for open follow-ups of earlier visits."""

    NEW_ROWS = 2

    tanggal = forms.DateField(label="Tanggal kunjungan", widget=DATE)
    tim = forms.ModelMultipleChoiceField(
        label="Anggota tim yang hadir (akun kecamatan)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Anggota tim bukan akun kecamatan ini."},
    )
    tim_lain = forms.CharField(
        label="Anggota tim lain (nama, satu per baris)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )

    def __init__(self, *args, kunjungan: Kunjungan, tim_qs, earlier, **kwargs):
        self.kunjungan = kunjungan
        self.earlier = list(earlier)
        own = list(kunjungan.tindak_lanjut.all().order_by("pk"))
        initial = {
            "tanggal": kunjungan.tanggal,
            "tim": list(kunjungan.tim.all()),
            "tim_lain": kunjungan.tim_lain,
            "catatan": kunjungan.catatan,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["tim"].queryset = tim_qs
        self.fokus_rows = []
        fokus = {f.area: f for f in kunjungan.fokus.all()}
        for area, label in FokusArea.choices:
            f = fokus.get(area)
            self.fields[f"fokus_{area}"] = forms.ChoiceField(
                label=label, choices=FokusStatus.choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"fokus_{area}_catatan"] = forms.CharField(
                label=f"Catatan {label}", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
            )
            if f is not None:
                self.initial[f"fokus_{area}"] = f.status
                self.initial[f"fokus_{area}_catatan"] = f.catatan
            self.fokus_rows.append(area)
        self.buku_rows = []
        buku = {b.buku: b for b in kunjungan.buku.all()}
        for key, label in BukuWajib.choices:
            b = buku.get(key)
            self.fields[f"buku_{key}_ada"] = forms.ChoiceField(
                label=f"{label}: ada?", choices=YA_TIDAK, required=False, widget=forms.RadioSelect
            )
            self.fields[f"buku_{key}_mutakhir"] = forms.ChoiceField(
                label="Mutakhir?", choices=YA_TIDAK, required=False, widget=forms.RadioSelect
            )
            self.fields[f"buku_{key}_catatan"] = forms.CharField(label="Catatan", required=False, max_length=300)
            if b is not None:
                self.initial[f"buku_{key}_ada"] = _yn_initial(b.ada)
                self.initial[f"buku_{key}_mutakhir"] = _yn_initial(b.mutakhir)
                self.initial[f"buku_{key}_catatan"] = b.catatan
            self.buku_rows.append((key, label))
        self.tl_rows = []
        for i, tl in enumerate([*own, *([None] * self.NEW_ROWS)]):
            p = f"tl{i}"
            self.fields[f"{p}_id"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
            self.fields[f"{p}_apa"] = forms.CharField(label="Tindak lanjut (apa)", required=False, max_length=300)
            self.fields[f"{p}_siapa"] = forms.CharField(
                label="Penanggung jawab (siapa)", required=False, max_length=150
            )
            self.fields[f"{p}_batas"] = forms.DateField(label="Batas waktu", required=False, widget=DATE)
            self.fields[f"{p}_hapus"] = forms.BooleanField(label="Hapus", required=False)
            if tl is not None:
                self.initial.update(
                    {f"{p}_id": tl.pk, f"{p}_apa": tl.apa, f"{p}_siapa": tl.siapa, f"{p}_batas": tl.batas_waktu}
                )
            self.tl_rows.append(p)
        for tl in self.earlier:
            self.fields[f"selesai_{tl.pk}"] = forms.BooleanField(label="Sudah selesai", required=False)
            self.fields[f"selesai_{tl.pk}_catatan"] = forms.CharField(label="Catatan", required=False, max_length=500)
            if tl.selesai_di_kunjungan_id == kunjungan.pk:
                self.initial[f"selesai_{tl.pk}"] = True
                self.initial[f"selesai_{tl.pk}_catatan"] = tl.selesai_catatan
        self.fields["catatan"] = forms.CharField(
            label="Catatan umum kunjungan", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.style()

    def clean(self):
        data = super().clean()
        for p in self.tl_rows:
            apa, siapa, batas = data.get(f"{p}_apa"), data.get(f"{p}_siapa"), data.get(f"{p}_batas")
            if data.get(f"{p}_hapus") or not (apa or siapa or batas or data.get(f"{p}_id")):
                continue
            if not apa:
                self.add_error(f"{p}_apa", "Tindak lanjut: tuliskan apa yang harus dilakukan.")
            if not siapa:
                self.add_error(f"{p}_siapa", "Tindak lanjut: isi penanggung jawabnya.")
            if not batas:
                self.add_error(f"{p}_batas", "Tindak lanjut: isi batas waktu (tanggal).")
        return data

    def to_data(self) -> KunjunganData:
        d = self.cleaned_data
        tl = []
        for p in self.tl_rows:
            pk = d.get(f"{p}_id")
            if not (d.get(f"{p}_apa") or pk):
                continue
            tl.append(
                TindakLanjutBaru(
                    apa=d.get(f"{p}_apa") or "",
                    siapa=d.get(f"{p}_siapa") or "",
                    batas_waktu=d.get(f"{p}_batas") or dt.date.today(),
                    pk=pk,
                    hapus=bool(d.get(f"{p}_hapus")),
                )
            )
        return KunjunganData(
            tanggal=d["tanggal"],
            tim=list(d.get("tim") or []),
            tim_lain=d.get("tim_lain") or "",
            catatan=d.get("catatan") or "",
            fokus={a: (d.get(f"fokus_{a}") or "", d.get(f"fokus_{a}_catatan") or "") for a in self.fokus_rows},
            buku={
                k: (_yn(d.get(f"buku_{k}_ada")), _yn(d.get(f"buku_{k}_mutakhir")), d.get(f"buku_{k}_catatan") or "")
                for k, _ in self.buku_rows
            },
            tindak_lanjut=tl,
            tandai_selesai={
                t.pk: d.get(f"selesai_{t.pk}_catatan") or "" for t in self.earlier if d.get(f"selesai_{t.pk}")
            },
        )

    # Template helpers: bound fields grouped per section.
    def fokus_fields(self):
        return [(self[f"fokus_{a}"], self[f"fokus_{a}_catatan"]) for a in self.fokus_rows]

    def buku_fields(self):
        return [
            (label, self[f"buku_{k}_ada"], self[f"buku_{k}_mutakhir"], self[f"buku_{k}_catatan"])
            for k, label in self.buku_rows
        ]

    def tl_fields(self):
        return [
            (self[f"{p}_id"], self[f"{p}_apa"], self[f"{p}_siapa"], self[f"{p}_batas"], self[f"{p}_hapus"])
            for p in self.tl_rows
        ]

    def earlier_fields(self):
        return [(t, self[f"selesai_{t.pk}"], self[f"selesai_{t.pk}_catatan"]) for t in self.earlier]


class FotoForm(forms.Form):
    """One or several photos per submit (``pkk.photos.PhotosField``: each checked and resized)."""

    foto = PhotosField(label="Foto", required=True, widget=MultiplePhotoInput(attrs={"class": "form-control"}))
    keterangan = forms.CharField(
        label="Keterangan foto", required=False, max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class TindakLanjutAnswerForm(PhoneFormMixin, forms.Form):
    tanggal = forms.DateField(label="Tanggal dilaksanakan", widget=DATE)
    catatan = forms.CharField(
        label="Apa yang sudah dilaksanakan",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Tuliskan apa yang sudah dilaksanakan."},
    )
    foto = forms.FileField(
        label="Foto bukti (tidak wajib)", required=False, widget=forms.ClearableFileInput(attrs={"accept": "image/*"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()

    def clean_foto(self):
        from .uploads import check_image

        f = self.cleaned_data.get("foto")
        return check_image(f, field="Foto bukti") if f else None


class TindakLanjutReopenForm(PhoneFormMixin, forms.Form):
    alasan = forms.CharField(
        label="Alasan dibuka kembali",
        max_length=500,
        error_messages={"required": "Tuliskan alasan tindak lanjut dibuka kembali."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()
