"""The office clock: days cut at the office's own midnight (WIB, WITA, WIT).

The server's zone is Kendal's (Asia/Jakarta, UTC+7). An office in Makassar (WITA,
UTC+8) or Jayapura (WIT, UTC+9) starts its day one or two hours earlier: a moment just
after its midnight belongs to its new day, for the queue, the IKM and the reports.
"""

import datetime

import pytest
import time_machine

from catalog.models import Publication
from catalog.searchlog import record_search
from complaints.services import submit_complaint
from delivery.models import DeliveryRecord
from feedback import services as feedback_services
from offices.models import Counter, Office, ServiceStandard
from offices.time import Period, PeriodError, local_day, local_now, percentile
from reports.period import Period as ReportPeriod
from reports.sections import complaints as complaint_section
from reports.sections import searches as search_section
from tests.visits.conftest import GUEST
from visits import services as visit_services

UTC = datetime.UTC
# 00.30 on 1 December in Makassar (WITA) and 22.30 on 30 November in Jakarta.
AFTER_WITA_MIDNIGHT = datetime.datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
# 00.30 on 1 December in Jayapura (WIT) and 22.30 on 30 November in Jakarta.
AFTER_WIT_MIDNIGHT = datetime.datetime(2026, 11, 30, 15, 30, tzinfo=UTC)


def _office_like(kendal, code, name, zone):
    """An office in ``zone`` with Kendal's library counter and standard."""
    office = Office.objects.create(code=code, name=name, address="Jl. Contoh 1", timezone=zone)
    Counter.objects.create(office=office, number=1, name="Loket 1", services=["library"])
    standard = ServiceStandard.objects.current_for(kendal, "library")
    standard.pk = None
    standard.office = office
    standard.save()
    return office


@pytest.fixture
def makassar(kendal):
    return _office_like(kendal, "7371", "BPS Kota Makassar", "Asia/Makassar")


@pytest.fixture
def jayapura(kendal):
    return _office_like(kendal, "9471", "BPS Kota Jayapura", "Asia/Jayapura")


@pytest.mark.parametrize(
    ("zone", "moment", "day"),
    [
        ("Asia/Jakarta", AFTER_WITA_MIDNIGHT, datetime.date(2026, 11, 30)),
        ("Asia/Makassar", AFTER_WITA_MIDNIGHT, datetime.date(2026, 12, 1)),
        (
            "Asia/Makassar",
            AFTER_WITA_MIDNIGHT - datetime.timedelta(hours=1),
            datetime.date(2026, 11, 30),
        ),
        ("Asia/Jayapura", AFTER_WIT_MIDNIGHT, datetime.date(2026, 12, 1)),
        (
            "Asia/Jayapura",
            AFTER_WIT_MIDNIGHT - datetime.timedelta(hours=1),
            datetime.date(2026, 11, 30),
        ),
    ],
)
def test_local_day_cuts_at_the_offices_midnight(zone, moment, day):
    office = Office(code="0000", name="x", timezone=zone)

    assert local_day(office, moment) == day
    with time_machine.travel(moment, tick=False):
        assert local_day(office) == day
        assert local_now(office).date() == day


def test_period_bounds_are_half_open_in_the_office_zone():
    office = Office(code="0000", name="x", timezone="Asia/Jayapura")
    period = Period.for_office(office, datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))

    assert period.since == datetime.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert period.until == datetime.datetime(2026, 12, 31, 15, 0, tzinfo=UTC)
    assert period.after == datetime.date(2027, 1, 1)
    assert period.since <= AFTER_WIT_MIDNIGHT < period.until
    assert period.days == 31
    with pytest.raises(PeriodError):
        Period.for_office(office, datetime.date(2026, 12, 2), datetime.date(2026, 12, 1))


def test_percentile_is_nearest_rank():
    assert percentile([], 0.9) is None
    assert percentile([5, 1, 3], 0.5) == 3
    assert percentile(list(range(1, 11)), 0.9) == 9


