import pytest
from django.urls import reverse

from tests.visits.conftest import GUEST
from visits import services
from visits.choices import DeviceKind
from visits.models import Device

pytestmark = pytest.mark.django_db


def test_board_shows_the_call_per_counter_and_the_waiting_counts(client, kendal, clerk, counter1):
    first = services.issue_ticket(kendal, "library", officer=clerk)
    services.issue_ticket(kendal, "library", officer=clerk)
    services.issue_ticket(kendal, "sales", officer=clerk)
    first.call(counter1, by=clerk)

    response = client.get(reverse("visits:board", args=["3324"]) + "?live=1")

    body = response.content.decode()
    assert f'data-call-key="{first.pk}-1-' in body
    assert 'data-spoken="A nol nol satu"' in body
    assert 'data-counter-number="1"' in body
    api = client.get("/api/v1/offices/3324/board").json()
    assert api["counters"][0] == {"number": 1, "name": counter1.name, "ticket": "A-001"}
    assert {w["service"]: w["count"] for w in api["waiting"]} == {
        "library": 1,
        "consultation": 0,
        "sales": 1,
        "recommendation": 0,
    }
    assert api["last_calls"][0]["spoken"] == "A nol nol satu"


def test_recall_changes_the_board_call_key(client, kendal, clerk, called_ticket):
    before = services.board_state(kendal)["call_key"]

    called_ticket.recall(by=clerk)

    assert services.board_state(kendal)["call_key"] != before


@pytest.mark.parametrize("count", [1, 3])
def test_board_queries_do_not_grow(
    client, kendal, clerk, counter1, count, django_assert_num_queries
):
    for _ in range(count):
        services.issue_ticket(kendal, "library", officer=clerk).call(counter1, by=clerk)

    with django_assert_num_queries(5):  # office, counters, called tickets, waiting counts, prefetch
        response = client.get(reverse("visits:board", args=["3324"]) + "?live=1")

    assert response.content.decode().count("→") == count


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_queries_do_not_grow(client_for, clerk, kendal, count, django_assert_num_queries):
    for i in range(count):
        visit = services.fill_guest_book(
            kendal, officer=clerk, data=dict(GUEST, email=f"t{i}@example.com")
        )
        services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name=f"T{i}")
    client = client_for(clerk)

    # session, user, office, membership, visits, open lockers, opening hours, lockers,
    # open assignments, counters (menu)
    with django_assert_num_queries(10):
        response = client.get(reverse("visits:dashboard", args=["3324"]))

    assert len(response.context["rows"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_visit_list_queries_do_not_grow(
    client_for, clerk, kendal, count, django_assert_num_queries
):
    for i in range(count):
        services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST, email=f"t{i}@example.com"))
    client = client_for(clerk)

    # session, user, office, membership, count, visits, counters (menu)
    with django_assert_num_queries(7):
        response = client.get(reverse("visits:visit-list", args=["3324"]))

    assert len(response.context["page"]) == count


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
@pytest.mark.parametrize("name", ["dashboard", "visit-list", "figures", "close-day", "guest-book"])
def test_office_pages_refuse_people_without_a_role(client_for, request, kendal, who, name):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).get(reverse(f"visits:{name}", args=["3324"]))

    assert response.status_code == (302 if user is None else 403)


def test_devices_are_for_supervisors_only(client_for, clerk, supervisor, kendal):
    url = reverse("visits:device-list", args=["3324"])

    refused = client_for(clerk).post(url, {"kind": "kiosk", "name": "Lobby"})
    created = client_for(supervisor).post(
        url, {"kind": "kiosk", "name": "Lobby", "offers_priority_lane": "on"}
    )

    assert refused.status_code == 403
    device = Device.objects.get()
    assert (device.kind, device.name, device.created_by, device.offers_priority_lane) == (
        DeviceKind.KIOSK,
        "Lobby",
        supervisor,
        True,
    )
    key = created.context["new_key"]
    assert Device.authenticate(key) == device
    assert created.context["device_url"].endswith(f"/kiosk/3324/{device.pk}/#key={key}")
    assert device.digest != key


