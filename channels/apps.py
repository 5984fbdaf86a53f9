from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts import hooks as account_hooks
from complaints import hooks as complaint_hooks
from visits import hooks as visit_hooks


class ChannelsConfig(AppConfig):
    name = "channels"
    verbose_name = _("Channels: e-mail, WhatsApp and Instagram")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a). The app's own
        # modules import its models, so they load here, when the models are ready.
        from . import notices

        complaint_hooks.notify_complainant.register(notices.on_complaint_event)
        complaint_hooks.detail_panels.register(notices.complaint_panel)
        account_hooks.offer_notice.register(notices.offer_notice)
        visit_hooks.ticket_called.register(notices.on_ticket_called)
        visit_hooks.ticket_panels.register(notices.ticket_panel)
