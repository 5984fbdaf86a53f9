"""Searches that found nothing: what people look for and the library lacks.

Read from ``catalog.models.SearchLog``, which the catalogue's search page feeds
(normalised words, result count, office, date; no user identity).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import SearchLog

from .base import HBAR, Figure, SectionResult, Table, share

KEY = "searches"
TITLE = _("Searches that found nothing")
TOP = 20


def section(office, period):
    searches = SearchLog.objects.filter(office=office, day__gte=period.start, day__lte=period.end)
    totals = searches.aggregate(all=Count("id"), empty=Count("id", filter=Q(result_count=0)))
    top = (
        searches.filter(result_count=0)
        .values("query")
        .annotate(n=Count("id"))
        .order_by("-n", "query")[:TOP]
    )
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("searches", _("Searches"), totals["all"]),
            Figure("empty", _("Searches that found nothing"), totals["empty"]),
            Figure(
                "empty_share",
                _("Share that found nothing"),
                share(totals["empty"], totals["all"]),
                "%",
            ),
        ],
        tables=[
            Table(
                "top_empty",
                _("Most frequent searches without results"),
                [_("Search words"), _("Times")],
                [[row["query"], row["n"]] for row in top],
                chart=HBAR,
            )
        ],
    )
