import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel

DEFAULT_COPYRIGHT = (
    "Dilarang mengumumkan, mendistribusikan, mengomunikasikan, dan/atau menggandakan sebagian "
    "atau seluruh isi buku ini untuk tujuan komersial tanpa izin tertulis dari Badan Pusat "
    "Statistik"
)
# Trace codes: 16 characters from an alphabet without look-alikes (0/O, 1/I/L): 80 bits.
TRACE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_trace_code():
    return "".join(secrets.choice(TRACE_ALPHABET) for _ in range(16))


class DownloadPolicy(models.Model):
    """An office's rules for the copies that leave its library."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="download_policy"
    )
    downloads_per_hour = models.PositiveSmallIntegerField(
        _("downloads per user per hour"), default=20
    )
    downloads_per_day = models.PositiveSmallIntegerField(
        _("downloads per user per day"), default=60
    )
    copyright_notice = models.CharField(
        _("copyright notice on every page"), max_length=240, default=DEFAULT_COPYRIGHT
    )
    keep_pdf_permissions = models.BooleanField(
        _("keep the original PDF's restrictions on readers' copies"),
        default=False,
        help_text=_(
            "For PDFs with an owner password (printing or copying restricted): off, readers' "
            "copies are made without the restrictions (the office owns the content); on, each "
            "copy carries the original's restrictions again."
        ),
    )

    class Meta:
        verbose_name = _("download policy")
        verbose_name_plural = _("download policies")

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        policy, _created = cls.objects.get_or_create(office=office)
        return policy


class PreparedCopy(models.Model):
    """The publication's original, rewritten once with stamp placeholders (see watermark.py).

    Never served as it is: every copy is this file with the reader's mark patched in.
    """

    publication = models.OneToOneField(
        "catalog.Publication", on_delete=models.CASCADE, related_name="prepared_copy"
    )
    source_name = models.CharField(_("original file"), max_length=300)
    file = models.FileField(_("prepared file"), max_length=300)
    plan = models.JSONField(_("stamp plan"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What preparation repaired or changed.")
    )

    class Meta:
        verbose_name = _("prepared copy")
        verbose_name_plural = _("prepared copies")

    def __str__(self):
        return f"{self.publication} ({self.size} B)"


class DeliveredFile(models.Model):
    """A file an officer sends to one user (a scan, or pages cut from a publication).

    Prepared once with stamp placeholders, like PreparedCopy; every download of it is a
    DeliveryRecord (channel "delivered") stamped with that record's trace code.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("prepared file"), max_length=300)
    plan = models.JSONField(_("stamp plan"))
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    page_count = models.PositiveIntegerField(_("pages"))
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivered file")
        verbose_name_plural = _("delivered files")

    def __str__(self):
        return f"{self.title} ({self.size} B)"


class DeliveryRecordQuerySet(models.QuerySet):
    def downloads_since(self, user, since):
        return self.filter(user=user, channel=Channel.DOWNLOAD, created_at__gte=since)


class DeliveryRecord(models.Model):
    """One stamped copy that left the server: who, what, how, when, and its trace code."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="deliveries"
    )
    # A copy of a catalogue publication, or of a file an officer delivered (or both: the
    # pages of a publication cut out for a softcopy request).
    publication = models.ForeignKey(
        "catalog.Publication",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    delivered_file = models.ForeignKey(
        DeliveredFile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("delivered file"),
    )
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    trace_code = models.CharField(
        _("trace code"), max_length=16, unique=True, default=new_trace_code
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    bytes_served = models.PositiveBigIntegerField(_("bytes served"), default=0)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivered by"),
    )

    objects = DeliveryRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery record")
        verbose_name_plural = _("delivery records")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(publication__isnull=False)
                | models.Q(delivered_file__isnull=False),
                name="delivery_record_has_source",
            ),
        ]
        indexes = [
            # Download limits and "Riwayat unduhan" (services.check_limits, views.public.history).
            models.Index(fields=["user", "channel", "created_at"], name="delivery_user_chan_time"),
            # Officer statistics per publication (views.office.statistics).
            models.Index(fields=["office", "created_at"], name="delivery_office_time"),
        ]

    def __str__(self):
        return f"{self.trace_code} {self.get_channel_display()} {self.title}"

    @property
    def title(self):
        if self.delivered_file_id is not None:
            return self.delivered_file.title
        return self.publication.title

    @property
    def prepared(self):
        """The prepared file this copy is stamped from (a DeliveredFile or a PreparedCopy)."""
        if self.delivered_file_id is not None:
            return self.delivered_file
        return self.publication.prepared_copy
