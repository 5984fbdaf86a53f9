from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SoftcopiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "softcopies"
    verbose_name = _("Softcopy and scan requests")
