from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from .choices import Service
from .models import Office, ServiceStandard

router = Router(tags=["offices"])


class HoursOut(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday")
    opens: str = Field(..., pattern=r"^\d{2}:\d{2}:\d{2}$", description="Office local time")
    closes: str = Field(..., pattern=r"^\d{2}:\d{2}:\d{2}$", description="Office local time")


class CounterOut(Schema):
    number: int
    name: str
    services: list[str]


class OfficeOut(Schema):
    code: str
    name: str
    address: str
    phone: str
    email: str
    whatsapp: str
    website: str
    timezone: str
    is_open: bool
    opening_hours: list[HoursOut]
    counters: list[CounterOut]


class StandardOut(Schema):
    office: str
    service: Service
    version: int
    walk_in_target_minutes: int
    request_target_working_days: int
    requirements_walk_in: str
    requirements_online: str
    procedure_walk_in: str
    procedure_online: str
    service_time_walk_in: str
    service_time_online: str
    cost_walk_in: str
    cost_online: str
    products_walk_in: str
    products_online: str
    complaint_handling: str
    pledge: str


def _hhmmss(value):
    return value.strftime("%H:%M:%S")


def _office_out(office):
    return {
        "code": office.code,
        "name": office.name,
        "address": office.address,
        "phone": office.phone,
        "email": office.email,
        "whatsapp": office.whatsapp,
        "website": office.website,
        "timezone": office.timezone,
        "is_open": office.is_open_at(),
        "opening_hours": [
            {"weekday": h.weekday, "opens": _hhmmss(h.opens), "closes": _hhmmss(h.closes)}
            for h in office.opening_hours.all()
        ],
        "counters": [c for c in office.counters.all() if c.is_active],
    }


@router.get("", response=list[OfficeOut], auth=None, url_name="office-list")
def office_list(request):
    offices = Office.objects.filter(is_active=True).prefetch_related("opening_hours", "counters")
    return [_office_out(office) for office in offices]


@router.get("/{code}", response=OfficeOut, auth=None, url_name="office-detail")
def office_detail(request, code: str):
    office = get_object_or_404(
        Office.objects.prefetch_related("opening_hours", "counters"), code=code, is_active=True
    )
    return _office_out(office)


@router.get(
    "/{code}/standards/{service}", response=StandardOut, auth=None, url_name="standard-detail"
)
def standard_detail(request, code: str, service: Service):
    office = get_object_or_404(Office, code=code, is_active=True)
    standard = ServiceStandard.objects.current_for(office, service)
    if standard is None:
        raise Http404
    return {
        "office": office.code,
        **{f: getattr(standard, f) for f in StandardOut.model_fields if f != "office"},
    }
