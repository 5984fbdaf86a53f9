"""The central audit log: addresses from the request, none from commands, and its pages."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from delivery.models import DownloadPolicy
from history.log import is_officer, record
from history.models import AuditEvent
from privacy.models import PrivacySettings
from tests.audit import lines_since, mark, summary
from visits import services as visit_services


def test_a_transition_outside_a_request_has_no_address(kendal, clerk):
    # What a command or a worker does on an officer's behalf: no request, so no IP.
    start = mark()

    ticket = visit_services.issue_ticket(kendal, "library", officer=clerk)

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"visits.QueueTicket {ticket.pk} A-001",
        "ticket_issued",
        None,
    )


def test_retention_command_line_has_no_actor_and_no_address(kendal, citizen):
    from complaints.services import submit_complaint

    complaint = submit_complaint(
        office=kendal, channel="web", description="Antrean lama.", contact_name="Budi"
    )
    type(complaint).objects.filter(pk=complaint.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=400)
    )
    start = mark()

    call_command("apply_retention", stdout=io.StringIO())

    [line] = lines_since(start)
    assert (line.actor, line.action, line.ip_address) == (None, "retention", None)


def test_someone_without_a_role_is_not_audited_centrally(kendal, citizen, outsider_officer):
    assert not is_officer(citizen, kendal)
    assert not is_officer(outsider_officer, kendal)
    assert not is_officer(None, kendal)

    for actor in (citizen, outsider_officer, None):
        visit_services.issue_ticket(kendal, "library", officer=actor)

    assert AuditEvent.objects.count() == 0


def test_state_lines_are_append_only(kendal, clerk):
    visit_services.issue_ticket(kendal, "library", officer=clerk)
    line = AuditEvent.objects.get(action="state")

    with pytest.raises(PermissionError):
        line.save()
    with pytest.raises(PermissionError):
        line.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(action="state").update(detail="changed")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(action="state").delete()
    assert AuditEvent.objects.get(action="state").detail.startswith("ticket_issued")


def test_privacy_settings_line_names_fields_but_not_the_officers_contacts(
    client_for, supervisor, kendal
):
    PrivacySettings.for_office(kendal)
    start = mark()

    client_for(supervisor).post(
        reverse("privacy:office-settings", args=["3324"]),
        {
            "dpo_name": "PPID Kendal",
            "dpo_email": "ppid@example.go.id",
            "dpo_phone": "",
            "guest_book_days": 730,
            "download_log_days": 180,
            "complaint_identity_days": 365,
        },
    )

    [line] = lines_since(start)
    assert summary(line)[:4] == (
        supervisor,
        kendal,
        "settings",
        f"privacy.PrivacySettings {kendal.code}",
    )
    assert line.detail == "dpo_name; dpo_email; dpo_phone; download_log_days: 365 → 180"
    assert "ppid@" not in line.detail


def test_admin_edit_of_a_settings_model_is_a_settings_line(client_for, admin, kendal):
    policy = DownloadPolicy.for_office(kendal)
    url = reverse("admin:delivery_downloadpolicy_change", args=[policy.pk])
    start = mark()

    client_for(admin).post(
        url,
        {
            "office": kendal.pk,
            "downloads_per_hour": policy.downloads_per_hour + 1,
            "downloads_per_day": policy.downloads_per_day,
            "copyright_notice": policy.copyright_notice,
        },
    )

    [line] = lines_since(start)
    assert summary(line) == (
        admin,
        kendal,
        "settings",
        f"delivery.DownloadPolicy {policy.pk}",
        f"admin: downloads_per_hour: {policy.downloads_per_hour} → {policy.downloads_per_hour + 1}",
        "127.0.0.1",
    )


def test_audit_page_filters_by_action(client_for, supervisor, clerk, kendal):
    visit_services.issue_ticket(kendal, "library", officer=clerk)
    record("reports", "export", office=kendal, actor=clerk)

    response = client_for(supervisor).get(
        reverse("privacy:office-audit", args=["3324"]), {"action": "state"}
    )

    assert [line.action for line in response.context["page_obj"]] == ["state"]
    assert "ticket_issued" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_audit_page_queries_do_not_grow(
    client_for, supervisor, clerk, kendal, count, django_assert_num_queries
):
    for _ in range(count):
        visit_services.issue_ticket(kendal, "library", officer=clerk)
    client = client_for(supervisor)
    url = reverse("privacy:office-audit", args=["3324"])
    client.get(url)  # warm the session

    # session, user, office, role, count, page (with the actor)
    with django_assert_num_queries(6):
        response = client.get(url, {"action": "state"})

    assert len(response.context["page_obj"]) == count
