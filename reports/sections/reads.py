"""Reads and downloads: what the library's users read, and who they are."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import Occupation
from delivery.choices import Channel
from delivery.models import DeliveryRecord

from .base import BAR, HBAR, Figure, SectionResult, Table

KEY = "reads"
TITLE = _("Reads and downloads")
TOP = 10

READS = Count("id", filter=Q(channel=Channel.READ))
DOWNLOADS = Count("id", filter=Q(channel=Channel.DOWNLOAD))
DELIVERED = Count("id", filter=Q(channel=Channel.DELIVERED))


def deliveries(office, period):
    return DeliveryRecord.objects.filter(
        office=office, created_at__gte=period.since, created_at__lt=period.until
    )


def section(office, period):
    records = deliveries(office, period)
    totals = records.aggregate(
        reads=READS, downloads=DOWNLOADS, delivered=DELIVERED, readers=Count("user", distinct=True)
    )
    top_publications = (
        records.values("publication_id", "publication__title")
        .annotate(reads=READS, downloads=DOWNLOADS, total=Count("id"))
        .order_by("-total", "publication__title")[:TOP]
    )
    top_subjects = (
        records.filter(publication__subjects__isnull=False)
        .values("publication__subjects__title")
        .annotate(reads=READS, downloads=DOWNLOADS, total=Count("id"))
        .order_by("-total", "publication__subjects__title")[:TOP]
    )
    by_category = {
        row["user__occupation"]: row
        for row in records.values("user__occupation")
        .annotate(reads=READS, downloads=DOWNLOADS)
        .order_by()
    }
    columns = [_("Reads"), _("Downloads")]
    category_rows = []
    if totals["readers"]:
        for value, label in [*Occupation.choices, ("", _("Not stated"))]:
            row = by_category.get(value, {})
            category_rows.append([label, row.get("reads", 0), row.get("downloads", 0)])
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("reads", _("Read online"), totals["reads"]),
            Figure("downloads", _("Downloaded"), totals["downloads"]),
            Figure("delivered", _("Sent by an officer"), totals["delivered"]),
            Figure("readers", _("Different users"), totals["readers"]),
        ],
        tables=[
            Table(
                "top_publications",
                _("Most read and downloaded publications"),
                [_("Publication"), *columns, _("Total")],
                [
                    [row["publication__title"], row["reads"], row["downloads"], row["total"]]
                    for row in top_publications
                ],
                chart=HBAR,
                chart_columns=(1, 2),
            ),
            Table(
                "top_subjects",
                _("Most read and downloaded subjects"),
                [_("Subject"), *columns, _("Total")],
                [
                    [
                        row["publication__subjects__title"],
                        row["reads"],
                        row["downloads"],
                        row["total"],
                    ]
                    for row in top_subjects
                ],
                chart=HBAR,
                chart_columns=(1, 2),
            ),
            Table(
                "by_category",
                _("Reads and downloads by user category (occupation)"),
                [_("User category"), *columns],
                category_rows,
                chart=BAR,
            ),
        ],
    )
