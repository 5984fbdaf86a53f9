from django.contrib import admin

from .models import LeaveDay


@admin.register(LeaveDay)
class LeaveDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "office"]
    list_filter = ["office"]
    date_hierarchy = "date"
    search_fields = ["name"]
