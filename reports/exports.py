"""Raw-log exports with personal data minimised (UU 27/2022).

Each provider yields a header and rows for one office and period. Without
``personal`` no name, e-mail address, phone number, IP address, trace code or free
text is included: only dates, categories and the profile categories BPS reports.
With it (a supervisor's explicit choice, recorded in ``ExportLog``) those columns
are appended. Add a provider with one entry in ``EXPORTS``. The files are written by
``core.exports`` (the one CSV/XLSX writer); domain rules (overdue, …) are the models'.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from accounts.choices import PROFILE_FIELDS
from complaints.models import Complaint
from delivery.models import DeliveryRecord
from offices.time import local_day, local_time
from softcopies.models import SoftcopyRequest
from visits.models import Visit

# The profile categories (the institution's name is free text: personal data, left out).
PROFILE = tuple(name for name in PROFILE_FIELDS if name != "institution_name")


def _local(moment, office):
    return local_time(office, moment).replace(tzinfo=None) if moment else None


def _profile_headers():
    return [
        _("Sex"),
        _("Age group"),
        _("Education"),
        _("Occupation"),
        _("Institution category"),
        _("Purpose of data use"),
    ]


def _profile(user):
    return [getattr(user, f"get_{name}_display")() for name in PROFILE]


def visit_rows(office, period, *, personal):
    header = [
        _("Date"),
        _("Ticket"),
        _("Service"),
        _("Guest book"),
        _("Service started"),
        _("Service finished"),
        _("Wait (min)"),
        _("Target (min)"),
        _("Within the target"),
        _("Counter"),
        *_profile_headers(),
        _("Rating"),
    ]
    if personal:
        header += [_("Name"), _("E-mail"), _("Phone"), _("Institution")]
    yield header
    visits = (
        Visit.objects.filter(office=office, day__gte=period.start, day__lte=period.end)
        .select_related("ticket", "counter", "visitor", "guest_book")
        .order_by("guest_book_at", "pk")
    )
    for visit in visits.iterator(chunk_size=2000):
        wait = None
        if visit.service_started_at:
            wait = round(visit.wait_seconds() / 60, 1)
        row = [
            visit.day,
            visit.ticket.number if visit.ticket else "",
            visit.get_service_display(),
            _local(visit.guest_book_at, office),
            _local(visit.service_started_at, office),
            _local(visit.finished_at, office),
            wait,
            visit.target_minutes,
            (_("yes") if visit.within_target() else _("no")) if wait is not None else "",
            str(visit.counter) if visit.counter else "",
            *_profile(visit.visitor),
            visit.rating,
        ]
        if personal:
            guest = getattr(visit, "guest_book", None)
            row += [
                guest.full_name if guest else visit.visitor.full_name,
                guest.email if guest else visit.visitor.email,
                guest.phone if guest else visit.visitor.phone,
                visit.visitor.institution_name,
            ]
        yield row


def download_rows(office, period, *, personal):
    header = [_("Time"), _("Channel"), _("Publication ID"), _("Publication"), *_profile_headers()]
    if personal:
        header += [_("Name"), _("E-mail"), _("IP address"), _("Trace code")]
    yield header
    records = (
        DeliveryRecord.objects.filter(
            office=office, created_at__gte=period.since, created_at__lt=period.until
        )
        .select_related("publication", "user")
        .only(
            "created_at",
            "channel",
            "publication__title",
            "trace_code",
            "ip_address",
            *(f"user__{name}" for name in (*PROFILE, "full_name", "email")),
        )
        .order_by("created_at", "pk")
    )
    for record in records.iterator(chunk_size=5000):
        row = [
            _local(record.created_at, office),
            record.get_channel_display(),
            record.publication_id,
            record.publication.title,
            *_profile(record.user),
        ]
        if personal:
            row += [
                record.user.full_name,
                record.user.email,
                record.ip_address or "",
                record.trace_code,
            ]
        yield row


def complaint_rows(office, period, *, personal):
    header = [
        _("Tracking code"),
        _("Received"),
        _("Channel"),
        _("Status"),
        _("Service"),
        _("Category"),
        _("IKM element"),
        _("Severity"),
        _("Due date"),
        _("Answered"),
        pgettext("record state", "Closed"),
        _("Overdue"),
    ]
    if personal:
        header += [_("Name"), _("E-mail"), _("WhatsApp"), _("What happened")]
    yield header
    today = local_day(office)
    complaints = Complaint.objects.filter(
        office=office, received_at__gte=period.since, received_at__lt=period.until
    ).order_by("received_at", "pk")
    for c in complaints.iterator(chunk_size=2000):
        overdue = c.is_overdue(today)
        row = [
            c.tracking_code,
            _local(c.received_at, office),
            c.get_channel_display(),
            c.get_status_display(),
            c.get_service_display(),
            c.get_category_display(),
            c.get_ikm_element_display(),
            c.get_severity_display(),
            c.due_date,
            _local(c.answered_at, office),
            _local(c.closed_at, office),
            _("yes") if overdue else _("no"),
        ]
        if personal:
            row += [c.contact_name, c.contact_email, c.contact_whatsapp, c.description]
        yield row


def request_rows(office, period, *, personal):
    header = [
        _("Request number"),
        _("Kind"),
        _("Channel"),
        _("Status"),
        _("Received"),
        _("Due date"),
        _("Delivered"),
        pgettext("record state", "Closed"),
        _("Publication"),
        *_profile_headers(),
    ]
    if personal:
        header += [_("Name"), _("E-mail"), _("What was asked")]
    yield header
    requests = (
        SoftcopyRequest.objects.filter(
            office=office, created_at__gte=period.since, created_at__lt=period.until
        )
        .select_related("user", "publication")
        .order_by("created_at", "pk")
    )
    for r in requests.iterator(chunk_size=2000):
        row = [
            r.number,
            r.get_kind_display(),
            r.get_channel_display(),
            r.get_status_display(),
            _local(r.created_at, office),
            r.due_date,
            _local(r.delivered_at, office),
            _local(r.closed_at, office),
            r.publication.title if r.publication else "",
            *_profile(r.user),
        ]
        if personal:
            row += [r.user.full_name, r.user.email, r.description]
        yield row


@dataclasses.dataclass(frozen=True)
class Export:
    label: str
    rows: object  # rows(office, period, *, personal) -> iterator of lists, header first


# One entry per kind of raw log, in the order the export form lists them.
EXPORTS = {
    "visits": Export(gettext_lazy("Walk-in visits"), visit_rows),
    "downloads": Export(gettext_lazy("Reads and downloads"), download_rows),
    "requests": Export(gettext_lazy("Softcopy and scan requests"), request_rows),
    "complaints": Export(gettext_lazy("Complaints"), complaint_rows),
}
