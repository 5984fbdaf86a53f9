"""Reads and downloads: what the library's users read, and who they are.

Two passes over the period's delivery records, each grouped by one key (publication,
then user), and small look-ups for the titles, subjects and user categories of the
groups: no join of every record with the catalogue or the users, so a year of
records stays fast on SQLite too.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import Occupation
from accounts.models import User
from catalog.models import Publication
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


# Up to this many keys are sent as a list (cheaper than scanning the records again);
# beyond it, a subquery (SQLite limits the number of parameters of one statement).
MAX_LISTED_KEYS = 5000


def _keys(found, subquery):
    return list(found) if len(found) <= MAX_LISTED_KEYS else subquery


def _ranked(counts, names, top=TOP):
    """Rows ``[name, reads, downloads, total]``, most used first, then by name."""
    rows = [[names[key], *values] for key, values in counts.items()]
    rows.sort(key=lambda row: (-row[3], str(row[0])))
    return rows[:top]


def section(office, period):
    records = deliveries(office, period)
    per_publication = {
        row["publication_id"]: (row["reads"], row["downloads"], row["delivered"])
        for row in records.values("publication_id")
        .annotate(reads=READS, downloads=DOWNLOADS, delivered=DELIVERED)
        .order_by()
    }
    per_user = {
        row["user_id"]: (row["reads"], row["downloads"])
        for row in records.values("user_id").annotate(reads=READS, downloads=DOWNLOADS).order_by()
    }
    reads = sum(r for r, _d, _s in per_publication.values())
    downloads = sum(d for _r, d, _s in per_publication.values())
    delivered = sum(s for _r, _d, s in per_publication.values())

    totals = {pk: (r, d, r + d + s) for pk, (r, d, s) in per_publication.items()}
    top_ids = [pk for pk, _v in sorted(totals.items(), key=lambda item: -item[1][2])]
    # Titles for the candidates (ties at the cut are ordered by title, so fetch them all).
    cut = totals[top_ids[TOP - 1]][2] if len(top_ids) >= TOP else 0
    candidates = [pk for pk in top_ids if totals[pk][2] >= cut]
    titles = dict(Publication.objects.filter(pk__in=candidates).values_list("pk", "title"))
    top_publications = _ranked({pk: totals[pk] for pk in candidates}, titles)

    subject_names = {}
    links = Publication.subjects.through.objects.filter(
        publication_id__in=_keys(per_publication, records.values("publication_id"))
    ).values_list("publication_id", "subject_id", "subject__title")
    subject_totals = {}
    for publication_id, subject_id, title in links:
        subject_names[subject_id] = title
        r, d, t = totals.get(publication_id, (0, 0, 0))
        before = subject_totals.get(subject_id, (0, 0, 0))
        subject_totals[subject_id] = (before[0] + r, before[1] + d, before[2] + t)
    top_subjects = _ranked(subject_totals, subject_names)

    occupations = dict(
        User.objects.filter(pk__in=_keys(per_user, records.values("user_id"))).values_list(
            "pk", "occupation"
        )
    )
    by_category = {}
    for user_id, (r, d) in per_user.items():
        key = occupations.get(user_id, "")
        before = by_category.get(key, (0, 0))
        by_category[key] = (before[0] + r, before[1] + d)
    columns = [_("Reads"), _("Downloads")]
    category_rows = []
    if per_user:
        known = set(Occupation.values)
        unknown = [v for k, v in by_category.items() if k not in known]
        for value, label in Occupation.choices:
            category_rows.append([label, *by_category.get(value, (0, 0))])
        category_rows.append(
            [_("Not stated"), sum(r for r, _d in unknown), sum(d for _r, d in unknown)]
        )
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("reads", _("Read online"), reads),
            Figure("downloads", _("Downloaded"), downloads),
            Figure("delivered", _("Sent by an officer"), delivered),
            Figure("readers", _("Different users"), len(per_user)),
        ],
        tables=[
            Table(
                "top_publications",
                _("Most read and downloaded publications"),
                [_("Publication"), *columns, _("Total")],
                top_publications,
                chart=HBAR,
                chart_columns=(1, 2),
            ),
            Table(
                "top_subjects",
                _("Most read and downloaded subjects"),
                [_("Subject"), *columns, _("Total")],
                top_subjects,
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
