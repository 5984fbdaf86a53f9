"""The catalogue: publications (mirroring the BPS Web API fields), subjects, pages, history.

Original PDFs and covers live in the default storage, which is private (no URL):
covers are served by ``catalog:publication-cover`` and originals only leave the
server through the delivery app, which reads them with ``services.open_original``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from history.log import Entry, LogMixin, label

from .choices import (
    BUSY_STATES,
    AccessLevel,
    EventAction,
    Frequency,
    Language,
    ProcessingState,
    Visibility,
)


class SubjectCategory(models.Model):
    """A BPS subject category (``subcat``): Sosial dan Kependudukan, Ekonomi dan Perdagangan, …"""

    bps_id = models.PositiveSmallIntegerField(_("BPS category id"), unique=True)
    title = models.CharField(_("title"), max_length=100)

    class Meta:
        verbose_name = _("subject category")
        verbose_name_plural = _("subject categories")
        ordering = ["bps_id"]

    def __str__(self):
        return self.title


class Subject(models.Model):
    """A BPS subject (``subject``), e.g. Kependudukan or PDRB (Lapangan Usaha)."""

    category = models.ForeignKey(
        SubjectCategory,
        on_delete=models.PROTECT,
        related_name="subjects",
        verbose_name=_("category"),
    )
    title = models.CharField(_("title"), max_length=100, unique=True)
    bps_id = models.PositiveIntegerField(_("BPS subject id"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["category__bps_id", "title"]

    def __str__(self):
        return self.title


def original_upload_to(instance, filename):
    return f"catalog/originals/{instance.office.code}/{uuid.uuid4().hex}.pdf"


def cover_upload_to(instance, filename):
    return f"catalog/covers/{instance.office.code}/{uuid.uuid4().hex}.webp"


class PublicationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility=Visibility.PUBLISHED)

    def with_softcopy(self):
        return self.filter(processing_state=ProcessingState.READY).exclude(original_pdf="")

    def with_hardcopy(self):
        return self.filter(hardcopy_copies__gt=0)


class Publication(LogMixin, models.Model):
    """One publication of a BPS office, with its softcopy (optional) and hardcopy holdings."""

    office = models.ForeignKey(
        "offices.Office",
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name=_("publishing office"),
    )
    title = models.CharField(_("title"), max_length=500)
    abstract = models.TextField(_("abstract"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    catalog_number = models.CharField(
        _("catalogue number"),
        max_length=40,
        blank=True,
        help_text=_("No. Katalog, e.g. 1102001.3324"),
    )
    publication_number = models.CharField(
        _("publication number"),
        max_length=40,
        blank=True,
        help_text=_("No. Publikasi, e.g. 33240.2401"),
    )
    issn = models.CharField(_("ISSN"), max_length=20, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    bps_pub_id = models.CharField(
        _("BPS publication id"),
        max_length=40,
        blank=True,
        help_text=_("pub_id in the BPS Web API, when the record came from there."),
    )
    scheduled_date = models.DateField(_("scheduled date"), null=True, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    revision_date = models.DateField(_("revision date"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.INDONESIAN
    )
    frequency = models.CharField(
        _("publishing frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.ANNUAL,
    )
    subjects = models.ManyToManyField(
        Subject, related_name="publications", blank=True, verbose_name=_("subjects")
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related publications"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.DRAFT
    )
    access_level = models.CharField(
        _("softcopy access"),
        max_length=14,
        choices=AccessLevel.choices,
        default=AccessLevel.DOWNLOADABLE,
    )
    # Hardcopy holdings in the reading room.
    hardcopy_call_number = models.CharField(_("call number / shelf"), max_length=60, blank=True)
    hardcopy_copies = models.PositiveSmallIntegerField(_("number of copies"), default=0)
    reading_room_only = models.BooleanField(_("reading room only"), default=True)
    # The softcopy: a private original, its cover and its processing.
    original_pdf = models.FileField(
        _("PDF file"), upload_to=original_upload_to, blank=True, max_length=200
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True)
    cover = models.FileField(
        _("cover image"), upload_to=cover_upload_to, blank=True, max_length=200
    )
    processing_state = models.CharField(
        _("processing state"),
        max_length=12,
        choices=ProcessingState.choices,
        default=ProcessingState.NONE,
    )
    pages_done = models.PositiveIntegerField(_("pages processed"), default=0)
    processing_error = models.CharField(_("processing error"), max_length=500, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title"]
        constraints = [
            # import_publications is idempotent by catalogue number and year: one series
            # (e.g. 1102001.3324, Kendal Dalam Angka) has one catalogue number for every edition.
            models.UniqueConstraint(
                fields=["office", "catalog_number", "year"],
                condition=~Q(catalog_number=""),
                name="catalog_unique_catalog_number_per_year",
            ),
        ]
        indexes = [
            # Exact-number lookups in search (search._exact_ids): one index per number. The
            # optional numbers are mostly empty; partial indexes keep the empty rows out, so
            # the planner's statistics show them as selective and it uses them.
            models.Index(fields=["catalog_number"], name="catalog_pub_catno_idx"),
            models.Index(fields=["issn"], name="catalog_pub_issn_idx", condition=~Q(issn="")),
            models.Index(
                fields=["publication_number"],
                name="catalog_pub_pubno_idx",
                condition=~Q(publication_number=""),
            ),
            models.Index(fields=["isbn"], name="catalog_pub_isbn_idx", condition=~Q(isbn="")),
            # Facets and the "newest" sort of the public search.
            models.Index(fields=["visibility", "year"], name="catalog_pub_vis_year_idx"),
            # The search facet map reloads when the newest updated_at changes (search.facets).
            models.Index(fields=["updated_at"], name="catalog_pub_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalog:publication-detail", args=[self.pk])

    @property
    def is_published(self):
        return self.visibility == Visibility.PUBLISHED

    @property
    def has_softcopy(self):
        return bool(self.original_pdf) and self.processing_state == ProcessingState.READY

    @property
    def has_hardcopy(self):
        return self.hardcopy_copies > 0

    @property
    def is_processing(self):
        return self.processing_state in BUSY_STATES

    @property
    def is_processed(self):
        return self.processing_state == ProcessingState.READY

    @property
    def processing_failed(self):
        return self.processing_state == ProcessingState.FAILED

    @property
    def progress_percent(self):
        if not self.page_count:
            return 0
        return min(100, round(100 * self.pages_done / self.page_count))

    def cover_url(self):
        return reverse("catalog:publication-cover", args=[self.pk]) if self.cover else ""

    def history_entry(self, action, *, actor, note=""):
        """History of a publication is a ``PublicationEvent`` (``obj.log(action, actor=...)``)."""
        event = PublicationEvent.objects.create(
            publication=self, action=action, actor=actor, note=note[:500]
        )
        return Entry(event, label(self), str(action))


class PublicationPage(models.Model):
    """The text of one page of the softcopy (1-based ``number``): the reader links here."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="pages", verbose_name=_("publication")
    )
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("publication page")
        verbose_name_plural = _("publication pages")
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "number"], name="catalog_unique_page_number"
            )
        ]

    def __str__(self):
        return f"{self.publication_id} p. {self.number}"


class PublicationEvent(models.Model):
    """History of a publication: who changed what, when (STYLE.md 8)."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="events", verbose_name=_("publication")
    )
    action = models.CharField(_("action"), max_length=20, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("publication event")
        verbose_name_plural = _("publication events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.publication_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


class SearchLog(models.Model):
    """One catalogue search: the normalised words and how many publications matched.

    No user, session, IP address or time of day is kept (UU 27/2022: what the report
    needs and no more): the office the search was scoped to (or the installation's
    home office) and its local date only. Written by ``catalog.searchlog``, read by the
    reports. The table keeps its first name (``reports_searchlog``).
    """

    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    query = models.CharField(_("search words"), max_length=200)
    result_count = models.PositiveIntegerField(_("results"))
    day = models.DateField(_("day"))

    class Meta:
        db_table = "reports_searchlog"
        verbose_name = _("search")
        verbose_name_plural = _("searches")
        indexes = [
            # The "searches that found nothing" section reads one office's period.
            models.Index(fields=["office", "day"], name="searchlog_office_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.query!r}: {self.result_count}"
