from django.urls import path, re_path

from .views import office, public, webhook

app_name = "channels"

urlpatterns = [
    # Meta (WhatsApp Cloud API and Instagram messaging) posts here; a plain view, no session.
    path("webhooks/meta", webhook.meta_webhook, name="meta-webhook"),
    path("tickets/<int:pk>/whatsapp/", public.ticket_watch, name="ticket-watch"),
    path("office/<str:code>/messages/", office.conversation_list, name="conversation-list"),
    path("office/<str:code>/messages/set-aside/", office.inbound_list, name="inbound-list"),
    re_path(
        r"^office/(?P<code>[^/]+)/messages/set-aside/(?P<pk>\d+)/(?P<action>process|as-person)/$",
        office.inbound_action,
        name="inbound-action",
    ),
    path(
        "office/<str:code>/messages/sent/<int:pk>/retry/",
        office.message_retry,
        name="message-retry",
    ),
    path(
        "office/<str:code>/messages/<int:pk>/",
        office.conversation_detail,
        name="conversation-detail",
    ),
    re_path(
        r"^office/(?P<code>[^/]+)/messages/(?P<pk>\d+)/(?P<action>reply|convert|close|reopen)/$",
        office.conversation_action,
        name="conversation-action",
    ),
    path(
        "office/<str:code>/messages/<int:pk>/files/<int:attachment_pk>/",
        office.attachment_download,
        name="attachment-download",
    ),
    path("office/<str:code>/channels/", office.settings_edit, name="settings"),
    path("office/<str:code>/channels/check/", office.mailbox_check, name="mailbox-check"),
]
