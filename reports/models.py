"""What the reports app stores itself: the export audit log and its settings.

Everything else it shows is read from the other apps' records (visits, delivery,
complaints, the catalogue's search log, ...) through the section providers in
``reports.sections``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ExportFormat
from .exports import EXPORTS


class ExportLog(models.Model):
    """The audit log of raw-log exports: who exported what, when, from where."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("exported by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    # A key of ``reports.exports.EXPORTS`` (no choices: a new export needs no migration).
    kind = models.CharField(_("exported records"), max_length=20)
    file_format = models.CharField(_("format"), max_length=5, choices=ExportFormat.choices)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    with_personal_data = models.BooleanField(_("with personal data"), default=False)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["office", "-at"], name="exportlog_office_at")]

    def __str__(self):
        return f"{self.kind_label} {self.start}–{self.end} ({self.actor})"

    @property
    def kind_label(self):
        export = EXPORTS.get(self.kind)
        return export.label if export else self.kind


class ReportSettings(models.Model):
    """An office's choices about its statistics (one row per office, created on demand)."""

    office = models.OneToOneField(
        "offices.Office", on_delete=models.CASCADE, related_name="report_settings"
    )
    publish_statistics = models.BooleanField(
        _("publish visitor statistics"),
        default=False,
        help_text=_("Show visitors per month on a public page, as offices publish them."),
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self):
        return str(self.office)

    @classmethod
    def for_office(cls, office):
        found = cls.objects.filter(office=office).first()
        return found or cls(office=office)

    def set_publish(self, value, *, by):
        """Turn the public statistics page on or off, recording who and when."""
        self.publish_statistics = bool(value)
        self.updated_at = timezone.now()
        self.updated_by = by
        if self.pk is None:
            self.save()
        else:
            self.save(update_fields=["publish_statistics", "updated_at", "updated_by"])
