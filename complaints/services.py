"""Every change to a complaint goes through one function here.

Each function locks the complaint row, checks the current status, records who and
when (a ``ComplaintEvent``), saves with ``update_fields`` inside one transaction and
queues the notifications for after the commit. Refusals raise ``ComplaintError``
with a message for the officer; nothing is changed then.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role

from . import notify
from .choices import (
    ANSWERABLE,
    ASSIGNABLE,
    FINISHED,
    HOLDABLE,
    EventKind,
    MessageKind,
    Severity,
    Status,
)
from .choices import (
    CLOCK_RUNNING as CLOCK_RUNNING_STATUSES,
)
from .models import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintPolicy,
    new_tracking_code,
)


class ComplaintError(Exception):
    """A change that the complaint's current state does not allow."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _locked(complaint):
    return Complaint.objects.select_for_update().select_related("office").get(pk=complaint.pk)


def _require(complaint, allowed, message):
    if complaint.status not in allowed:
        raise ComplaintError(message)


def _set_status(complaint, to_status, *, by, note="", fields=()):
    event = ComplaintEvent.record(
        complaint,
        EventKind.STATUS,
        actor=by,
        from_status=complaint.status,
        to_status=to_status,
        note=note,
    )
    complaint.status = to_status
    complaint.save(update_fields=["status", *fields])
    return event


def _refresh_due_date(complaint):
    complaint.due_date = complaint.compute_due_date()
    complaint.save(update_fields=["due_date"])


def submit_complaint(
    *,
    office,
    channel,
    description,
    by=None,
    complainant=None,
    received_at=None,
    service="",
    incident_date=None,
    contact_name="",
    contact_email="",
    contact_whatsapp="",
    language="id",
    lapor_number="",
    lapor_classification="",
    severity=Severity.NORMAL,
    attachments=(),
):
    """Register a complaint from any channel and return it (with its new tracking code).

    ``by`` is the officer who registered it (None when the complainant used the
    website or the API); ``attachments`` are ``(uploaded_file, content_type)`` pairs
    already checked by ``files.check_attachment``.
    """
    policy = ComplaintPolicy.for_office(office)
    lapor_number = lapor_number.strip()
    with transaction.atomic():
        if (
            lapor_number
            and Complaint.objects.filter(office=office, lapor_number=lapor_number).exists()
        ):
            raise ComplaintError(_("A complaint with this LAPOR! number is already registered."))
        complaint = Complaint(
            office=office,
            channel=channel,
            description=description.strip(),
            created_by=by,
            complainant=complainant,
            received_at=received_at or timezone.now(),
            service=service,
            incident_date=incident_date,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip().lower(),
            contact_whatsapp=contact_whatsapp.strip(),
            language=language,
            lapor_number=lapor_number,
            lapor_classification=lapor_classification,
            severity=severity,
            target_working_days=policy.target_days(severity),
        )
        for attempt in range(5):
            complaint.tracking_code = new_tracking_code()
            try:
                with transaction.atomic():
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
                if (
                    lapor_number
                    and Complaint.objects.filter(office=office, lapor_number=lapor_number).exists()
                ):
                    raise ComplaintError(
                        _("A complaint with this LAPOR! number is already registered.")
                    ) from None
                if attempt == 4:
                    raise
        ComplaintEvent.record(
            complaint,
            EventKind.STATUS,
            actor=by,
            to_status=Status.RECEIVED,
            at=complaint.received_at,
        )
        _refresh_due_date(complaint)
        for upload, content_type in attachments:
            ComplaintAttachment.objects.create(
                complaint=complaint,
                file=upload,
                original_name=upload.name[-200:],
                content_type=content_type,
                size=upload.size,
            )
        notify.notify_complainant(complaint, "received")
    return complaint


