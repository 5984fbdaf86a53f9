"""The history spine: ``obj.log`` writes the domain's row and the central audit line
together, in the transaction of the change; ``record`` writes lines of access."""

import pytest
from django.db import transaction

from complaints.choices import EventKind
from complaints.models import ComplaintEvent
from complaints.services import submit_complaint
from history.choices import AuditAction
from history.log import record
from history.models import AuditEvent
from tests.audit import lines_since, mark, summary


@pytest.fixture
def complaint(kendal):
    return submit_complaint(office=kendal, channel="web", description="Loket kosong siang hari.")


def test_an_officers_change_writes_the_event_and_the_audit_line(complaint, clerk, kendal):
    start = mark()

    event = complaint.log(EventKind.NOTE, actor=clerk, note="dicek")

    assert (event.complaint, event.kind, event.actor, event.note) == (
        complaint,
        "note",
        clerk,
        "dicek",
    )
    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"complaints.Complaint {complaint.tracking_code}",
        "note",
        None,
    )


def test_a_visitors_change_stays_in_the_domain_history(complaint, citizen):
    start = mark()

    complaint.log(EventKind.NOTE, actor=citizen)

    assert ComplaintEvent.objects.filter(kind="note", actor=citizen).count() == 1
    assert lines_since(start) == []


def test_event_and_line_are_undone_together(complaint, clerk):
    events, lines = ComplaintEvent.objects.count(), AuditEvent.objects.count()

    with pytest.raises(RuntimeError), transaction.atomic():
        complaint.log(EventKind.NOTE, actor=clerk)
        raise RuntimeError("the change failed after its history was written")

    assert (ComplaintEvent.objects.count(), AuditEvent.objects.count()) == (events, lines)


def test_a_line_of_access_is_always_written(kendal, citizen):
    line = record("visit 7", AuditAction.REVEAL, actor=citizen, office=kendal, detail="contact")

    assert summary(line) == (citizen, kendal, "reveal", "visit 7", "contact", None)