def test_device_revoke_is_supervisor_only(client_for, clerk, supervisor, kendal, kiosk):
    device, key = kiosk
    url = reverse("visits:device-revoke", args=["3324", device.pk])

    assert client_for(clerk).post(url).status_code == 403
    client_for(supervisor).post(url)

    assert Device.authenticate(key) is None


def test_kiosk_page_offers_the_office_services(client, kendal, kiosk):
    device, _key = kiosk

    response = client.get(reverse("visits:kiosk", args=["3324", device.pk]))

    assert [code for code, _label in response.context["services"]] == [
        "library",
        "consultation",
        "sales",
        "recommendation",
    ]
    assert "kiosk.js" in response.content.decode()


def test_kiosk_page_of_a_board_device_is_404(client, kendal, supervisor):
    board, _key = Device.register(kendal, kind=DeviceKind.BOARD, name="TV", by=supervisor)

    assert client.get(reverse("visits:kiosk", args=["3324", board.pk])).status_code == 404


def test_home_page_shows_todays_queue(client, kendal, clerk, called_ticket):
    services.issue_ticket(kendal, "sales", officer=clerk)

    response = client.get("/")

    [(template, queue)] = response.context["panels"]  # the offices home page's queue panel
    assert template == "visits/public/_queue_status.html"
    assert queue["total_waiting"] == 1
    assert [row["ticket"].number for row in queue["now_serving"]] == ["A-001"]


@pytest.mark.parametrize("count", [1, 3])
def test_device_list_queries_do_not_grow(
    client_for, supervisor, kendal, count, django_assert_num_queries
):
    for i in range(count):
        Device.register(kendal, kind=DeviceKind.KIOSK, name=f"Kiosk {i}", by=supervisor)
    client = client_for(supervisor)

    # session, user, office, membership, devices, counters (menu)
    with django_assert_num_queries(6):
        response = client.get(reverse("visits:device-list", args=["3324"]))

    assert len(response.context["devices"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_day_close_page_queries_do_not_grow(
    client_for, clerk, kendal, count, django_assert_num_queries
):
    for i in range(count):
        visit = services.fill_guest_book(
            kendal, officer=clerk, data=dict(GUEST, email=f"t{i}@example.com")
        )
        services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name=f"T{i}")
    client = client_for(clerk)

    # session, user, office, membership, open visits, their lockers, locker rows, open tickets,
    # counters (menu)
    with django_assert_num_queries(9):
        response = client.get(reverse("visits:close-day", args=["3324"]))

    assert len(response.context["open_visits"]) == count


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
@pytest.mark.parametrize("action", ["recall", "no-show", "start", "finish", "transfer"])
def test_ticket_actions_refuse_people_without_a_role(
    client_for, request, kendal, called_ticket, who, action
):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = reverse("visits:ticket-action", args=["3324", called_ticket.pk, action])

    response = client_for(user).post(url, {"service": "sales"})

    assert response.status_code == (302 if user is None else 403)
    called_ticket.refresh_from_db()
    assert (called_ticket.status, called_ticket.call_count, called_ticket.service) == (
        "called",
        1,
        "library",
    )


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
@pytest.mark.parametrize("action", ["start", "finish", "check-out", "locker", "record"])
def test_visit_actions_refuse_people_without_a_role(
    client_for, request, kendal, visit, who, action
):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    url = reverse("visits:visit-action", args=["3324", visit.pk, action])

    response = client.post(url, {"card_type": "ktp", "holder_name": "X", "kind": "digital_reading"})
    page = client.get(reverse("visits:visit-detail", args=["3324", visit.pk]))

    expected = 302 if user is None else 403
    assert (response.status_code, page.status_code) == (expected, expected)
    visit.refresh_from_db()
    assert visit.service_started_at is None
    assert visit.locker_assignments.count() == 0


def test_visit_of_another_office_is_404_for_its_officer(client_for, kendal, visit, other_office):
    from tests.factories import MembershipFactory

    semarang = MembershipFactory(office=other_office).user

    response = client_for(semarang).get(reverse("visits:visit-detail", args=["3374", visit.pk]))

    assert response.status_code == 404
