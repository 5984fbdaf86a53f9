"""Officers' queue, visit, locker and device actions reach the central audit log."""

from django.urls import reverse

from tests.audit import lines_since, mark, summary
from visits import services
from visits.choices import CardType, DeviceKind
from visits.models import Device


def test_officer_call_writes_one_audit_line(client_for, clerk, kendal):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)
    start = mark()

    client_for(clerk).post(reverse("visits:call-next", args=["3324", 1]))

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"visits.QueueTicket {ticket.pk} A-001",
        "ticket_called (counter=1)",
        "127.0.0.1",
    )


def test_locker_return_writes_one_audit_line(client_for, clerk, kendal, visit):
    assignment = services.assign_locker(
        visit, officer=clerk, card_type=CardType.KTP, holder_name="Tamu"
    )
    start = mark()

    client_for(clerk).post(reverse("visits:locker-return", args=["3324", assignment.pk]))

    [line] = lines_since(start)
    assert summary(line) == (
        clerk,
        kendal,
        "state",
        f"visits.Visit {visit.pk}",
        f"locker_returned (locker={assignment.locker.label})",
        "127.0.0.1",
    )


def test_kiosk_ticket_is_not_audited_centrally(kendal, kiosk):
    device, _key = kiosk
    start = mark()

    services.issue_ticket(kendal, "library", device=device)

    assert lines_since(start) == []


def test_device_registration_and_revocation_are_settings_lines(client_for, supervisor, kendal):
    client = client_for(supervisor)
    start = mark()

    client.post(reverse("visits:device-list", args=["3324"]), {"kind": "kiosk", "name": "Lobby"})
    device = Device.objects.get()
    client.post(reverse("visits:device-revoke", args=["3324", device.pk]))

    lines = lines_since(start)
    assert [summary(line) for line in lines] == [
        (
            supervisor,
            kendal,
            "settings",
            f"visits.Device {device.pk}",
            "device_registered",
            "127.0.0.1",
        ),
        (
            supervisor,
            kendal,
            "settings",
            f"visits.Device {device.pk}",
            "device_revoked",
            "127.0.0.1",
        ),
    ]
    assert device.kind == DeviceKind.KIOSK
