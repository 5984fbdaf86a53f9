from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a); importing the
        # app's modules here, not at the top, is Django's own order of loading.
        from offices.hooks import demo_seeders

        from . import demo

        demo_seeders.register(demo.seed)
