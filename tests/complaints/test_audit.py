"""Officers' complaint transitions and policy changes reach the central audit log."""

from django.urls import reverse

from complaints.choices import Severity
from complaints.models import ComplaintPolicy
from tests.audit import lines_since, mark, summary


def test_verifying_writes_one_audit_line_per_event(client_for, clerk, kendal, make_complaint):
    complaint = make_complaint()
    start = mark()

    client_for(clerk).post(
        reverse("complaints:complaint-action", args=["3324", complaint.tracking_code, "verify"]),
        {"severity": Severity.LIGHT, "category": "facilities", "ikm_element": "U9"},
    )

    target = f"complaints.Complaint {complaint.tracking_code}"
    assert [summary(line) for line in lines_since(start)] == [
        (clerk, kendal, "state", target, "received → verified", "127.0.0.1"),
        (clerk, kendal, "state", target, "classified", "127.0.0.1"),
    ]


def test_citizen_submission_is_not_audited_centrally(citizen, make_complaint):
    start = mark()

    make_complaint(complainant=citizen)

    assert lines_since(start) == []


def test_policy_change_is_one_settings_line_naming_the_fields(client_for, supervisor, kendal):
    policy = ComplaintPolicy.for_office(kendal)
    fields = ["light_days", "normal_days", "investigation_days", "audit_days"]
    data = {name: getattr(policy, name) for name in [*fields, "reminder_days", "auto_close_days"]}
    old = policy.light_days
    start = mark()

    client_for(supervisor).post(
        reverse("complaints:policy-edit", args=["3324"]), {**data, "light_days": old + 1}
    )

    [line] = lines_since(start)
    assert summary(line) == (
        supervisor,
        kendal,
        "settings",
        f"complaints.ComplaintPolicy {kendal.code}",
        f"light_days: {old} → {old + 1}",
        "127.0.0.1",
    )
