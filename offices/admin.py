from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import LeaveDay


@admin.register(LeaveDay)
class LeaveDayAdmin(AuditedModelAdmin):
    list_display = ["date", "name", "office"]
    list_filter = ["office"]
    date_hierarchy = "date"
    search_fields = ["name"]
