import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from feedback.models import SurveyInvitation
from offices.models import ServiceStandard
from tests.visits.conftest import GUEST
from visits import services
from visits.choices import ClockColour, EventAction, TicketStatus
from visits.models import ServiceRecord, Visit, VisitError, VisitEvent

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 24, 2, 0, tzinfo=datetime.UTC)  # 09.00 in Kendal


def walk_in(kendal, clerk, counter1, at=T0, email="tamu@example.com"):
    with time_machine.travel(at, tick=False):
        ticket = services.issue_ticket(kendal, "library", officer=clerk)
        ticket.call(counter1, by=clerk)
        return services.fill_guest_book(
            kendal, officer=clerk, data=dict(GUEST, email=email), ticket=ticket
        )


def test_waiting_time_runs_from_the_guest_book_to_the_start(kendal, clerk, counter1):
    visit = walk_in(kendal, clerk, counter1)

    with time_machine.travel(T0 + datetime.timedelta(minutes=8, seconds=30), tick=False):
        visit.start(by=clerk)

    visit.refresh_from_db()
    assert visit.wait_seconds() == 510
    assert visit.wait_minutes == 8
    assert visit.within_target()
    assert visit.ticket.status == TicketStatus.SERVING
    assert VisitEvent.objects.get(action=EventAction.SERVICE_STARTED).detail == {
        "wait_seconds": 510
    }


def test_target_comes_from_the_current_service_standard(kendal, clerk, supervisor, counter1):
    standard = ServiceStandard.objects.current_for(kendal, "library")
    standard.revise(by=supervisor, walk_in_target_minutes=15)

    visit = walk_in(kendal, clerk, counter1)
    with time_machine.travel(T0 + datetime.timedelta(minutes=12), tick=False):
        visit.start(by=clerk)

    visit.refresh_from_db()
    assert visit.target_minutes == 15
    assert visit.within_target()


def test_clock_colours_follow_the_target(kendal, clerk, counter1):
    visit = walk_in(kendal, clerk, counter1)

    colours = [visit.clock_colour(T0 + datetime.timedelta(minutes=m)) for m in (6, 9, 11)]

    assert colours == [ClockColour.GREEN, ClockColour.AMBER, ClockColour.RED]


def test_full_visit_records_services_rating_and_checkout(kendal, clerk, counter1):
    visit = walk_in(kendal, clerk, counter1)
    services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="Tamu Pertama")
    visit.start(by=clerk)
    visit.record_service(by=clerk, kind="hardcopy_read", quantity=3, item="Kendal Dalam Angka 2026")
    visit.record_service(by=clerk, kind="pages_scanned", quantity=12)
    visit.finish(by=clerk)
    visit.rate(rating=5, comment="Cepat")
    visit.check_out(by=clerk)

    visit.refresh_from_db()
    assert (visit.rating, visit.rating_comment) == (5, "Cepat")
    assert visit.checked_out_at is not None
    assert visit.ticket.status == TicketStatus.DONE
    assert visit.locker_assignments.get().returned_at is not None
    assert list(ServiceRecord.objects.values_list("kind", "quantity", "officer")) == [
        ("hardcopy_read", 3, clerk.pk),
        ("pages_scanned", 12, clerk.pk),
    ]
    assert list(visit.events.order_by("pk").values_list("action", flat=True)) == [
        "guest_book_filled",
        "account_invited",
        "locker_assigned",
        "service_started",
        "service_recorded",
        "service_recorded",
        "service_finished",
        "rated",
        "locker_returned",
        "checked_out",
    ]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("finish", "Layanan tidak dapat diselesaikan sebelum dimulai."),
        ("record", "Mulai layanan sebelum mencatat"),
        ("check_out", "Selesaikan layanan sebelum mengakhiri kunjungan."),
        ("rate", "Kunjungan dapat dinilai setelah layanan selesai."),
    ],
)
def test_steps_out_of_order_are_refused(kendal, clerk, counter1, step, message):
    visit = walk_in(kendal, clerk, counter1)
    actions = {
        "finish": lambda: visit.finish(by=clerk),
        "record": lambda: visit.record_service(by=clerk, kind="digital_reading"),
        "check_out": lambda: visit.check_out(by=clerk),
        "rate": lambda: visit.rate(rating=4),
    }

    with pytest.raises(VisitError, match=message):
        actions[step]()

    visit.refresh_from_db()
    assert (visit.finished_at, visit.checked_out_at, visit.rating) == (None, None, None)


