from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    REVEAL = "reveal", _("Revealed personal data")
    EXPORT = "export", _("Exported data")
    SETTINGS = "settings", _("Changed settings")
    STATE = "state", _("Changed a record's state")
    DATA_REQUEST = "data_request", _("Handled a data-subject request")
    DELETION = "deletion", _("Deleted or pseudonymised personal data")
    BREACH = "breach", _("Recorded a data breach")
    RETENTION = "retention", _("Applied the retention periods")
    CONSENT = "consent", _("Gave or withdrew consent")


class ConsentPurpose(models.TextChoices):
    ACCOUNT = "account", _("Account and online library services")
    GUEST_BOOK = "guest_book", _("Guest book of a walk-in visit")
    SURVEY_EMAIL = "survey_email", _("Satisfaction survey invitations by e-mail")
    WHATSAPP_NOTICES = "whatsapp_notices", _("Notices on WhatsApp")


# Purposes a user may give or withdraw at any time without losing a service.
OPTIONAL_PURPOSES = (ConsentPurpose.SURVEY_EMAIL, ConsentPurpose.WHATSAPP_NOTICES)
# Purposes that need the phone number of the account.
PHONE_PURPOSES = (ConsentPurpose.WHATSAPP_NOTICES,)


class DataRequestKind(models.TextChoices):
    ACCESS = "access", _("See or export my data")
    CORRECTION = "correction", _("Correct my data")
    DELETION = "deletion", _("Delete my data")
    WITHDRAW = "withdraw", _("Withdraw my consent")


class DataRequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
