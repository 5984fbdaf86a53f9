"""``GET /api/v1/offices/{code}/ikm``: an office's IKM for a period, for its supervisors."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from accounts.api import session_or_token
from accounts.choices import Role
from offices.choices import Service
from offices.models import Office
from offices.time import local_day

from . import services
from .choices import ELEMENTS, PeriodKind

router = Router(tags=["feedback"])


class ElementOut(Schema):
    code: str
    nrr: float


class IkmOut(Schema):
    office: str
    period: str
    start: str
    end: str
    service: str | None
    respondents: int
    served: int
    sample_needed: int
    sample_sufficient: bool
    ikm: float | None
    grade: str | None
    elements: list[ElementOut]


@router.get("/offices/{code}/ikm", response=IkmOut, auth=session_or_token, url_name="ikm")
def office_ikm(
    request,
    code: str,
    period: PeriodKind = PeriodKind.MONTH,
    year: int | None = None,
    index: int | None = None,
    service: Service | None = None,
):
    office = get_object_or_404(Office, code=code)
    if not request.auth.has_office_role(office, Role.SUPERVISOR):
        raise PermissionDenied
    default_year, default_index = services.current_period(period, local_day(office))
    year = year or default_year
    index = index or default_index
    start, end = services.period_bounds(period, year, index)
    summary = services.summarize(office, start, end, service=service or None)
    result = summary["result"]
    return {
        "office": office.code,
        "period": services.period_label(period, year, index),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "service": service or None,
        "respondents": summary["respondents"],
        "served": summary["served"]["total"],
        "sample_needed": summary["sample_needed"],
        "sample_sufficient": summary["sample_sufficient"],
        "ikm": float(result.ikm_shown) if result else None,
        "grade": result.grade if result else None,
        "elements": [
            {"code": element.code, "nrr": float(nrr)}
            for element, nrr in zip(ELEMENTS, result.nrr_shown if result else (), strict=False)
        ],
    }
