import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    verbose_name = _("Reading and downloads")

    def ready(self):
        # PDF.js ships ES modules; browsers refuse them without a JavaScript MIME type.
        mimetypes.add_type("text/javascript", ".mjs")
