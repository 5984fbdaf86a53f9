from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import ExportLog, ReportSettings


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "office",
        "actor",
        "kind",
        "file_format",
        "with_personal_data",
        "row_count",
    ]
    list_filter = ["office", "kind", "with_personal_data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportSettings)
class ReportSettingsAdmin(AuditedModelAdmin):
    list_display = ["office", "publish_statistics", "updated_at", "updated_by"]
