"""The requester's pages: ask, follow, cancel, and "Kiriman saya" (my deliveries)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog.models import Publication
from core.errors import DomainError
from core.views import run
from delivery.http import copy_response
from offices.models import Office, site_office
from offices.time import activate

from .. import services
from ..forms import OnlineRequestForm
from ..models import RequestEvent, SoftcopyRequest


def own_request(user, number):
    """The user's own request, or 404 (another user's number is not found, not forbidden)."""
    return get_object_or_404(
        SoftcopyRequest.objects.select_related(
            "office", "publication", "fulfilment__delivered_file"
        ).prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor"))
        ),
        user=user,
        number=number,
    )


def default_office(request=None):
    """The office a request without a publication goes to: the site's, else the first."""
    return site_office(request) or Office.objects.order_by("code").first()


@login_required
def request_list(request):
    requests = (
        SoftcopyRequest.objects.filter(user=request.user)
        .select_related("office", "publication", "fulfilment__delivered_file")
        .order_by("-created_at")
    )
    page = Paginator(requests, 20).get_page(request.GET.get("page"))
    return render(request, "softcopies/public/request_list.html", {"page_obj": page})


@login_required
def request_create(request):
    publication = None
    if request.GET.get("publication", "").isdigit():
        publication = Publication.objects.published().filter(pk=request.GET["publication"]).first()
    if request.method == "POST":
        form = OnlineRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data["publication"]
            office = (
                chosen.office
                if chosen is not None
                else data.get("office") or default_office(request)
            )
            try:
                created = services.create_request(
                    office=office,
                    user=request.user,
                    publication=chosen,
                    description=data["description"],
                    pages=data["pages"],
                    purpose=data["purpose"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your request %(number)s has been received. It is due on %(date)s.")
                    % {"number": created.number, "date": created.due_date.strftime("%d/%m/%Y")},
                )
                return redirect(created.get_absolute_url())
    else:
        form = OnlineRequestForm(initial={"publication": publication})
    return render(
        request,
        "softcopies/public/request_create.html",
        {"form": form, "publication": publication},
    )


@login_required
def request_detail(request, number):
    softcopy_request = own_request(request.user, number)
    with activate(softcopy_request.office):  # times as the office's clock shows them
        return render(
            request,
            "softcopies/public/request_detail.html",
            {"request_obj": softcopy_request, "events": softcopy_request.public_events()},
        )


@login_required
def request_cancel(request, number):
    softcopy_request = own_request(request.user, number)
    if request.method == "POST":
        run(
            request,
            lambda: softcopy_request.cancel(by=request.user),
            _("Your request has been cancelled."),
        )
        return redirect(softcopy_request.get_absolute_url())
    return render(
        request, "softcopies/public/request_cancel.html", {"request_obj": softcopy_request}
    )


@login_required
@require_POST
def request_download(request, number):
    softcopy_request = own_request(request.user, number)
    try:
        record = services.start_download(softcopy_request, request.user, request=request)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(softcopy_request.get_absolute_url())
    return copy_response(request, record, attachment=True)
