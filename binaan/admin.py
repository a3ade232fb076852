from django.contrib import admin

from .models import DesaBinaan, Kunjungan, Penetapan, PenetapanRiwayat, TindakLanjut


@admin.register(Penetapan)
class PenetapanAdmin(admin.ModelAdmin):
    list_display = ("tahun", "kabupaten", "nomor_sk", "tanggal_sk")


@admin.register(DesaBinaan)
class DesaBinaanAdmin(admin.ModelAdmin):
    list_display = ("desa", "penetapan", "pembina", "is_active")
    list_select_related = ("desa", "penetapan", "pembina")


@admin.register(PenetapanRiwayat)
class PenetapanRiwayatAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "aksi", "keterangan")


@admin.register(Kunjungan)
class KunjunganAdmin(admin.ModelAdmin):
    list_display = ("desa_binaan", "tanggal", "status")


@admin.register(TindakLanjut)
class TindakLanjutAdmin(admin.ModelAdmin):
    list_display = ("apa", "desa_binaan", "batas_waktu", "status")
