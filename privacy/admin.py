from django.contrib import admin

from accounts.models import Consent
from history.admin import AuditedModelAdmin

from .models import Breach, DataRequest, PrivacySettings


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(AuditedModelAdmin):
    audit_hidden_fields = ("dpo_name", "dpo_email", "dpo_phone")


admin.site.register(Consent)
admin.site.register(DataRequest)
admin.site.register(Breach)
