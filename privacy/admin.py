from django.contrib import admin

from .models import AuditEvent, Breach, Consent, DataRequest, PrivacySettings


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


admin.site.register(PrivacySettings)
admin.site.register(Consent)
admin.site.register(DataRequest)
admin.site.register(Breach)