def test_queue_numbers_start_again_at_local_midnight(makassar, jayapura, clerk):
    for office, midnight in ((makassar, AFTER_WITA_MIDNIGHT), (jayapura, AFTER_WIT_MIDNIGHT)):
        with time_machine.travel(midnight - datetime.timedelta(hours=1), tick=False):
            late = visit_services.issue_ticket(office, "library")
        with time_machine.travel(midnight, tick=False):
            early = visit_services.issue_ticket(office, "library")

        assert (late.day, late.number) == (datetime.date(2026, 11, 30), "A-001")
        assert (early.day, early.number) == (datetime.date(2026, 12, 1), "A-001")


def test_close_day_expires_only_the_offices_yesterday(makassar):
    with time_machine.travel(AFTER_WITA_MIDNIGHT - datetime.timedelta(hours=1), tick=False):
        yesterday = visit_services.issue_ticket(makassar, "library")
    with time_machine.travel(AFTER_WITA_MIDNIGHT, tick=False):
        today = visit_services.issue_ticket(makassar, "library")
        expired, _open_visits = visit_services.close_day(
            makassar, local_day(makassar) - datetime.timedelta(days=1)
        )

    assert [ticket.pk for ticket in expired] == [yesterday.pk]
    today.refresh_from_db()
    assert today.status == "waiting"


def _visit_finished_at(office, moment, email):
    counter = office.counters.get()
    with time_machine.travel(moment, tick=False):
        ticket = visit_services.issue_ticket(office, "library")
        ticket.call(counter, by=None)
        visit = visit_services.fill_guest_book(
            office, officer=None, data=dict(GUEST, email=email), ticket=ticket
        )
        visit.start(by=None)
        return visit.finish(by=None)


def test_ikm_counts_a_visit_served_after_local_midnight_in_the_new_month(jayapura):
    visit = _visit_finished_at(jayapura, AFTER_WIT_MIDNIGHT, "papua@example.com")

    november = feedback_services.served_count(
        jayapura, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1)
    )
    december = feedback_services.served_count(
        jayapura, datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)
    )

    assert (november["visits"], december["visits"]) == (0, 1)
    # The survey invitation made at the finish counts the answer under the office's day.
    invitation = feedback_services.invite_for_visit(visit)
    assert invitation.service_day == datetime.date(2026, 12, 1)


def test_ikm_download_sessions_are_counted_per_local_day(makassar, citizen):
    publication = Publication.objects.create(
        office=makassar, title="Makassar Dalam Angka", year=2026
    )
    for moment in (AFTER_WITA_MIDNIGHT - datetime.timedelta(hours=2), AFTER_WITA_MIDNIGHT):
        DeliveryRecord.objects.create(
            user=citizen,
            publication=publication,
            office=makassar,
            channel="download",
            created_at=moment,
        )

    counts = feedback_services.served_count(
        makassar, datetime.date(2026, 11, 30), datetime.date(2026, 12, 2)
    )

    # In Jakarta's zone both downloads fall on 30 November: one session, not two.
    assert counts["download_sessions"] == 2


def test_reports_cut_the_period_at_the_offices_midnight(makassar):
    with time_machine.travel(AFTER_WITA_MIDNIGHT, tick=False):
        submit_complaint(office=makassar, channel="web", description="Antrean terlalu lama.")
        record_search("inflasi makassar", 0, office=makassar)
    december = ReportPeriod(
        datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), makassar.tzinfo
    )
    november = ReportPeriod(
        datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), makassar.tzinfo
    )

    def figure(result, key):
        return next(f.value for f in result.figures if f.key == key)

    assert figure(complaint_section.section(makassar, december), "received") == 1
    assert figure(complaint_section.section(makassar, november), "received") == 0
    assert figure(search_section.section(makassar, december), "searches") == 1
    assert figure(search_section.section(makassar, november), "searches") == 0
