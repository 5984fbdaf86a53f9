from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.choices import Role
from core.views import run
from history.choices import AuditAction
from history.log import changes, label, record
from history.models import AuditEvent
from offices.permissions import office_required

from ..forms import (
    AuditFilterForm,
    BreachForm,
    CloseDataRequestForm,
    DataRequestForm,
    PrivacySettingsForm,
)
from ..models import Breach, DataRequest, PrivacySettings


@office_required(Role.SUPERVISOR)
def audit_log(request, office):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(office=office).select_related("actor")
    if form.is_valid():
        if form.cleaned_data["action"]:
            events = events.filter(action=form.cleaned_data["action"])
        if form.cleaned_data["actor"]:
            events = events.filter(actor__email__iexact=form.cleaned_data["actor"].strip())
        if form.cleaned_data["since"]:
            events = events.filter(at__date__gte=form.cleaned_data["since"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "privacy/office/audit_log.html", {"office": office, "form": form, "page_obj": page}
    )


@office_required(Role.SUPERVISOR)
def settings_edit(request, office):
    policy = PrivacySettings.for_office(office)
    form = PrivacySettingsForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(
            label(policy, office.code),
            AuditAction.SETTINGS,
            actor=request.user,
            office=office,
            # The officer's name and contacts are personal data: only that they changed.
            detail=changes(form, hidden=("dpo_name", "dpo_email", "dpo_phone")),
        )
        messages.success(request, _("Privacy settings saved."))
        return redirect("privacy:office-settings", office.code)
    return render(request, "privacy/office/settings_edit.html", {"office": office, "form": form})


@office_required(Role.OFFICER)
def request_list(request, office):
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data_request = form.save(commit=False)
        data_request.office = office
        data_request.save()
        record(
            f"data request {data_request.pk}",
            AuditAction.DATA_REQUEST,
            actor=request.user,
            office=office,
            detail="registered",
        )
        messages.success(request, _("Request registered. It is due within 3 × 24 hours."))
        return redirect("privacy:office-requests", office.code)
    requests_ = DataRequest.objects.filter(office=office).order_by("status", "received_at")
    page = Paginator(requests_, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/office/request_list.html",
        {"office": office, "form": form, "page_obj": page},
    )


@office_required(Role.OFFICER)
@require_POST
def request_close(request, office, pk):
    data_request = get_object_or_404(DataRequest, office=office, pk=pk)
    form = CloseDataRequestForm(request.POST)
    if not data_request.is_open or form.is_valid():
        run(request, lambda: _close(request, office, data_request, form), _("Request closed."))
    else:
        messages.error(request, _("Say what was done before closing the request."))
    return redirect("privacy:office-requests", office.code)


@transaction.atomic
def _close(request, office, data_request, form):
    data = getattr(form, "cleaned_data", {})
    data_request.close(by=request.user, status=data.get("status"), outcome=data.get("outcome"))
    record(
        f"data request {data_request.pk}",
        AuditAction.DATA_REQUEST,
        actor=request.user,
        office=office,
        detail=data["status"],
    )


@office_required(Role.SUPERVISOR)
def breach_list(request, office):
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        breach = form.save(commit=False)
        breach.office = office
        breach.recorded_by = request.user
        breach.save()
        record(
            f"breach {breach.pk}",
            AuditAction.BREACH,
            actor=request.user,
            office=office,
            detail=breach.data_concerned,
        )
        messages.success(
            request,
            _(
                "Breach recorded. Notify the people concerned and the authority within 3 × 24 hours."
            ),
        )
        return redirect("privacy:office-breaches", office.code)
    breaches = Breach.objects.filter(office=office).select_related("recorded_by")
    return render(
        request,
        "privacy/office/breach_list.html",
        {"office": office, "form": form, "breaches": breaches},
    )
