import datetime
import logging

import pytest
import time_machine
from django.core import mail

from complaints import services
from complaints.choices import (
    Category,
    Channel,
    EventKind,
    IkmElement,
    LaporClassification,
    MessageKind,
    Severity,
    Status,
)
from complaints.models import ComplaintEvent, ComplaintPolicy

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def _statuses(complaint):
    return list(
        complaint.events.filter(kind=EventKind.STATUS).values_list("from_status", "to_status")
    )


def test_submission_records_receipt_and_mails_the_tracking_code(
    make_complaint, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = make_complaint(contact_email="Warga@Example.com", language="en")

    assert complaint.status == Status.RECEIVED
    assert complaint.contact_email == "warga@example.com"
    assert _statuses(complaint) == [("", Status.RECEIVED)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["warga@example.com"]
    assert mail.outbox[0].subject == f"Complaint received: {complaint.tracking_code}"
    assert f"http://testserver/complaints/track/{complaint.tracking_code}/" in mail.outbox[0].body


def test_anonymous_submission_sends_nothing(make_complaint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_complaint()

    assert mail.outbox == []


def test_whatsapp_contact_goes_to_the_channels_app_and_is_logged_masked(
    make_complaint, django_capture_on_commit_callbacks, caplog
):
    # The development sender (WHATSAPP_SENDER=log): nothing leaves, the number is masked.
    with (
        caplog.at_level(logging.INFO, logger="channels.outbound"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        complaint = make_complaint(contact_whatsapp="0812 3456 7890")

    message = complaint.conversations.get().messages.get()
    assert message.state == "not_sent"
    assert f"Pengaduan diterima: {complaint.tracking_code}" in message.body
    records = [r.getMessage() for r in caplog.records if "not sent" in r.getMessage()]
    assert len(records) == 1
    assert "********7890" in records[0]
    assert "0812 3456" not in records[0] and "6281234567890" not in records[0]


def test_full_workflow_records_every_step(
    make_complaint, clerk, supervisor, django_capture_on_commit_callbacks
):
    complaint = make_complaint(contact_email="warga@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        complaint.verify(
            by=supervisor,
            severity=Severity.INVESTIGATION,
            category=Category.STAFF,
            ikm_element=IkmElement.U7,
        )
        complaint.assign(by=supervisor, assignee=clerk)
        complaint.add_note(by=clerk, body="Catatan internal: cek CCTV.")
        complaint.answer(by=clerk, body="Mohon maaf, petugas sudah ditegur.")
        complaint.close(by=clerk)

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.assignee == clerk
    assert complaint.target_working_days == 14
    assert (complaint.category, complaint.ikm_element) == (Category.STAFF, IkmElement.U7)
    assert complaint.verified_at and complaint.answered_at and complaint.closed_at
    assert complaint.confirmed_by_complainant is False
    assert _statuses(complaint) == [
        ("", Status.RECEIVED),
        (Status.RECEIVED, Status.VERIFIED),
        (Status.VERIFIED, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Status.ANSWERED),
        (Status.ANSWERED, Status.CLOSED),
    ]
    actors = list(complaint.events.exclude(actor=None).values_list("kind", "actor__email"))
    assert (EventKind.ASSIGNED, "boss@example.com") in actors
    assert (EventKind.NOTE, "clerk@example.com") in actors
    assert list(complaint.messages.values_list("kind", flat=True)) == [
        MessageKind.NOTE,
        MessageKind.ANSWER,
    ]
    # Complainant: verified, answered, closed (in Indonesian); clerk: assignment.
    recipients = [(m.to, m.subject.split(":")[0]) for m in mail.outbox]
    assert recipients == [
        (["warga@example.com"], "Pengaduan diverifikasi"),
        (["clerk@example.com"], f"Pengaduan {complaint.tracking_code} ditugaskan kepada Anda"),
        (["warga@example.com"], f"Jawaban atas pengaduan Anda {complaint.tracking_code}"),
        (["warga@example.com"], "Pengaduan selesai"),
    ]
    assert "Mohon maaf, petugas sudah ditegur." in mail.outbox[2].body
    assert "Catatan internal" not in "".join(m.body for m in mail.outbox)


def test_closing_an_unanswered_complaint_is_refused(make_complaint, clerk):
    complaint = make_complaint()

    with pytest.raises(services.ComplaintError) as info:
        complaint.close(by=clerk)

    assert str(info.value.message) == "Hanya pengaduan yang sudah dijawab yang dapat diselesaikan."
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.closed_at is None
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


@pytest.mark.parametrize(
    "action",
    [
        lambda c, u: c.verify(by=u, severity=Severity.LIGHT),
        lambda c, u: c.answer(by=u, body="x"),
        lambda c, u: c.put_on_hold(by=u, reason="x"),
        lambda c, u: c.resume(by=u),
        lambda c, u: c.mark_not_ours(by=u, reason="x"),
    ],
)
def test_a_finished_complaint_cannot_change(make_complaint, clerk, action):
    complaint = make_complaint()
    complaint.mark_not_ours(by=clerk, reason="Wewenang Dinas Kominfo.")
    events = ComplaintEvent.objects.filter(complaint=complaint).count()

    with pytest.raises(services.ComplaintError):
        action(complaint, clerk)

    complaint.refresh_from_db()
    assert complaint.status == Status.NOT_OURS
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events


def test_answering_before_verification_is_refused(make_complaint, clerk):
    complaint = make_complaint()

    with pytest.raises(services.ComplaintError):
        complaint.answer(by=clerk, body="Jawaban")

    assert complaint.messages.count() == 0


def test_assignee_must_be_an_officer_of_the_office(make_complaint, clerk, outsider_officer):
    complaint = make_complaint().verify(by=clerk, severity=Severity.NORMAL)

    with pytest.raises(services.ComplaintError):
        complaint.assign(by=clerk, assignee=outsider_officer)

    complaint.refresh_from_db()
    assert (complaint.assignee, complaint.status) == (None, Status.VERIFIED)


def test_not_ours_reason_is_a_public_message(make_complaint, clerk):
    complaint = make_complaint().mark_not_ours(
        by=clerk, reason="Silakan hubungi Dinas Kependudukan."
    )

    assert complaint.status == Status.NOT_OURS
    assert list(complaint.messages.values_list("kind", "body")) == [
        (MessageKind.ANSWER, "Silakan hubungi Dinas Kependudukan.")
    ]


def test_duplicate_lapor_number_is_refused(make_complaint, clerk):
    make_complaint(
        channel=Channel.LAPOR,
        by=clerk,
        lapor_number="LPR-1",
        lapor_classification=LaporClassification.COMPLAINT,
    )

    with pytest.raises(services.ComplaintError):
        make_complaint(
            channel=Channel.LAPOR,
            by=clerk,
            lapor_number="LPR-1",
            lapor_classification=LaporClassification.ASPIRATION,
        )


def test_reclassifying_moves_the_due_date(make_complaint, clerk):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = make_complaint()
        complaint.verify(by=clerk, severity=Severity.LIGHT)
        complaint.refresh_from_db()
        assert complaint.due_date == datetime.date(2026, 11, 4)
        complaint.classify(by=clerk, severity=Severity.AUDIT)

    complaint.refresh_from_db()
    assert complaint.target_working_days == 60
    assert complaint.due_date == datetime.date(2027, 1, 28)


def test_policy_targets_apply_to_new_complaints(make_complaint, kendal):
    policy = ComplaintPolicy.for_office(kendal)
    policy.normal_days = 7
    policy.save()

    assert make_complaint().target_working_days == 7
