import datetime
import math
import re

import time_machine

from complaints.choices import Channel, Severity, Status
from complaints.models import (
    CODE_ALPHABET,
    Complaint,
    ComplaintPolicy,
    new_tracking_code,
    normalise_tracking_code,
)

D = datetime.date
JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


def test_tracking_codes_are_readable_and_long_enough():
    codes = {new_tracking_code() for _ in range(500)}

    assert len(codes) == 500
    assert all(re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{2}", code) for code in codes)
    assert not set("".join(codes)) & set("01OIL")
    assert len(CODE_ALPHABET) == 31
    assert 10 * math.log2(len(CODE_ALPHABET)) >= 40


def test_normalise_tracking_code_accepts_typed_variants():
    assert normalise_tracking_code(" k7qx 94mt-pr ") == "K7QX-94MT-PR"
    assert normalise_tracking_code("K7QX94MTPR") == "K7QX-94MT-PR"
    assert normalise_tracking_code("K7QX-94MT-P0") is None  # 0 is not in the alphabet
    assert normalise_tracking_code("K7QX-94MT") is None
    assert normalise_tracking_code("") is None


def test_policy_defaults_are_the_common_tiers(kendal):
    policy = ComplaintPolicy.for_office(kendal)

    assert [policy.target_days(s) for s in Severity.values] == [2, 5, 14, 60]


@time_machine.travel(datetime.datetime(2026, 8, 13, 10, 0, tzinfo=JAKARTA), tick=False)
def test_due_date_counts_working_days_from_the_date_received(make_complaint):
    complaint = make_complaint(severity=Severity.LIGHT)

    # Thursday + 2 working days, skipping the weekend and Independence Day (Monday 17 Aug).
    assert complaint.due_date == D(2026, 8, 18)
    assert complaint.target_working_days == 2
    assert Complaint.objects.get(pk=complaint.pk).due_date == D(2026, 8, 18)


def test_hold_pauses_the_clock_and_resume_moves_the_due_date(make_complaint, clerk):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = make_complaint()  # Monday, normal: due Monday 9 November
        assert complaint.due_date == D(2026, 11, 9)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = complaint.put_on_hold(by=clerk, reason="Mohon kirim foto bukti.")
        assert complaint.due_date is None
        assert complaint.compute_due_date() is None
    with time_machine.travel(datetime.datetime(2026, 11, 6, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = complaint.resume(by=clerk)  # held Tue → Fri: 3 working days

    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED
    assert complaint.due_date == D(2026, 11, 12)
    assert [(s.date(), e.date()) for s, e in complaint.hold_periods()] == [
        (D(2026, 11, 3), D(2026, 11, 6))
    ]


def test_overdue_and_remaining_days_are_derived(make_complaint):
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=JAKARTA), tick=False):
        complaint = make_complaint(channel=Channel.BOX)

    assert complaint.remaining_working_days(D(2026, 11, 5)) == 2
    assert complaint.is_overdue(D(2026, 11, 9)) is False
    assert complaint.is_overdue(D(2026, 11, 10)) is True
    assert complaint.remaining_working_days(D(2026, 11, 10)) == -1
    assert list(Complaint.objects.overdue(D(2026, 11, 10))) == [complaint]
    assert list(Complaint.objects.overdue(D(2026, 11, 9))) == []
