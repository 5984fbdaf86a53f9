"""An officer's softcopy-request transition reaches the central audit log; the user's does not."""

from django.urls import reverse

from tests.audit import lines_since, mark, summary


def test_start_writes_one_audit_line(client_for, clerk, kendal, make_request):
    created = make_request()
    start = mark()

    client_for(clerk).post(reverse("softcopies:office-start", args=["3324", created.number]))

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"softcopies.SoftcopyRequest {created.number}",
        "started: in_progress",
        "127.0.0.1",
    )


def test_the_users_own_request_and_cancel_are_not_audited_centrally(citizen, make_request):
    start = mark()

    created = make_request()
    created.cancel(by=citizen)

    assert lines_since(start) == []
