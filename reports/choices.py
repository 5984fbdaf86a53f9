"""Kinds of raw-log exports and their formats."""

from django.db import models


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX (Excel)"


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX (Excel)"
    PDF = "pdf", "PDF"
