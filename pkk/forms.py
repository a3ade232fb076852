"""Forms for the unit tree and accounts. They validate and normalize only; writes go through services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse

from .models import ALLOWED_PARENT, ROLE_LEVELS, Level, PengurusTpPkk, Role, Unit
from .scope import accessible_units


class UnitPickerWidget(forms.Widget):
    """A search box that asks ``wilayah:unit_search`` (htmx) for at most 20 matches inside the user's
    scope; picking one fills a hidden input with the unit id. Without JavaScript the "Cari" link opens
    the plain search page, whose results link back here with ``?<field>=<id>``."""

    template_name = "pkk/widgets/unit_picker.html"

    def __init__(self, *, levels: tuple[str, ...] = (), attrs=None):
        super().__init__(attrs)
        self.levels = tuple(levels)
        self.queryset = Unit.objects.none()  # set by UnitPickerField to the user's scope

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = None
        if value not in (None, ""):
            try:
                selected = self.queryset.select_related("parent").filter(pk=int(value)).first()
            except (TypeError, ValueError):
                selected = None
        search_url = reverse("wilayah:unit_search")
        context["widget"].update(
            {
                "selected": selected,
                "search_url": search_url,
                "level_param": ",".join(self.levels),
                "results_id": f"{attrs.get('id', name) if attrs else name}-results",
                "next_url": getattr(self, "next_url", ""),  # set by the view for the no-JS search page
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project template (templates/pkk/widgets/) is not visible to the default form renderer.
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_from_datadict(self, data, files, name):
        return data.get(name) or None


class UnitPickerField(forms.ModelChoiceField):
    widget = UnitPickerWidget

    def __init__(self, *, user, levels: tuple[str, ...] = (), within: Unit | None = None, **kwargs):
        qs = accessible_units(user).filter(is_active=True)
        if within is not None:
            qs = qs.subtree(within)
        if levels:
            qs = qs.filter(level__in=levels)
        kwargs.setdefault("widget", UnitPickerWidget(levels=levels))
        kwargs.setdefault("error_messages", {"invalid_choice": "Wilayah tidak ditemukan di wilayah Anda."})
        super().__init__(queryset=qs, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)


class UnitSearchForm(forms.Form):
    q = forms.CharField(label="Cari wilayah (nama atau kode)", required=False, max_length=60)
    level = forms.CharField(required=False, max_length=60, widget=forms.HiddenInput)
    field = forms.SlugField(required=False, max_length=40, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def clean_level(self) -> list[str]:
        raw = self.cleaned_data.get("level") or ""
        levels = [lv for lv in raw.split(",") if lv]
        valid = {c.value for c in Level}
        bad = [lv for lv in levels if lv not in valid]
        if bad:
            raise forms.ValidationError(f"Tingkat wilayah tidak dikenal: {', '.join(bad)}.")
        return levels

    def clean_next(self) -> str:
        from django.utils.http import url_has_allowed_host_and_scheme

        nxt = self.cleaned_data.get("next") or ""
        return nxt if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) and nxt.startswith("/") else ""


CHILD_LEVELS: dict[str, tuple[str, ...]] = {
    Level.DESA: (Level.DUSUN, Level.RW),
    Level.DUSUN: (Level.RW,),
    Level.RW: (Level.RT,),
    Level.RT: (Level.DASAWISMA,),
}
STRUCTURE_LEVELS = (Level.DUSUN, Level.RW, Level.RT, Level.DASAWISMA)
NUMBERED_LEVELS = (Level.RW, Level.RT)


class UnitCreateForm(forms.Form):
    level = forms.ChoiceField(label="Tingkat")
    name = forms.CharField(
        label="Nama / nomor",
        max_length=120,
        help_text="Dusun/dasawisma: nama (mis. Krajan, Mawar). RW/RT: nomor (mis. 01).",
    )

    def __init__(self, *args, parent: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        levels = CHILD_LEVELS.get(parent.level, ())
        self.fields["level"].choices = [(lv, Level(lv).label) for lv in levels]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]
        if levels and all(lv in NUMBERED_LEVELS for lv in levels):
            self.fields["name"].label = "Nomor"
            self.fields["name"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]*"})

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Nama wajib diisi.")
        return name

    def clean(self):
        data = super().clean()
        _clean_unit_name(self, level=data.get("level"), parent=self.parent, exclude_pk=None)
        return data


class UnitRenameForm(forms.Form):
    name = forms.CharField(label="Nama / nomor baru", max_length=120)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit is not None and unit.level in NUMBERED_LEVELS:
            self.fields["name"].label = f"Nomor {Level(unit.level).label} baru"
            self.fields["name"].widget.attrs.update({"inputmode": "numeric", "pattern": "[0-9]*"})

    def clean(self):
        data = super().clean()
        if self.unit is not None and self.unit.parent_id:
            _clean_unit_name(self, level=self.unit.level, parent=self.unit.parent, exclude_pk=self.unit.pk)
        return data


def _clean_unit_name(form: forms.Form, *, level: str | None, parent: Unit, exclude_pk: int | None) -> None:
    """RW/RT: a number, stored normalized ("01"); any level: no active sibling with the same name."""
    from django.core.exceptions import ValidationError

    from .services import sibling_clash, unit_number

    name = form.cleaned_data.get("name")
    if not name or not level:
        return
    if level in NUMBERED_LEVELS:
        try:
            name = unit_number(level, name)
        except ValidationError as exc:
            form.add_error("name", exc.message_dict["name"])
            return
        form.cleaned_data["name"] = name
    clash = sibling_clash(parent=parent, level=level, name=name, exclude_pk=exclude_pk)
    if clash:
        form.add_error("name", clash)


class UnitMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label="Pindah ke", queryset=Unit.objects.none(), error_messages={"invalid_choice": "Pilihan tujuan tidak sah."}
    )

    def __init__(self, *args, unit: Unit, desa: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        # A desa holds a handful of RW: a plain select is fine here (the big lists use the picker).
        self.fields["new_parent"].queryset = (
            Unit.objects.subtree(desa)
            .filter(level__in=ALLOWED_PARENT[unit.level], is_active=True)
            .exclude(pk=unit.parent_id)
            .exclude(path__startswith=unit.path)
            .select_related("parent")
            .order_by("path")
        )
        self.fields["new_parent"].label_from_instance = lambda u: (
            f"{u} ({u.parent})" if u.parent_id and u.parent.level != Level.DESA else str(u)
        )


def role_choices_for(viewer_roles: set[str], *, is_global: bool = False) -> list[tuple[str, str]]:
    if is_global or Role.ADMIN_KABUPATEN in viewer_roles:
        return list(Role.choices)
    if Role.TP_PKK_DESA in viewer_roles:
        return [(Role.KADER.value, Role.KADER.label)]
    return []


class AccountCreateForm(forms.Form):
    username = forms.RegexField(
        label="Nama pengguna",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Nama pengguna hanya boleh huruf, angka dan . @ + - _ (tanpa spasi)."},
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    name = forms.CharField(label="Nama lengkap", max_length=150)
    password1 = forms.CharField(label="Kata sandi", strip=False, widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label="Ulangi kata sandi", strip=False, widget=forms.PasswordInput)
    role = forms.ChoiceField(label="Peran")

    def __init__(self, *args, viewer, role_choices, unit_within: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices
        if len(role_choices) == 1:
            self.fields["role"].initial = role_choices[0][0]
        levels = sorted({lv for r, _ in role_choices for lv in ROLE_LEVELS[r]}, key=lambda lv: Level.values.index(lv))
        self.fields["unit"] = UnitPickerField(
            user=viewer, levels=tuple(levels), within=unit_within, label="Wilayah tugas"
        )

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "Kata sandi: kedua isian tidak sama.")
        elif p1:
            from django.contrib.auth import get_user_model

            try:
                password_validation.validate_password(
                    p1, get_user_model()(username=data.get("username", ""), first_name=data.get("name", ""))
                )
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        role, unit = data.get("role"), data.get("unit")
        if role and unit and unit.level not in ROLE_LEVELS[role]:
            levels = ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[role])
            self.add_error("unit", f"Wilayah tugas: peran {Role(role).label} harus pada tingkat {levels}.")
        return data


class PengurusTpPkkForm(forms.ModelForm):
    """Names of the unit's ketua and sekretaris TP PKK, as printed under the signature lines."""

    class Meta:
        model = PengurusTpPkk
        fields = ["ketua", "sekretaris"]
        labels = {"ketua": "Nama ketua", "sekretaris": "Nama sekretaris"}
        help_texts = {
            "ketua": "Dengan gelar bila ada, mis. Hj. Fatimah, S.Pd. Kosongkan bila belum ada.",
            "sekretaris": "Kosongkan bila belum ada.",
        }


class AccountUpdateForm(forms.Form):
    """Name, and the role and unit of the account's one assignment (when it has exactly one)."""

    name = forms.CharField(
        label="Nama lengkap", max_length=150, error_messages={"required": "Nama lengkap wajib diisi."}
    )

    def __init__(self, *args, viewer, role_choices, unit_within: Unit | None = None, with_assignment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_assignment:
            return
        self.fields["role"] = forms.ChoiceField(label="Peran", choices=role_choices)
        if len(role_choices) == 1:
            self.fields["role"].widget = forms.HiddenInput()
        levels = sorted({lv for r, _ in role_choices for lv in ROLE_LEVELS[r]}, key=lambda lv: Level.values.index(lv))
        self.fields["unit"] = UnitPickerField(
            user=viewer, levels=tuple(levels), within=unit_within, label="Wilayah tugas"
        )

    def clean(self):
        data = super().clean()
        role, unit = data.get("role"), data.get("unit")
        if role and unit and unit.level not in ROLE_LEVELS[role]:
            levels = ", ".join(str(Level(lv).label) for lv in ROLE_LEVELS[role])
            self.add_error("unit", f"Wilayah tugas: peran {Role(role).label} harus pada tingkat {levels}.")
        return data
