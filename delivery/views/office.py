import datetime
import tempfile

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, Sum
from django.shortcuts import render
from django.utils import timezone

from accounts.choices import Role
from history.choices import AuditAction
from history.log import record
from offices.permissions import office_required

from .. import services
from ..choices import Channel
from ..forms import TraceForm
from ..models import DeliveryRecord

PERIODS = {"7": 7, "30": 30, "365": 365}


def _counts():
    return {
        "reads": Count("id", filter=Q(channel=Channel.READ)),
        "downloads": Count("id", filter=Q(channel=Channel.DOWNLOAD)),
        "delivered": Count("id", filter=Q(channel=Channel.DELIVERED)),
        "total": Count("id"),
        "megabytes": Sum("bytes_served"),
        "last": Max("created_at"),
    }


@office_required(Role.OFFICER)
def statistics(request, office):
    days = PERIODS.get(request.GET.get("days"), 30)
    since = timezone.now() - datetime.timedelta(days=days)
    records = DeliveryRecord.objects.filter(office=office, created_at__gte=since)
    per_publication = (
        records.filter(publication__isnull=False)
        .values("publication_id", "publication__title", "publication__year")
        .annotate(**_counts())
        .order_by("-total", "publication__title")
    )
    per_user = (
        records.values("user_id", "user__full_name", "user__email", "user__occupation")
        .annotate(**_counts())
        .order_by("-total", "user__full_name")
    )
    publications = Paginator(per_publication, 25).get_page(request.GET.get("page"))
    users = Paginator(per_user, 25).get_page(request.GET.get("users_page"))
    # The readers' table names people (e-mails masked): viewing it is reading personal data.
    record(
        "delivery.DeliveryRecord readers",
        AuditAction.REVEAL,
        actor=request.user,
        office=office,
        detail=f"last {days} days, page {users.number}",
    )
    return render(
        request,
        "delivery/office/statistics.html",
        {
            "office": office,
            "days": days,
            "publications": publications,
            "users": users,
            "totals": records.aggregate(**_counts()),
        },
    )


@office_required(Role.OFFICER)
def trace(request, office):
    result = None
    if request.method == "POST":
        form = TraceForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                codes, records = services.trace_file(handle.name, office=office)
            services.logger.info(
                "trace: officer %s looked up %s: %d record(s)",
                request.user.pk,
                sorted(codes),
                len(records),
            )
            record(
                "delivery.DeliveryRecord trace",
                AuditAction.REVEAL,
                actor=request.user,
                office=office,
                detail=f"{', '.join(sorted(codes)) or '—'}: {len(records)} record(s)",
            )
            result = {"codes": sorted(codes), "records": records}
    else:
        form = TraceForm()
    return render(
        request, "delivery/office/trace.html", {"office": office, "form": form, "result": result}
    )
