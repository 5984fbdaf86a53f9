from django.contrib import admin

from history.admin import AuditedModelAdmin

from .models import ChannelSettings, Conversation, InboundMessage, Message


@admin.register(ChannelSettings)
class ChannelSettingsAdmin(AuditedModelAdmin):
    list_display = [
        "office",
        "mail_address",
        "imap_host",
        "whatsapp_phone_number_id",
        "instagram_account_id",
        "last_poll_at",
        "last_poll_error",
    ]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["pk", "office", "medium", "status", "complaint", "last_message_at"]
    list_filter = ["medium", "status"]
    raw_id_fields = ["contact", "complaint", "closed_by"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "office", "direction", "state", "notice_kind", "created_at", "error_code"]
    list_filter = ["direction", "state"]
    raw_id_fields = ["contact", "conversation", "author"]
    readonly_fields = ["external_id"]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["pk", "office", "medium", "state", "kind", "received_at", "raw_size"]
    list_filter = ["medium", "state", "kind"]
    exclude = ["raw"]
