"""Who the office served, by the characteristics BPS reports (the SKD respondent block).

Each person is counted once in the period, whether they came in person, online or
both: the walk-in visitors and the users who read or downloaded online.
"""

from collections import Counter

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.choices import Education, InstitutionCategory, Occupation, Purpose, Sex
from accounts.models import User

from .base import BAR, COUNT, DOUGHNUT, HBAR, SHARE, Figure, SectionResult, Table, choice_rows
from .visits import online_deliveries, walk_in_visits

KEY = "visitors"
TITLE = _("Visitors by characteristics")

FIELDS = (
    ("sex", _("Sex"), Sex, DOUGHNUT),
    ("education", _("Highest education"), Education, BAR),
    ("occupation", _("Main occupation"), Occupation, HBAR),
    ("institution_category", _("Institution category"), InstitutionCategory, HBAR),
    ("purpose", _("Main purpose of data use"), Purpose, HBAR),
)


def section(office, period):
    walk_in_ids = walk_in_visits(office, period).values("visitor_id")
    online_ids = online_deliveries(office, period).values("user_id")
    names = [name for name, *_rest in FIELDS]
    profiles = list(
        User.objects.filter(Q(pk__in=walk_in_ids) | Q(pk__in=online_ids)).values_list(*names)
    )
    tables = []
    for index, (name, title, choices, chart) in enumerate(FIELDS):
        counts = Counter(profile[index] for profile in profiles)
        rows = choice_rows(counts, choices.choices) if profiles else []
        tables.append(
            Table(name, title, [title, COUNT, SHARE], rows, chart=chart, chart_columns=(1,))
        )
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[Figure("people", _("People served (each counted once)"), len(profiles))],
        tables=tables,
        note=_("Walk-in visitors and online users, each person counted once in the period."),
    )
