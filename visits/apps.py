from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Walk-in visits")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a); importing the
        # app's modules here, not at the top, is Django's own order of loading.
        from offices.hooks import demo_seeders, home_panels

        from . import demo, services

        demo_seeders.register(demo.seed)
        home_panels.register(services.home_panel)
