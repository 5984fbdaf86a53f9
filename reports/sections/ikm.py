"""Public satisfaction (IKM, PermenPANRB 14/2017) and the overall ratings.

Read from the feedback app's survey answers about service days in the period; the
IKM, element NRRs and grade are computed by ``feedback.ikm`` so the figures match the
survey report exactly.
"""

import datetime
from collections import defaultdict

from django.db.models import Avg, Count, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from feedback import ikm
from feedback.choices import ELEMENT_FIELDS, ELEMENTS, GRADE_LABELS
from feedback.models import SurveyResponse, SurveySettings
from feedback.services import compute_ikm, ikm_by
from offices.choices import Service

from .base import BAR, COUNT, Figure, SectionResult, Table

KEY = "ikm"
TITLE = _("Public satisfaction (IKM) and ratings")


def _float(value):
    return None if value is None else float(value)


def section(office, period):
    responses = SurveyResponse.objects.filter(
        office=office, day__gte=period.start, day__lte=period.end
    )
    result = compute_ikm(responses)
    ratings = dict(responses.values_list("overall").annotate(n=Count("id")).order_by())
    average = responses.aggregate(avg=Avg("overall"))["avg"]
    per_service = ikm_by(responses, "service")
    grade = result.grade if result else None
    return SectionResult(
        key=KEY,
        title=TITLE,
        figures=[
            Figure("respondents", _("Respondents"), result.respondents if result else 0),
            Figure("ikm", _("IKM"), _float(result.ikm_shown) if result else None),
            Figure("grade", _("Grade"), f"{grade} ({GRADE_LABELS[grade]})" if grade else None),
            Figure("rating", _("Average overall rating (1–5)"), _round(average)),
        ],
        tables=[
            Table(
                "elements",
                _("Index value (NRR) per element"),
                [_("Element"), _("NRR (1–4)")],
                [
                    [f"{element.code} {element.name}", _float(nrr)]
                    for element, nrr in zip(ELEMENTS, result.nrr_shown, strict=True)
                ]
                if result
                else [],
                chart=BAR,
            ),
            Table(
                "by_service",
                _("IKM by service"),
                [_("Service"), _("Respondents"), _("IKM")],
                [
                    [label, per_service[code].respondents, _float(per_service[code].ikm_shown)]
                    for code, label in Service.choices
                    if per_service.get(code)
                ],
                chart=BAR,
                chart_columns=(2,),
            ),
            Table(
                "ratings",
                _("Overall ratings"),
                [_("Rating"), COUNT],
                [[str(score), ratings.get(score, 0)] for score in range(1, 6)] if ratings else [],
                chart=BAR,
            ),
        ],
    )


def _round(value):
    return None if value is None else round(value, 2)


def public_series(office, months):
    """IKM per month, when the office publishes its survey summary (feedback settings)."""
    if not SurveySettings.objects.filter(office=office, publish_summary=True).exists():
        return []
    first, last = months[0], months[-1]
    rows = (
        SurveyResponse.objects.filter(office=office, day__gte=first)
        .filter(day__lt=_next_month(last))
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("id"), **{field: Sum(field) for field in ELEMENT_FIELDS})
        .order_by()
    )
    values = defaultdict(lambda: None)
    for row in rows:
        result = ikm.compute([row[field] for field in ELEMENT_FIELDS], row["n"])
        if result:
            values[row["month"].strftime("%Y-%m")] = float(result.ikm_shown)
    return [(_("IKM"), dict(values))]


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
