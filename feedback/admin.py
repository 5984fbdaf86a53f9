from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import SurveyInvitation, SurveyResponse, SurveySettings, SurveySettingsChange


@admin.register(SurveySettings)
class SurveySettingsAdmin(AuditedModelAdmin):
    list_display = ["office", "anonymous", "link_days", "publish_summary", "updated_at"]


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["office", "channel", "service", "created_at", "expires_at", "answered_at"]
    list_filter = ["office", "channel", "service"]
    raw_id_fields = ["user", "served_by"]
    readonly_fields = ["source_type", "source_id", "answered_at", "emailed_at"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Read-only: answers are never edited by hand."""

    list_display = ["office", "service", "channel", "day", "overall"]
    list_filter = ["office", "service", "channel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SurveySettingsChange)
class SurveySettingsChangeAdmin(admin.ModelAdmin):
    list_display = ["office", "changed_at", "changed_by"]
    readonly_fields = ["office", "changed_at", "changed_by", "before", "after"]