def classify(complaint, *, by, severity, category="", ikm_element=""):
    """Set the severity tier and the classification; a new tier moves the due date."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(
            complaint,
            [s for s in Status if s not in FINISHED],
            _("A finished complaint cannot be reclassified."),
        )
        _classify(complaint, by=by, severity=severity, category=category, ikm_element=ikm_element)
    return complaint


def _classify(complaint, *, by, severity, category, ikm_element):
    policy = ComplaintPolicy.for_office(complaint.office)
    complaint.severity = severity
    complaint.target_working_days = policy.target_days(severity)
    complaint.category = category
    complaint.ikm_element = ikm_element
    complaint.save(update_fields=["severity", "target_working_days", "category", "ikm_element"])
    ComplaintEvent.record(
        complaint,
        EventKind.CLASSIFIED,
        actor=by,
        note=" · ".join(
            str(label)
            for label in (
                complaint.get_severity_display(),
                complaint.get_category_display() if category else "",
                complaint.get_ikm_element_display() if ikm_element else "",
            )
            if label
        ),
    )
    _refresh_due_date(complaint)


def verify(complaint, *, by, severity, category="", ikm_element=""):
    """Diterima → Diverifikasi: the complaint is complete and ours; classify it."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, [Status.RECEIVED], _("Only a received complaint can be verified."))
        complaint.verified_at = timezone.now()
        _set_status(complaint, Status.VERIFIED, by=by, fields=["verified_at"])
        _classify(complaint, by=by, severity=severity, category=category, ikm_element=ikm_element)
        notify.notify_complainant(complaint, "verified")
    return complaint


def put_on_hold(complaint, *, by, reason):
    """Tunda: information is missing. The clock stops; ``reason`` is shown to the complainant."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, HOLDABLE, _("Only an open complaint can be put on hold."))
        _set_status(complaint, Status.ON_HOLD, by=by, note=reason)
        ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.ANSWER, body=reason, author=by
        )
        complaint.due_date = None
        complaint.save(update_fields=["due_date"])
        notify.notify_complainant(complaint, "on_hold", text=reason)
    return complaint


def resume(complaint, *, by):
    """Back from hold to where it was; the due date moves by the working days on hold."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, [Status.ON_HOLD], _("This complaint is not on hold."))
        held = complaint.events.filter(kind=EventKind.STATUS, to_status=Status.ON_HOLD).last()
        _set_status(complaint, held.from_status, by=by)
        _refresh_due_date(complaint)
    return complaint


def mark_not_ours(complaint, *, by, reason):
    """Bukan wewenang: the complaint belongs elsewhere; ``reason`` is shown to the complainant."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(
            complaint,
            [*HOLDABLE, Status.ON_HOLD],
            _("Only an open complaint can be declared outside our competence."),
        )
        complaint.closed_at = timezone.now()
        _set_status(complaint, Status.NOT_OURS, by=by, note=reason, fields=["closed_at"])
        ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.ANSWER, body=reason, author=by
        )
        notify.notify_complainant(complaint, "not_ours", text=reason)
    return complaint


def assign(complaint, *, by, assignee):
    """Ditindaklanjuti: an officer of the office takes the complaint on."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, ASSIGNABLE, _("Verify the complaint before assigning it."))
        if not assignee.has_office_role(complaint.office, Role.OFFICER):
            raise ComplaintError(_("The assignee must be an officer of this office."))
        complaint.assignee = assignee
        complaint.save(update_fields=["assignee"])
        ComplaintEvent.record(complaint, EventKind.ASSIGNED, actor=by, note=assignee.full_name)
        if complaint.status != Status.IN_PROGRESS:
            _set_status(complaint, Status.IN_PROGRESS, by=by)
        if assignee != by:
            notify.notify_officers(complaint, "assigned", [assignee])
    return complaint


