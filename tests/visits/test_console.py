import pytest
from django.urls import reverse

from offices.models import Counter
from visits import services
from visits.choices import EventAction, TicketStatus
from visits.models import QueueTicket, VisitError, VisitEvent

pytestmark = pytest.mark.django_db


def test_call_next_takes_the_priority_lane_first_then_ticket_order(kendal, clerk, counter1):
    a1 = services.issue_ticket(kendal, "library", officer=clerk)
    services.issue_ticket(kendal, "consultation", officer=clerk)  # not handled at counter 1
    pregnant = services.issue_ticket(kendal, "library", priority="pregnant", officer=clerk)

    first = services.call_next(counter1, officer=clerk)
    second = services.call_next(counter1, officer=clerk)

    assert [first.pk, second.pk] == [pregnant.pk, a1.pk]
    first.refresh_from_db()
    assert (first.status, first.counter, first.called_by, first.call_count) == (
        TicketStatus.CALLED,
        counter1,
        clerk,
        1,
    )
    with pytest.raises(VisitError, match="Tidak ada yang menunggu untuk loket ini."):
        services.call_next(counter1, officer=clerk)


def test_a_ticket_cannot_be_called_twice(kendal, clerk, counter1, called_ticket):
    with pytest.raises(VisitError):
        called_ticket.call(counter1, by=clerk)

    called_ticket.refresh_from_db()
    assert called_ticket.call_count == 1
    assert VisitEvent.objects.filter(action=EventAction.TICKET_CALLED).count() == 1


def test_recall_counts_the_calls(clerk, called_ticket):
    called_ticket.recall(by=clerk)

    called_ticket.refresh_from_db()
    assert called_ticket.call_count == 2
    assert VisitEvent.objects.filter(action=EventAction.TICKET_RECALLED, actor=clerk).count() == 1


def test_no_show_closes_the_ticket_and_cannot_be_repeated(clerk, called_ticket):
    called_ticket.no_show(by=clerk)

    called_ticket.refresh_from_db()
    assert called_ticket.status == TicketStatus.NO_SHOW
    assert called_ticket.closed_at is not None
    with pytest.raises(VisitError):
        called_ticket.no_show(by=clerk)


def test_transfer_to_another_counter_keeps_the_number_and_place(kendal, clerk, called_ticket):
    counter2 = Counter.objects.get(office=kendal, number=2)
    later = services.issue_ticket(kendal, "consultation", officer=clerk)

    called_ticket.transfer(by=clerk, service="consultation", counter=counter2)

    called_ticket.refresh_from_db()
    assert (called_ticket.number, called_ticket.service, called_ticket.status) == (
        "A-001",
        "consultation",
        TicketStatus.WAITING,
    )
    assert called_ticket.target_counter == counter2
    # Only counter 2 sees it, before the later consultation ticket.
    assert list(services.next_ticket_for(counter2)) == [called_ticket, later]
    counter3 = Counter.objects.get(office=kendal, number=3)
    assert list(services.next_ticket_for(counter3)) == [later]


def test_transfer_to_a_counter_without_that_service_is_refused(kendal, clerk, called_ticket):
    counter3 = Counter.objects.get(office=kendal, number=3)

    with pytest.raises(VisitError):
        called_ticket.transfer(by=clerk, counter=counter3)  # library not there
    called_ticket.refresh_from_db()
    assert called_ticket.status == TicketStatus.CALLED


def test_console_call_next_button(client_for, clerk, kendal):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)

    response = client_for(clerk).post(reverse("visits:call-next", args=["3324", 1]), follow=True)

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert "A-001" in response.content.decode()


def test_console_start_before_the_guest_book_is_refused(client_for, clerk, called_ticket):
    url = reverse("visits:ticket-action", args=["3324", called_ticket.pk, "start"])

    response = client_for(clerk).post(url, {"counter": 1}, follow=True)

    called_ticket.refresh_from_db()
    assert called_ticket.status == TicketStatus.CALLED
    assert [str(m) for m in response.context["messages"]] == [
        "Isi buku tamu sebelum memulai layanan."
    ]


def test_console_transfer_form(client_for, clerk, kendal, called_ticket):
    url = reverse("visits:ticket-action", args=["3324", called_ticket.pk, "transfer"])
    counter2 = Counter.objects.get(office=kendal, number=2)

    client_for(clerk).post(url, {"service": "sales", "counter": counter2.pk})

    called_ticket.refresh_from_db()
    assert (called_ticket.service, called_ticket.target_counter) == ("sales", counter2)


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
def test_console_refuses_people_without_a_role(client_for, request, kendal, clerk, who):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)

    page = client.get(reverse("visits:console", args=["3324", 1]))
    call = client.post(reverse("visits:call-next", args=["3324", 1]))

    expected = 302 if user is None else 403
    assert (page.status_code, call.status_code) == (expected, expected)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.WAITING


@pytest.mark.parametrize("count", [1, 3])
def test_console_waiting_list_queries_do_not_grow(
    client_for, clerk, kendal, count, django_assert_num_queries
):
    for _ in range(count):
        services.issue_ticket(kendal, "library", officer=clerk)
    client = client_for(clerk)

    # session, user, office, memberships, counter, waiting tickets
    with django_assert_num_queries(6):
        response = client.get(reverse("visits:console", args=["3324", 1]), HTTP_HX_REQUEST="true")

    assert response.content.decode().count("<tr><td>A-") == count


def test_console_shows_live_waiting_minutes(client_for, clerk, kendal):
    import datetime

    import time_machine

    start = datetime.datetime(2026, 11, 24, 2, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        services.issue_ticket(kendal, "library", officer=clerk)
    with time_machine.travel(start + datetime.timedelta(minutes=7), tick=False):
        response = client_for(clerk).get(reverse("visits:console", args=["3324", 1]))

    assert [t.minutes for t in response.context["waiting"]] == [7]
    assert QueueTicket.objects.count() == 1
