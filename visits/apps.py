from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offices.hooks import demo_seeders, home_panels


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Walk-in visits")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a). The app's own
        # modules import its models, so they load here, when the models are ready.
        from . import demo, services

        demo_seeders.register(demo.seed)
        home_panels.register(services.home_panel)