def test_start_twice_is_refused(kendal, clerk, counter1):
    visit = walk_in(kendal, clerk, counter1)
    visit.start(by=clerk)
    with pytest.raises(VisitError):
        visit.start(by=clerk)
    assert VisitEvent.objects.filter(action=EventAction.SERVICE_STARTED).count() == 1


def test_rating_link_opens_the_visit_survey(client, kendal, clerk, counter1):
    # The 1–5 rating became the IKM survey of the feedback app; old links lead there.
    visit = walk_in(kendal, clerk, counter1)
    visit.start(by=clerk)
    visit.finish(by=clerk)
    url = reverse("visits:rate", args=[services.rating_token(visit)])

    first = client.get(url)
    again = client.get(url)

    invitation = SurveyInvitation.objects.get()
    assert invitation.source == visit
    assert first.url == again.url == reverse("feedback:survey", args=[invitation.token])


def test_forged_rating_link_is_404(client, kendal):
    assert client.get(reverse("visits:rate", args=["1:forged"])).status_code == 404


def test_overdue_visitors_alert_the_office_once(
    kendal, clerk, supervisor, counter1, django_capture_on_commit_callbacks
):
    visit = walk_in(kendal, clerk, counter1)
    walk_in(kendal, clerk, counter1, at=T0 + datetime.timedelta(minutes=5), email="b@example.com")

    out = io.StringIO()
    with (
        time_machine.travel(T0 + datetime.timedelta(minutes=11), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("watch_service_time", stdout=out)
        call_command("watch_service_time", stdout=out)

    assert out.getvalue() == f"alert: visit #{visit.pk} of office 3324\n"
    alerts = [
        m
        for m in mail.outbox
        if "target" in m.subject or "target" in m.body or "melewati" in m.subject
    ]
    assert len(alerts) == 1
    assert alerts[0].to == ["boss@example.com", "clerk@example.com"]


def test_day_figures_median_p90_and_share_within_target(kendal, clerk, counter1):
    for i, minutes in enumerate([2, 4, 6, 12]):
        visit = walk_in(kendal, clerk, counter1, email=f"t{i}@example.com")
        with time_machine.travel(T0 + datetime.timedelta(minutes=minutes), tick=False):
            visit.start(by=clerk)
    walk_in(kendal, clerk, counter1, email="waiting@example.com")

    figures = services.day_figures(kendal, datetime.date(2026, 11, 24))

    total = figures["total"]
    assert (total["visits"], total["served"]) == (5, 4)
    assert total["median"] == 5
    assert total["p90"] == 12
    assert total["within_share"] == 0.75
    assert [row["label"] for row in figures["by_service"]] == ["Perpustakaan"]
    assert [row["label"] for row in figures["by_counter"]] == [counter1.name]


def test_figures_page_for_officers(client_for, clerk, kendal, counter1):
    walk_in(kendal, clerk, counter1)

    response = client_for(clerk).get(reverse("visits:figures", args=["3324"]) + "?day=2026-11-24")

    assert response.context["figures"]["total"]["visits"] == 1


def test_close_day_expires_unserved_tickets_and_lists_open_visits(kendal, clerk, counter1):
    visit = walk_in(kendal, clerk, counter1)
    services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="Tamu Pertama")
    with time_machine.travel(T0, tick=False):
        left = services.issue_ticket(kendal, "library", officer=clerk)
    out = io.StringIO()

    with time_machine.travel(T0 + datetime.timedelta(hours=8), tick=False):
        call_command("close_day", "--office", "3324", stdout=out)

    left.refresh_from_db()
    assert left.status == TicketStatus.EXPIRED
    assert VisitEvent.objects.filter(action=EventAction.TICKET_EXPIRED, ticket=left).count() == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "3324 2026-11-24: 1 tickets expired"
    assert lines[1].startswith(f"  open visit #{visit.pk} Tamu Pertama")
    assert "locker and card not returned: " in lines[1]
    visit.ticket.refresh_from_db()
    assert visit.ticket.status == TicketStatus.CALLED  # has a visit: the officer closes it


def test_close_day_button(client_for, clerk, kendal):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)

    response = client_for(clerk).post(reverse("visits:close-day", args=["3324"]))

    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.EXPIRED
    assert response.context["closed"] is True


