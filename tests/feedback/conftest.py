import datetime

import pytest
import time_machine

from catalog.models import Publication
from delivery.choices import Channel
from delivery.models import DeliveryRecord
from offices.models import Counter
from tests.visits.conftest import GUEST
from visits import services as visit_services

T0 = datetime.datetime(2026, 11, 24, 2, 0, tzinfo=datetime.UTC)  # 09.00 in Kendal

ALL_FOURS = {f"u{i}": 4 for i in range(1, 10)}


@pytest.fixture(autouse=True)
def _clock_after_the_visits():
    """The tests' visits finish at T0, which is when their survey links are made (the
    visit's finish makes its invitation): the tests run an hour later, while links live."""
    with time_machine.travel(T0 + datetime.timedelta(hours=1), tick=True):
        yield


@pytest.fixture
def counter1(kendal):
    return Counter.objects.get(office=kendal, number=1)


@pytest.fixture
def finish_visit(kendal, clerk, counter1):
    """``finish_visit(email=..., at=...)``: a walk-in visit served by the clerk and finished."""

    def _finish(email="tamu@example.com", at=T0, officer=None):
        officer = officer or clerk
        with time_machine.travel(at, tick=False):
            ticket = visit_services.issue_ticket(kendal, "library", officer=officer)
            ticket.call(counter1, by=officer)
            visit = visit_services.fill_guest_book(
                kendal, officer=officer, data=dict(GUEST, email=email), ticket=ticket
            )
            visit.start(by=officer)
            visit.finish(by=officer)
        visit.refresh_from_db()
        return visit

    return _finish


@pytest.fixture
def finished_visit(finish_visit):
    return finish_visit()


@pytest.fixture
def download(kendal):
    """``download(user, at)``: a download record of a publication of Kendal."""
    publication = Publication.objects.create(office=kendal, title="Kendal Dalam Angka", year=2026)

    def _download(user, at=T0, channel=Channel.DOWNLOAD):
        return DeliveryRecord.objects.create(
            user=user, publication=publication, office=kendal, channel=channel, created_at=at
        )

    return _download


@pytest.fixture
def survey_consent(citizen):
    """The citizen agreed to survey invitations by e-mail (optional, asked at sign-up)."""
    from accounts.models import Consent

    return Consent.objects.create(user=citizen, purpose="survey_email")
