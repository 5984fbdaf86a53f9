from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "channels"
    verbose_name = _("Channels: e-mail, WhatsApp and Instagram")

    def ready(self):
        # The lower apps call these names (core.hooks); the channels answer them.
        from core import hooks

        from . import health, notices

        hooks.register("complaints.notify_complainant", notices.on_complaint_event)
        hooks.register("complaints.detail_panels", notices.complaint_panel)
        hooks.register("notices.offer", notices.offer_notice)
        hooks.register("visits.ticket_called", notices.on_ticket_called)
        hooks.register("visits.ticket_panels", notices.ticket_panel)
        hooks.register("ops.health_checks", health.checks)
