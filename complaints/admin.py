from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import Complaint, ComplaintEvent, ComplaintPolicy

# The complainant's identity (contact_* fields, account) is left out of the admin on
# purpose: it is for the office's complaint officers, in the back office, only.
IDENTITY_FIELDS = ["complainant", "contact_name", "contact_email", "contact_whatsapp"]


@admin.register(ComplaintPolicy)
class ComplaintPolicyAdmin(AuditedModelAdmin):
    list_display = ["office", "light_days", "normal_days", "investigation_days", "audit_days"]


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "office", "channel", "status", "received_at", "due_date"]
    list_filter = ["office", "channel", "status", "category"]
    search_fields = ["tracking_code", "lapor_number"]
    exclude = IDENTITY_FIELDS
    readonly_fields = [
        "tracking_code",
        "status",
        "received_at",
        "due_date",
        "verified_at",
        "answered_at",
        "closed_at",
        "target_working_days",
        "assignee",
        "created_by",
    ]
    inlines = [EventInline]

    # Read-only: every change goes through the back office, which records who and when.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
