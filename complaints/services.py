"""The complaint flows that cross models: registering one from any channel, and the
reminders, escalations and closings of ``complaint_reminders``.

A complaint's own changes (verify, classify, hold, resume, not ours, assign, answer,
note, close) are its transition methods (``models.Complaint``): each locks the row,
checks the status, records who and when (a ``ComplaintEvent`` through ``obj.log``),
saves with ``update_fields`` in one transaction and queues the notifications for after
the commit. Refusals raise ``ComplaintError`` (a ``DomainError``); nothing changes then.
"""

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from accounts.models import User
from offices.models import Office
from offices.time import local_day
from offices.workdays import WorkingCalendar

from . import notify
from .choices import CLOCK_RUNNING, EventKind, MessageKind, Severity, Status
from .models import (
    Complaint,
    ComplaintAttachment,
    ComplaintError,
    ComplaintPolicy,
    new_tracking_code,
)

__all__ = ["ComplaintError", "process_deadlines", "submit_complaint"]


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
        complaint.log(
            EventKind.STATUS, actor=by, to_status=Status.RECEIVED, at=complaint.received_at
        )
        complaint._refresh_due_date()
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


def _office_staff(office, roles):
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
    counts = {"reminders": 0, "escalations": 0, "closed": 0}
    offices = Office.objects.filter(
        complaints__status__in=[*CLOCK_RUNNING, Status.ANSWERED]
    ).distinct()
    for office in offices:
        calendar = WorkingCalendar(office)
        policy = ComplaintPolicy.for_office(office)
        today = local_day(office)
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
                complaint.log(EventKind.REMINDER, note=", ".join(u.full_name for u in users))
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
                complaint.log(
                    EventKind.ESCALATION, note=", ".join(u.full_name for u in supervisors)
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
                    complaint.close(note=str(_("Closed: no reply from the complainant.")))
                except ComplaintError:
                    continue  # changed meanwhile
                counts["closed"] += 1
    return counts
