from django.db import models
from django.utils.translation import gettext_lazy as _


class DataRequestKind(models.TextChoices):
    ACCESS = "access", _("See or export my data")
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")
    WITHDRAW = "withdraw", _("Withdraw my consent")


class DataRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
