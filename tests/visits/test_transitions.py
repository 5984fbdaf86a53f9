"""Tickets and visits change state only through their transition methods (STYLE.md 8):
each checks where it starts from, locks its row, saves and writes its event."""

import pytest
from django.urls import reverse

from core.errors import DomainError
from feedback.models import SurveyInvitation
from tests.visits.conftest import GUEST
from visits import services
from visits.choices import EventAction, TicketStatus
from visits.models import VisitError, VisitEvent


@pytest.fixture
def visit(kendal, clerk, called_ticket):
    return services.fill_guest_book(kendal, officer=clerk, data=GUEST, ticket=called_ticket)


def test_the_visits_service_moves_its_ticket_through_serving_to_done(visit, clerk):
    ticket = visit.ticket

    visit.start(by=clerk)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVING
    visit.finish(by=clerk)
    ticket.refresh_from_db()

    assert (ticket.status, ticket.closed_at) == (TicketStatus.DONE, visit.finished_at)
    assert list(
        VisitEvent.objects.filter(ticket=ticket, visit=None).values_list("action", flat=True)
    ) == [
        EventAction.TICKET_ISSUED,
        EventAction.TICKET_CALLED,
        EventAction.TICKET_SERVING,
        EventAction.TICKET_DONE,
    ]


def test_a_refused_transition_is_a_domain_error_and_changes_nothing(called_ticket, clerk):
    called_ticket.no_show(by=clerk)

    with pytest.raises(VisitError) as refused:
        called_ticket.recall(by=clerk)

    assert isinstance(refused.value, DomainError)
    assert refused.value.code == "invalid_state"
    called_ticket.refresh_from_db()
    assert (called_ticket.status, called_ticket.call_count) == (TicketStatus.NO_SHOW, 1)


def test_a_stale_object_is_judged_by_its_row(called_ticket, clerk):
    stale = type(called_ticket).objects.get(pk=called_ticket.pk)
    called_ticket.no_show(by=clerk)

    with pytest.raises(VisitError, match="dipanggil"):
        stale.recall(by=clerk)  # the row says no-show, whatever this copy remembers


def test_allowed_actions_follow_the_state(called_ticket, visit, clerk):
    assert called_ticket.allowed_actions(clerk) >= {"recall", "no_show", "transfer"}
    assert "guest_book" not in called_ticket.allowed_actions(clerk)  # filled already
    assert visit.allowed_actions(clerk) == {"start", "locker"}

    visit.start(by=clerk)
    assert visit.allowed_actions(clerk) == {"record", "finish", "locker"}
    visit.finish(by=clerk)
    assert visit.allowed_actions(clerk) == {"record", "check_out", "locker"}
    visit.check_out(by=clerk)
    assert visit.allowed_actions(clerk) == set()


def test_finishing_makes_the_survey_invitation_and_the_visit_page_only_reads_it(
    client_for, visit, clerk
):
    visit.start(by=clerk)
    visit.finish(by=clerk)
    [invitation] = SurveyInvitation.objects.all()
    assert (invitation.source, invitation.user) == (visit, visit.visitor)

    response = client_for(clerk).get(reverse("visits:visit-detail", args=["3324", visit.pk]))

    assert response.context["rating_url"].endswith(f"/survey/{invitation.token}/")
    assert SurveyInvitation.objects.count() == 1
