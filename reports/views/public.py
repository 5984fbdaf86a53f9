"""The public statistics page of an office that chose to publish it."""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from offices.models import Office
from offices.time import activate, local_day

from .. import sections
from ..models import ReportSettings

MONTHS = 12


def last_months(today, count=MONTHS):
    """The first days of the last ``count`` months, oldest first, this month included."""
    months, day = [], today.replace(day=1)
    for _ in range(count):
        months.append(day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(months))


@require_GET
def statistics(request, code):
    office = get_object_or_404(Office, code=code, is_active=True)
    if not ReportSettings.objects.filter(office=office, publish_statistics=True).exists():
        raise Http404
    months = last_months(local_day(office))
    series = sections.public_series(office, months)
    keys = [f"{m:%Y-%m}" for m in months]
    rows = [[key, *(values.get(key) for _label, values in series)] for key in keys]
    chart = {
        "charts": [
            {
                "id": "chart-public-months",
                "type": "bar",
                "title": "",
                "labels": keys,
                "datasets": [
                    {"label": str(label), "data": [values.get(k) for k in keys]}
                    for label, values in series
                ],
            }
        ]
    }
    with activate(office):
        return render(
            request,
            "reports/public/statistics_show.html",
            {"office": office, "series": series, "rows": rows, "charts": chart},
        )
