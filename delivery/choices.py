from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a stamped copy left the server."""

    READ = "read", _("Read online")
    DOWNLOAD = "download", _("Downloaded")
    DELIVERED = "delivered", _("Delivered by an officer")
