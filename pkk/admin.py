from django.contrib import admin

from .models import PengurusTpPkk, PersonalDataExportLog, RoleAssignment, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "kind", "code", "parent", "is_active")
    list_filter = ("level", "kind", "is_active")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)  # 90,000+ units: never a select list
    readonly_fields = ("path", "created_at", "updated_at")
    list_select_related = ("parent",)
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False  # units are deactivated, never deleted


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "is_active", "created_by", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "unit__name", "unit__code")
    raw_id_fields = ("user", "unit", "created_by")
    list_select_related = ("user", "unit", "created_by")


@admin.register(PersonalDataExportLog)
class PersonalDataExportLogAdmin(admin.ModelAdmin):
    list_display = ("at", "username", "what", "unit", "row_count", "channel")
    list_filter = ("channel", "what")
    search_fields = ("username", "what", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PengurusTpPkk)
class PengurusTpPkkAdmin(admin.ModelAdmin):
    list_display = ("unit", "ketua", "sekretaris", "updated_at")
    search_fields = ("unit__name", "ketua", "sekretaris")
    raw_id_fields = ("unit",)


def _superusers_only(request) -> bool:
    """Django's admin is the operators' tool: superusers only. A staff flag given to a unit account by
    mistake opens nothing (the admin bypasses the unit scope)."""
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superusers_only
