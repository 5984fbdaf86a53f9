import datetime
import zoneinfo

import pytest
import time_machine

from visits import services
from visits.choices import DeviceKind, EventAction, TicketStatus
from visits.models import Device, QueueTicket, VisitError, VisitEvent

pytestmark = pytest.mark.django_db
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
URL = "/api/v1/offices/3324/tickets"


def post(client, payload, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.post(URL, payload, content_type="application/json", **headers)


def test_kiosk_issues_the_first_ticket_of_the_day(client, kendal, kiosk):
    device, key = kiosk

    response = post(client, {"service": "library"}, key)

    data = response.json()
    assert response.status_code == 201
    assert data["number"] == "A-001"
    assert data["service"] == "library"
    assert data["position"] == 1
    assert data["estimated_wait_minutes"] == 5  # nobody served yet: 5 min ÷ 1 library counter
    ticket = QueueTicket.objects.get(pk=data["id"])
    assert ticket.device == device
    assert ticket.status == TicketStatus.WAITING
    assert VisitEvent.objects.get(ticket=ticket).action == EventAction.TICKET_ISSUED


def test_numbers_have_a_prefix_per_service_and_count_up(kendal, clerk):
    numbers = [
        services.issue_ticket(kendal, service, officer=clerk).number
        for service in ["library", "library", "consultation", "sales", "recommendation", "library"]
    ]

    assert numbers == ["A-001", "A-002", "B-001", "C-001", "D-001", "A-003"]


def test_numbers_restart_on_the_next_local_day(kendal, clerk):
    # 23.30 in Jakarta is still 16.30 UTC of the same day: the local date decides.
    with time_machine.travel(datetime.datetime(2026, 11, 23, 23, 30, tzinfo=JAKARTA), tick=False):
        first = services.issue_ticket(kendal, "library", officer=clerk)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 0, 10, tzinfo=JAKARTA), tick=False):
        second = services.issue_ticket(kendal, "library", officer=clerk)

    assert (first.day, first.number) == (datetime.date(2026, 11, 23), "A-001")
    assert (second.day, second.number) == (datetime.date(2026, 11, 24), "A-001")


def test_a_double_tap_makes_one_ticket(client, kendal, kiosk):
    _device, key = kiosk

    first = post(client, {"service": "library", "request_key": "tap-1"}, key)
    second = post(client, {"service": "library", "request_key": "tap-1"}, key)

    assert first.json()["id"] == second.json()["id"]
    assert QueueTicket.objects.count() == 1


def test_officer_of_the_office_may_issue_with_session(client_for, clerk):
    response = post(client_for(clerk), {"service": "consultation"})

    assert response.status_code == 201
    assert QueueTicket.objects.get().issued_by == clerk