def test_visit_detail_shows_the_waiting_time(client_for, clerk, kendal, counter1):
    visit = walk_in(kendal, clerk, counter1)
    with time_machine.travel(T0 + datetime.timedelta(minutes=3), tick=False):
        visit.start(by=clerk)

    response = client_for(clerk).get(reverse("visits:visit-detail", args=["3324", visit.pk]))

    assert response.context["visit"].wait_minutes == 3
    assert Visit.objects.get().served_by == clerk


def test_close_day_leaves_today_alone_while_the_office_is_open(kendal, clerk):
    monday_10 = datetime.datetime(2026, 11, 23, 3, 0, tzinfo=datetime.UTC)  # 10.00 in Kendal
    with time_machine.travel(monday_10 - datetime.timedelta(days=3), tick=False):
        friday = services.issue_ticket(kendal, "library", officer=clerk)
    with time_machine.travel(monday_10, tick=False):
        today = services.issue_ticket(kendal, "library", officer=clerk)
        out = io.StringIO()
        call_command("close_day", stdout=out)

    friday.refresh_from_db()
    today.refresh_from_db()
    assert (friday.status, today.status) == (TicketStatus.EXPIRED, TicketStatus.WAITING)
    assert out.getvalue().splitlines()[0] == "3324 2026-11-22: 1 tickets expired"


def test_invitation_link_lets_the_new_visitor_set_a_password(
    client, kendal, clerk, called_ticket, django_capture_on_commit_callbacks
):
    import re

    with django_capture_on_commit_callbacks(execute=True):
        services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST), ticket=called_ticket)
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)[
        1
    ]

    response = client.get(link, follow=True)

    assert response.redirect_chain[-1][0].endswith("-set-password/")
    assert "password1" in response.context["form"].fields


def test_reading_room_use_links_the_catalogue_publication(visit, clerk, kendal):
    from catalog.choices import Visibility
    from catalog.models import Publication

    kda = Publication.objects.create(
        office=kendal,
        title="Kabupaten Kendal Dalam Angka 2024",
        year=2024,
        catalog_number="1102001.3324",
        visibility=Visibility.PUBLISHED,
    )
    Publication.objects.create(
        office=kendal,
        title="Kabupaten Kendal Dalam Angka 2023",
        year=2023,
        catalog_number="1102001.3324",
        visibility=Visibility.PUBLISHED,
    )
    visit.start(by=clerk)

    by_number = visit.record_service(by=clerk, kind="hardcopy_read", item="1102001.3324")
    by_title = visit.record_service(
        by=clerk, kind="pages_scanned", quantity=4, item="kabupaten kendal dalam angka 2024"
    )
    consultation = visit.record_service(by=clerk, kind="consultation", item="1102001.3324")
    unknown = visit.record_service(by=clerk, kind="hardcopy_read", item="Buku lain")

    assert by_number.publication == kda  # the newest edition of the series
    assert by_title.publication == kda
    assert consultation.publication is None
    assert unknown.publication is None and unknown.item == "Buku lain"
    assert list(kda.in_house_uses.values_list("kind", flat=True)) == [
        "hardcopy_read",
        "pages_scanned",
    ]
