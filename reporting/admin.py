"""Operators' admin for the reporting cycle settings that have no page of their own."""

from django.contrib import admin

from .models import AwalPelaporan


@admin.register(AwalPelaporan)
class AwalPelaporanAdmin(admin.ModelAdmin):
    """The first month a kabupaten reports (default: the setting PKK_REPORTING_START)."""

    list_display = ("kabupaten", "mulai")
    raw_id_fields = ("kabupaten",)
