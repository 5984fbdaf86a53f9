from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import DeliveryRecord, DownloadPolicy, PreparedCopy


@admin.register(DownloadPolicy)
class DownloadPolicyAdmin(AuditedModelAdmin):
    list_display = ["office", "downloads_per_hour", "downloads_per_day", "keep_pdf_permissions"]


@admin.register(PreparedCopy)
class PreparedCopyAdmin(admin.ModelAdmin):
    list_display = ["publication", "size", "prepared_at"]
    readonly_fields = ["publication", "source_name", "file", "size", "prepared_at", "notes"]
    exclude = ["plan"]


@admin.register(DeliveryRecord)
class DeliveryRecordAdmin(admin.ModelAdmin):
    list_display = ["trace_code", "channel", "publication", "user", "created_at", "bytes_served"]
    list_filter = ["channel", "office"]
    search_fields = ["trace_code", "user__email", "publication__title"]
    readonly_fields = [f.name for f in DeliveryRecord._meta.fields]
