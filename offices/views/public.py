from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.choices import Role
from offices.choices import Service
from offices.models import Office, ServiceStandard


def standard_list(request, code):
    office = get_object_or_404(Office, code=code)
    standards = office.standards.current().in_service_order()
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
    return render(
        request,
        "offices/public/standard_detail.html",
        {"office": office, "standard": standard, "can_edit": can_edit},
    )
