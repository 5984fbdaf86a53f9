from django.contrib import admin

from .models import Publication, PublicationEvent, SearchLog, Subject, SubjectCategory


@admin.register(SubjectCategory)
class SubjectCategoryAdmin(admin.ModelAdmin):
    list_display = ["bps_id", "title"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "bps_id"]
    list_filter = ["category"]
    search_fields = ["title"]


class PublicationEventInline(admin.TabularInline):
    model = PublicationEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-mostly: officers keep the catalogue in the back office, which indexes it."""

    list_display = ["title", "year", "office", "catalog_number", "visibility", "processing_state"]
    list_filter = ["visibility", "processing_state", "office"]
    search_fields = ["title", "catalog_number", "issn", "isbn"]
    readonly_fields = [f.name for f in Publication._meta.concrete_fields]
    inlines = [PublicationEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Withdraw a publication to draft instead: history, downloads and the index stay right.
        return False


@admin.register(SearchLog)
class SearchLogAdmin(admin.ModelAdmin):
    list_display = ["day", "office", "query", "result_count"]
    list_filter = ["office", "day"]
    search_fields = ["query"]
