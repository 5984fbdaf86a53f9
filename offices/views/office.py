from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.choices import Role
from core.permissions import office_required
from offices.choices import Service
from offices.forms import ServiceStandardForm
from offices.models import ServiceStandard, StandardConflict


def _current_standard(office, service):
    if service not in Service.values:
        raise Http404
    standard = ServiceStandard.objects.current_for(office, service)
    if standard is None:
        raise Http404
    return standard


@office_required(Role.SUPERVISOR)
def standard_edit(request, office, service):
    standard = _current_standard(office, service)
    if request.method == "POST":
        form = ServiceStandardForm(
            request.POST, instance=ServiceStandard(office=office, service=service)
        )
        if form.is_valid():
            data = form.cleaned_data
            base = ServiceStandard.objects.filter(
                office=office, service=service, version=data["base_version"]
            ).first()
            changes = {name: data[name] for name in ServiceStandard.CONTENT_FIELDS}
            try:
                if base is None:
                    raise StandardConflict(standard.version)
                new = base.revise(by=request.user, change_note=data["change_note"], **changes)
            except StandardConflict:
                form.add_error(
                    None,
                    _(
                        "Someone saved a newer version while you were editing. "
                        "Review the current text and save again."
                    ),
                )
            else:
                messages.success(
                    request, _("Saved as version %(version)d.") % {"version": new.version}
                )
                return redirect("offices:standard-detail", office.code, service)
    else:
        form = ServiceStandardForm(
            instance=standard, initial={"base_version": standard.version, "change_note": ""}
        )
    return render(
        request,
        "offices/office/standard_edit.html",
        {"office": office, "standard": standard, "form": form},
    )


@office_required(Role.SUPERVISOR)
def standard_history(request, office, service):
    current = _current_standard(office, service)
    versions = (
        ServiceStandard.objects.filter(office=office, service=service)
        .select_related("created_by")
        .order_by("-version")
    )
    selected = current
    if "version" in request.GET:
        selected = next((v for v in versions if str(v.version) == request.GET["version"]), None)
        if selected is None:
            raise Http404
    return render(
        request,
        "offices/office/standard_history.html",
        {"office": office, "standard": current, "versions": versions, "selected": selected},
    )
