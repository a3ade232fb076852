"""Operators' view of dasawisma data. Read-only: every write goes through ``services`` (audit + outbox)."""

from django.contrib import admin

from .models import DasawismaChange, Kehamilan, Keluarga, Riwayat, RumahTangga, Warga


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RumahTangga)
class RumahTanggaAdmin(ReadOnlyAdmin):
    list_display = ["id", "kode", "dasawisma", "kepala", "updated_at"]
    list_select_related = ["dasawisma", "kepala"]
    search_fields = ["kode", "alamat"]
    raw_id_fields = ["dasawisma", "kepala"]


@admin.register(Keluarga)
class KeluargaAdmin(ReadOnlyAdmin):
    list_display = ["id", "no_kk", "rumah_tangga"]
    raw_id_fields = ["rumah_tangga"]


@admin.register(Warga)
class WargaAdmin(ReadOnlyAdmin):
    list_display = ["id", "no_registrasi", "nama", "jenis_kelamin", "tanggal_lahir", "dasawisma"]
    list_select_related = ["dasawisma"]
    search_fields = ["no_registrasi", "nama"]
    raw_id_fields = ["dasawisma", "rumah_tangga", "keluarga", "ibu"]
    exclude = ["nik"]  # personal data stays on the scoped record page


@admin.register(Kehamilan)
class KehamilanAdmin(ReadOnlyAdmin):
    list_display = ["id", "warga", "tanggal_mulai", "tanggal_selesai", "hasil"]
    list_select_related = ["warga"]
    raw_id_fields = ["warga", "dasawisma"]


@admin.register(Riwayat)
class RiwayatAdmin(ReadOnlyAdmin):
    list_display = ["id", "model", "object_id", "aksi", "actor", "at"]
    list_filter = ["model", "aksi"]


@admin.register(DasawismaChange)
class DasawismaChangeAdmin(ReadOnlyAdmin):
    list_display = ["id", "dasawisma", "since", "created_at"]
