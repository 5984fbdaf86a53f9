from django.shortcuts import render

from accounts.choices import Role
from core.permissions import staff_required
from offices.models import Office


@staff_required
def office_home(request):
    user = request.user
    if user.is_superuser:
        offices = [(office, Role.SUPERVISOR.label) for office in Office.objects.all()]
    else:
        memberships = user.memberships.select_related("office").order_by("office__code")
        offices = [(m.office, m.get_role_display()) for m in memberships]
    return render(request, "core/office/home.html", {"offices": offices})
