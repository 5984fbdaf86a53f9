from django.db import models
from django.utils.translation import gettext_lazy as _


class Service(models.TextChoices):
    """The four PST services. The codes are a contract (URLs, API, data)."""

    LIBRARY = "library", _("Library")
    CONSULTATION = "consultation", _("Statistical consultation")
    SALES = "sales", _("Sale of statistical products")
    RECOMMENDATION = "recommendation", _("Statistical recommendation")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")