def test_officer_may_issue_with_an_api_token(client, clerk):
    from accounts.models import ApiToken

    _token, raw = ApiToken.issue(clerk, name="kiosk-script")

    response = post(client, {"service": "library"}, raw)

    assert response.status_code == 201
    assert response.json()["number"] == "A-001"


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
def test_people_without_a_role_here_cannot_issue(client_for, request, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = post(client_for(user), {"service": "library"})

    assert response.status_code == (401 if user is None else 403)
    assert QueueTicket.objects.count() == 0


def test_kiosk_of_another_office_and_a_board_cannot_issue(client, kendal, other_office, supervisor):
    _k, other_key = Device.register(other_office, kind=DeviceKind.KIOSK, name="K", by=supervisor)
    _b, board_key = Device.register(kendal, kind=DeviceKind.BOARD, name="TV", by=supervisor)

    assert post(client, {"service": "library"}, other_key).status_code == 403
    assert post(client, {"service": "library"}, board_key).status_code == 403
    assert QueueTicket.objects.count() == 0


def test_revoked_kiosk_is_refused(client, kendal, kiosk, supervisor):
    device, key = kiosk
    device.revoke(by=supervisor)

    response = post(client, {"service": "library"}, key)

    assert response.status_code == 401
    assert VisitEvent.objects.filter(action=EventAction.DEVICE_REVOKED, device=device).count() == 1


def test_unknown_service_gets_a_clear_message(client, kendal, kiosk):
    response = post(client, {"service": "photocopy"}, kiosk[1])

    assert response.status_code == 400
    assert response.json() == {"detail": "Layanan tidak dikenal: photocopy"}
    assert QueueTicket.objects.count() == 0


def test_unknown_office_is_404(client, kendal, kiosk):
    response = client.post(
        "/api/v1/offices/9999/tickets",
        {"service": "library"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {kiosk[1]}",
    )

    assert response.status_code == 404


def test_priority_lane_is_refused_where_the_kiosk_does_not_offer_it(client, kendal, supervisor):
    _device, key = Device.register(
        kendal, kind=DeviceKind.KIOSK, name="K2", by=supervisor, offers_priority_lane=False
    )

    response = post(client, {"service": "library", "priority": "elderly"}, key)

    assert response.status_code == 400
    assert QueueTicket.objects.count() == 0


def test_position_puts_the_priority_lane_first(kendal, clerk):
    a1 = services.issue_ticket(kendal, "library", officer=clerk)
    a2 = services.issue_ticket(kendal, "library", officer=clerk)
    elderly = services.issue_ticket(kendal, "library", priority="elderly", officer=clerk)

    assert [elderly.position(), a1.position(), a2.position()] == [1, 2, 3]


def test_ticket_status_is_public_and_follows_the_queue(client, kendal, clerk, counter1):
    first = services.issue_ticket(kendal, "library", officer=clerk)
    second = services.issue_ticket(kendal, "library", officer=clerk)
    assert client.get(f"/api/v1/tickets/{second.pk}").json()["position"] == 2

    first.call(counter1, by=clerk)

    data = client.get(f"/api/v1/tickets/{second.pk}").json()
    assert (data["position"], data["status"]) == (1, "waiting")
    called = client.get(f"/api/v1/tickets/{first.pk}").json()
    assert (called["status"], called["counter"], called["position"]) == ("called", 1, 0)


def test_estimate_uses_todays_service_times(kendal, clerk, counter1):
    from visits.models import Visit

    base = datetime.datetime(2026, 11, 24, 9, 0, tzinfo=JAKARTA)
    with time_machine.travel(base, tick=False):
        ticket = services.issue_ticket(kendal, "library", officer=clerk)
        ticket.call(counter1, by=clerk)
        from tests.visits.conftest import GUEST

        visit = services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST), ticket=ticket)
        visit.start(by=clerk)
    with time_machine.travel(base + datetime.timedelta(minutes=12), tick=False):
        visit.finish(by=clerk)
        waiting = [services.issue_ticket(kendal, "library", officer=clerk) for _ in range(2)]

        assert Visit.objects.get().finished_at is not None
        assert services.estimated_wait_minutes(waiting[1]) == 24  # 2nd in line × 12 min


def test_ticket_pages_render_without_login(client, kendal, clerk):
    ticket = services.issue_ticket(kendal, "sales", officer=clerk)

    status = client.get(f"/tickets/{ticket.pk}/")
    slip = client.get(f"/tickets/{ticket.pk}/print/?back=/kiosk/3324/1/")

    assert status.status_code == 200
    assert status.context["position"] == 1
    body = slip.content.decode()
    assert "C-001" in body
    assert "<svg" in body  # the QR code to the live status page
    assert slip.context["back"] == "/kiosk/3324/1/"


def test_print_page_ignores_a_foreign_back_address(client, kendal, clerk):
    ticket = services.issue_ticket(kendal, "sales", officer=clerk)

    response = client.get(f"/tickets/{ticket.pk}/print/?back=https://evil.example/")

    assert response.context["back"] == ""


def test_issuing_a_service_no_counter_handles_is_refused(kendal, clerk):
    kendal.counters.update(services=["library"])

    with pytest.raises(VisitError):
        services.issue_ticket(kendal, "sales", officer=clerk)
    assert QueueTicket.objects.count() == 0


def test_openapi_schema_names_the_queue_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/offices/{code}/tickets"]) == {"post"}
    assert set(paths["/api/v1/tickets/{ticket_id}"]) == {"get"}
    assert set(paths["/api/v1/offices/{code}/board"]) == {"get"}
    assert "/api/v1/offices/{code}" in paths  # the offices router is untouched
