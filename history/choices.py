from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The kind of a central audit line (what a data-protection officer filters on)."""

    REVEAL = "reveal", _("Revealed personal data")
    EXPORT = "export", _("Exported data")
    SETTINGS = "settings", _("Changed settings")
    STATE = "state", _("Changed a record's state")
    DATA_REQUEST = "data_request", _("Handled a data-subject request")
    DELETION = "deletion", _("Deleted or pseudonymised personal data")
    BREACH = "breach", _("Recorded a data breach")
    RETENTION = "retention", _("Applied the retention periods")
    CONSENT = "consent", _("Gave or withdrew consent")