def answer(complaint, *, by, body):
    """Dijawab: a public answer to the complainant."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, ANSWERABLE, _("Verify the complaint before answering it."))
        ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.ANSWER, body=body, author=by
        )
        ComplaintEvent.record(complaint, EventKind.ANSWER, actor=by)
        if complaint.status != Status.ANSWERED:
            complaint.answered_at = complaint.answered_at or timezone.now()
            _set_status(complaint, Status.ANSWERED, by=by, fields=["answered_at"])
        notify.notify_complainant(complaint, "answered", text=body)
    return complaint


def add_reply(complaint, *, body, attachments=(), received_at=None):
    """The complainant wrote again (e-mail, WhatsApp, Instagram): the reply joins the thread.

    An answered complaint goes back to handling (the complainant is not satisfied, and the
    silence period that would close it is over); any other status stays as it is, and a
    finished complaint keeps the reply for the officers to see. ``attachments`` are
    ``(file, content_type)`` pairs already checked by ``files.check_attachment``.
    """
    with transaction.atomic():
        complaint = _locked(complaint)
        at = received_at or timezone.now()
        ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.REPLY, body=body, created_at=at
        )
        ComplaintEvent.record(complaint, EventKind.REPLY, at=at)
        for upload, content_type in attachments:
            ComplaintAttachment.objects.create(
                complaint=complaint,
                file=upload,
                original_name=upload.name[-200:],
                content_type=content_type,
                size=upload.size,
            )
        if complaint.status == Status.ANSWERED:
            _set_status(
                complaint, Status.IN_PROGRESS, by=None, note=str(_("The complainant replied."))
            )
    return complaint


def add_note(complaint, *, by, body):
    """An internal note: officers only, never shown to the complainant."""
    with transaction.atomic():
        complaint = _locked(complaint)
        ComplaintMessage.objects.create(
            complaint=complaint, kind=MessageKind.NOTE, body=body, author=by
        )
        ComplaintEvent.record(complaint, EventKind.NOTE, actor=by)
    return complaint


def close(complaint, *, by=None, confirmed=False, note=""):
    """Selesai: after the complainant's confirmation, an officer's decision or a silence."""
    with transaction.atomic():
        complaint = _locked(complaint)
        _require(complaint, [Status.ANSWERED], _("Only an answered complaint can be closed."))
        complaint.closed_at = timezone.now()
        complaint.confirmed_by_complainant = confirmed
        _set_status(
            complaint,
            Status.CLOSED,
            by=by,
            note=note,
            fields=["closed_at", "confirmed_by_complainant"],
        )
        notify.notify_complainant(complaint, "closed")
    return complaint


def _office_staff(office, roles):
    from accounts.models import User

    return list(
        User.objects.filter(
            is_active=True, memberships__office=office, memberships__role__in=roles
        ).order_by("pk")
    )


def process_deadlines():
    """Remind assignees before the due date, escalate overdue complaints to the supervisors,
    and close answered complaints after the office's silence period.

    Safe to run from several machines at once: each reminder and escalation is claimed
    with a compare-and-set update, so it is sent once per due date. Returns the counts.
    """
    from django.db.models import F, Max

    from offices.models import Office
    from offices.workdays import WorkingCalendar

    counts = {"reminders": 0, "escalations": 0, "closed": 0}
    offices = Office.objects.filter(
        complaints__status__in=[*CLOCK_RUNNING_STATUSES, Status.ANSWERED]
    ).distinct()
    for office in offices:
        calendar = WorkingCalendar(office)
        policy = ComplaintPolicy.for_office(office)
        today = office.local_now().date()
        complaints = Complaint.objects.filter(office=office).select_related("office", "assignee")

        horizon = calendar.add_working_days(today, policy.reminder_days)
        due_soon = (
            complaints.due_by(horizon)
            .filter(due_date__gte=today)
            .exclude(reminder_sent_for=F("due_date"))
        )
        for complaint in due_soon:
            with transaction.atomic():
                claimed = (
                    Complaint.objects.filter(pk=complaint.pk, due_date=complaint.due_date)
                    .exclude(reminder_sent_for=complaint.due_date)
                    .update(reminder_sent_for=complaint.due_date)
                )
                if not claimed:
                    continue
                users = (
                    [complaint.assignee]
                    if complaint.assignee
                    else _office_staff(office, [Role.OFFICER, Role.SUPERVISOR])
                )
                ComplaintEvent.record(
                    complaint, EventKind.REMINDER, note=", ".join(u.full_name for u in users)
                )
                notify.notify_officers(complaint, "reminder", users, today=today)
                counts["reminders"] += 1

        supervisors = _office_staff(office, [Role.SUPERVISOR])
        for complaint in complaints.overdue(today).exclude(escalated_for=F("due_date")):
            with transaction.atomic():
                claimed = (
                    Complaint.objects.filter(pk=complaint.pk, due_date=complaint.due_date)
                    .exclude(escalated_for=complaint.due_date)
                    .update(escalated_for=complaint.due_date)
                )
                if not claimed:
                    continue
                ComplaintEvent.record(
                    complaint,
                    EventKind.ESCALATION,
                    note=", ".join(u.full_name for u in supervisors),
                )
                notify.notify_officers(complaint, "escalation", supervisors, today=today)
                counts["escalations"] += 1

        answered = complaints.filter(status=Status.ANSWERED).annotate(
            last_answer=Max("messages__created_at", filter=Q(messages__kind=MessageKind.ANSWER))
        )
        for complaint in answered:
            last = complaint.last_answer or complaint.answered_at
            silent = calendar.working_days_between(complaint.local_date(last), today)
            if silent >= policy.auto_close_days:
                try:
                    close(complaint, note=str(_("Closed: no reply from the complainant.")))
                except ComplaintError:
                    continue  # changed meanwhile
                counts["closed"] += 1
    return counts
