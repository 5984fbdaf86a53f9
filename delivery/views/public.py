from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from catalog.models import Publication
from delivery import services
from delivery.choices import Channel
from delivery.http import copy_response
from delivery.models import DeliveryRecord

COPY_SALT = "delivery.copy"
COPY_MAX_AGE = 6 * 3600


def _published(pk):
    return get_object_or_404(Publication.objects.published().select_related("office"), pk=pk)


def copy_url(record):
    token = signing.dumps(record.pk, salt=COPY_SALT, compress=True)
    return reverse("delivery:copy", args=[token])


@login_required
def publication_read(request, pk):
    publication = _published(pk)
    try:
        record = services.start_delivery(publication, request.user, Channel.READ, request=request)
    except services.DeliveryError as error:
        return render(
            request,
            "delivery/public/delivery_refused.html",
            {"publication": publication, "message": error.message},
            status=error.status,
        )
    try:
        page = max(1, min(int(request.GET.get("page", 1)), publication.page_count or 1))
    except ValueError:
        page = 1
    return render(
        request,
        "delivery/public/publication_read.html",
        {
            "publication": publication,
            "record": record,
            "file_url": copy_url(record),
            "page": page,
            "can_download": publication.access_level == "downloadable",
        },
    )


@login_required
@require_POST
def publication_download(request, pk):
    publication = _published(pk)
    try:
        record = services.start_delivery(
            publication, request.user, Channel.DOWNLOAD, request=request
        )
    except services.DeliveryError as error:
        messages.error(request, error.message)
        return redirect(publication.get_absolute_url())
    return copy_response(request, record, attachment=True)


@login_required
def copy_file(request, token):
    """The stamped copy behind a reader; only its own reader can fetch it."""
    try:
        pk = signing.loads(token, salt=COPY_SALT, max_age=COPY_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None
    record = (
        DeliveryRecord.objects.filter(pk=pk, user=request.user)
        .select_related("publication__prepared_copy", "delivered_file", "office", "user")
        .first()
    )
    if record is None:
        raise Http404
    return copy_response(request, record, attachment=False)


@login_required
def history(request):
    records = (
        DeliveryRecord.objects.filter(user=request.user)
        .select_related("publication", "delivered_file")
        .order_by("-created_at")
    )
    page = Paginator(records, 25).get_page(request.GET.get("page"))
    return render(request, "delivery/public/history.html", {"page_obj": page})
