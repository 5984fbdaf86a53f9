"""Concurrent officers and reminder runs (PostgreSQL: SQLite serialises writers anyway)."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from complaints import services
from complaints.choices import EventKind, Severity, Status

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))

pytestmark = [
    pytest.mark.django_db(transaction=True),
]


def _race(*calls):
    """Run the calls at the same moment in threads; return their results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_officers_verifying_at_once_verify_once(make_complaint, clerk, supervisor):
    complaint = make_complaint()

    results = _race(
        lambda: complaint.verify(by=clerk, severity=Severity.LIGHT),
        lambda: complaint.verify(by=supervisor, severity=Severity.AUDIT),
    )

    errors = [r for r in results if isinstance(r, services.ComplaintError)]
    assert len(errors) == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.VERIFIED
    assert complaint.events.filter(to_status=Status.VERIFIED).count() == 1


def test_two_reminder_runs_at_once_escalate_once(make_complaint, clerk, supervisor):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = make_complaint()

    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=JAKARTA), tick=False):
        _race(services.process_deadlines, services.process_deadlines)

    assert complaint.events.filter(kind=EventKind.ESCALATION).count() == 1
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]
