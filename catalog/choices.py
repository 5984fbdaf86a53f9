from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class AccessLevel(models.TextChoices):
    """How the softcopy may leave the library (the delivery app enforces it)."""

    DOWNLOADABLE = "downloadable", _("Read online and download")
    READ_ONLINE = "read_online", _("Read online only")
    ON_REQUEST = "on_request", _("On request")


class ProcessingState(models.TextChoices):
    """Where the uploaded PDF is in the background processing."""

    NONE = "none", _("No file")
    PENDING = "pending", _("Waiting to be processed")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


# States in which the background job still has work to do.
BUSY_STATES = (ProcessingState.PENDING, ProcessingState.PROCESSING)


class Frequency(models.TextChoices):
    ANNUAL = "annual", _("Annual")
    SEMESTERLY = "semesterly", _("Semesterly")
    QUARTERLY = "quarterly", _("Quarterly")
    MONTHLY = "monthly", _("Monthly")
    IRREGULAR = "irregular", _("Irregular")
    ONCE = "once", _("One-off")


class Language(models.TextChoices):
    INDONESIAN = "id", _("Indonesian")
    ENGLISH = "en", _("English")
    BILINGUAL = "id_en", _("Indonesian and English")


class Availability(models.TextChoices):
    """Facet values: what a visitor can get."""

    SOFTCOPY = "softcopy", _("Softcopy")
    HARDCOPY = "hardcopy", _("Hardcopy")


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NEWEST = "newest", _("Newest")


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    IMPORTED = "imported", _("Imported")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Withdrawn to draft")
    FILE_UPLOADED = "file_uploaded", _("PDF uploaded")
    PROCESSING_STARTED = "processing_started", _("Processing started")
    PROCESSED = "processed", _("Processing finished")
    PROCESSING_FAILED = "processing_failed", _("Processing failed")
    COPIES_PREPARED = "copies_prepared", _("Readers' copies prepared")
