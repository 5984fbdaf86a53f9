from django.contrib import admin

from .choices import AuditAction
from .log import changes, label, record
from .models import AuditEvent


class AuditedModelAdmin(admin.ModelAdmin):
    """For settings edited in the admin: each save or delete is a SETTINGS line."""

    audit_hidden_fields = ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        detail = changes(form, hidden=self.audit_hidden_fields) if change else "added"
        self._audit(request, obj, f"admin: {detail}")

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        self._audit(request, obj, "admin: deleted", pk=pk)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def _audit(self, request, obj, detail, pk=None):
        record(
            label(obj, pk if pk is not None else obj.pk),
            AuditAction.SETTINGS,
            actor=request.user,
            office=getattr(obj, "office_id", None),
            detail=detail,
        )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "office", "action", "target", "ip_address"]
    list_filter = ["action", "office"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
