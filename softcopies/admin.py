from django.contrib import admin

from .models import Fulfilment, InternalNote, Notification, RequestEvent, SoftcopyRequest


class EventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "status", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SoftcopyRequest)
class SoftcopyRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change only through the officer pages (services.py)."""

    list_display = ["number", "office", "kind", "status", "user", "created_at", "due_date"]
    list_filter = ["office", "status", "kind", "channel"]
    search_fields = ["number", "user__email", "description"]
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["to", "subject", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state"]
    readonly_fields = ["request", "to", "subject", "body", "attempts", "last_error", "sent_at"]


admin.site.register(Fulfilment)
admin.site.register(InternalNote)
