"""Kinds of raw-log exports and their formats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX (Excel)"
    PDF = "pdf", "PDF"


class ExportKind(models.TextChoices):
    """What a raw-log export holds; ``reports.exports.EXPORTS`` has one provider per kind."""

    VISITS = "visits", _("Walk-in visits")
    DOWNLOADS = "downloads", _("Reads and downloads")
    COMPLAINTS = "complaints", _("Complaints")
    # Added with their apps: "requests" (softcopies).
