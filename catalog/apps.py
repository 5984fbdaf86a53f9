from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from offices.hooks import demo_seeders


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalogue")

    def ready(self):
        # Hooks of lower apps are filled at app loading (STYLE.md 12a). The app's own
        # modules import its models, so they load here, when the models are ready.
        from . import demo

        demo_seeders.register(demo.seed)
