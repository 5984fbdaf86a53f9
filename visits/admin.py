from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import (
    Device,
    GuestBookEntry,
    LockerAssignment,
    QueueTicket,
    ServiceRecord,
    Visit,
    VisitEvent,
)


@admin.register(Device)
class DeviceAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "office", "last_seen_at", "revoked_at"]
    list_filter = ["kind", "office"]
    readonly_fields = ["digest", "last_seen_at", "revoked_at", "created_by"]


@admin.register(QueueTicket)
class QueueTicketAdmin(admin.ModelAdmin):
    list_display = ["number", "office", "day", "service", "priority", "status", "counter"]
    list_filter = ["office", "status", "service", "day"]
    readonly_fields = [f.name for f in QueueTicket._meta.fields]


class GuestBookInline(admin.StackedInline):
    model = GuestBookEntry
    can_delete = False
    readonly_fields = [
        "full_name",
        "email",
        "phone",
        "card_type",
        "services",
        "purpose",
        "created_at",
        "created_by",
    ]


class LockerInline(admin.TabularInline):
    model = LockerAssignment
    extra = 0
    readonly_fields = [
        "locker",
        "card_type",
        "holder_name",
        "assigned_at",
        "assigned_by",
        "returned_at",
        "returned_by",
    ]


class RecordInline(admin.TabularInline):
    model = ServiceRecord
    extra = 0
    readonly_fields = ["kind", "quantity", "item", "officer", "recorded_at"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = [
        "visitor",
        "office",
        "day",
        "service",
        "guest_book_at",
        "service_started_at",
        "checked_out_at",
    ]
    list_filter = ["office", "day", "service"]
    inlines = [GuestBookInline, LockerInline, RecordInline]
    readonly_fields = [
        "ticket",
        "visitor",
        "guest_book_at",
        "service_started_at",
        "finished_at",
        "checked_out_at",
    ]


@admin.register(VisitEvent)
class VisitEventAdmin(admin.ModelAdmin):
    list_display = ["at", "office", "action", "actor", "ticket", "visit"]
    list_filter = ["office", "action"]
    readonly_fields = [f.name for f in VisitEvent._meta.fields]
