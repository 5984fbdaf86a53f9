import datetime
import io

import time_machine
from django.core import mail
from django.core.management import call_command

from complaints.choices import EventKind, Severity, Status

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def at(day, hour=9):
    return time_machine.travel(
        datetime.datetime(2026, 11, day, hour, 0, tzinfo=JAKARTA), tick=False
    )


def _run():
    out = io.StringIO()
    call_command("complaint_reminders", stdout=out)
    return out.getvalue().strip()


def test_overdue_complaint_is_escalated_to_the_supervisors_once(
    make_complaint, clerk, supervisor, django_capture_on_commit_callbacks
):
    with at(2):  # Monday; normal tier: due Monday 9 November
        complaint = make_complaint()
        complaint.verify(by=clerk, severity=Severity.NORMAL).assign(by=clerk, assignee=clerk)
    mail.outbox.clear()

    with at(9), django_capture_on_commit_callbacks(execute=True):
        _run()  # due today: the assignee is reminded, nobody escalated yet
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["clerk@example.com"],
            f"Pengingat: tenggat pengaduan {complaint.tracking_code} jatuh pada 9 November 2026",
        ),
    ]
    mail.outbox.clear()

    with at(10), django_capture_on_commit_callbacks(execute=True):
        first = _run()
        second = _run()

    assert first == "complaint_reminders: 0 reminder(s), 1 escalation(s), 0 closed"
    assert second == "complaint_reminders: 0 reminder(s), 0 escalation(s), 0 closed"

    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["boss@example.com"], f"Pengaduan melewati tenggat: {complaint.tracking_code}"),
    ]
    assert "Kurniawan Petugas" in mail.outbox[0].body
    complaint.refresh_from_db()
    assert complaint.escalated_for == datetime.date(2026, 11, 9)
    assert complaint.events.filter(kind=EventKind.ESCALATION).count() == 1


def test_reminder_goes_before_the_due_date(
    make_complaint, clerk, supervisor, django_capture_on_commit_callbacks
):
    with at(2):
        complaint = make_complaint()
        complaint.verify(by=supervisor, severity=Severity.NORMAL).assign(
            by=supervisor, assignee=clerk
        )
    mail.outbox.clear()

    with at(5), django_capture_on_commit_callbacks(execute=True):
        _run()  # Thursday: 2 working days left, nothing yet
    assert mail.outbox == []
    with at(6), django_capture_on_commit_callbacks(execute=True):
        _run()  # Friday: 1 working day left
        _run()

    assert [m.to for m in mail.outbox] == [["clerk@example.com"]]
    assert complaint.events.filter(kind=EventKind.REMINDER).count() == 1


def test_unassigned_complaint_reminds_all_officers(
    make_complaint, clerk, supervisor, django_capture_on_commit_callbacks
):
    with at(2):
        make_complaint()

    with at(6), django_capture_on_commit_callbacks(execute=True):
        _run()

    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "clerk@example.com"]


def test_complaint_on_hold_is_not_escalated(
    make_complaint, clerk, supervisor, django_capture_on_commit_callbacks
):
    with at(2):
        complaint = make_complaint()
    with at(3):
        complaint.put_on_hold(by=clerk, reason="Mohon lengkapi bukti.")

    with at(20), django_capture_on_commit_callbacks(execute=True):
        _run()

    assert mail.outbox == []


def test_answered_complaint_closes_after_the_silence_period(make_complaint, clerk):
    with at(2):
        complaint = make_complaint()
        complaint.verify(by=clerk, severity=Severity.NORMAL)
        complaint.answer(by=clerk, body="Sudah ditindaklanjuti.")
    with at(13):  # 9 working days later
        _run()
        complaint.refresh_from_db()
        assert complaint.status == Status.ANSWERED
    with at(16):  # 10 working days later
        _run()

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.confirmed_by_complainant is False
    assert complaint.events.last().note == "Diselesaikan: tidak ada tanggapan dari pengadu."
