from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from accounts.choices import Role

from ..choices import Service, Weekday
from ..hooks import home_panels
from ..models import Office, ServiceStandard, site_office
from ..time import activate


def _optional_url(name):
    """The URL of a page another app provides, or None while that app is not installed."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _site_office(request):
    office = site_office(request)
    if office is None:
        raise Http404
    return office


def home(request):
    """The office's front page: hours, services, the catalogue search and today's queue."""
    office = get_object_or_404(
        Office.objects.prefetch_related("opening_hours"), code=settings.DEFAULT_OFFICE_CODE
    )
    request._site_office = office  # the footer's office: no second query
    hours = [(day, label, office.hours_on(day)) for day, label in Weekday.choices]
    with activate(office):
        return render(
            request,
            "offices/public/home.html",
            {
                "office": office,
                "hours": [(label, slots) for _day, label, slots in hours],
                "is_open": office.is_open_at(),
                "standards": office.standards.current().in_service_order(),
                "search_url": _optional_url("catalog:publication-list"),
                "panels": home_panels(office),
            },
        )


def contact(request):
    office = _site_office(request)
    with activate(office):
        return render(request, "offices/public/contact.html", {"office": office})


def standard_list(request, code):
    office = get_object_or_404(Office, code=code)
    standards = office.standards.current().in_service_order()
    with activate(office):
        return render(
            request,
            "offices/public/standard_list.html",
            {"office": office, "standards": standards},
        )


def standard_detail(request, code, service):
    if service not in Service.values:
        raise Http404
    office = get_object_or_404(Office, code=code)
    standard = ServiceStandard.objects.current_for(office, service)
    if standard is None:
        raise Http404
    can_edit = request.user.is_authenticated and request.user.has_office_role(
        office, Role.SUPERVISOR
    )
    with activate(office):
        return render(
            request,
            "offices/public/standard_detail.html",
            {"office": office, "standard": standard, "can_edit": can_edit},
        )
