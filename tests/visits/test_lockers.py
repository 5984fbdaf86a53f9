import pytest
from django.db import IntegrityError
from django.urls import reverse

from offices.models import Locker
from offices.time import local_day
from tests.visits.conftest import GUEST
from visits import services
from visits.choices import EventAction
from visits.models import LockerAssignment, VisitError, VisitEvent

pytestmark = pytest.mark.django_db


def second_visit(kendal, clerk):
    return services.fill_guest_book(
        kendal, officer=clerk, data=dict(GUEST, email="dua@example.com", full_name="Tamu Dua")
    )


def test_first_free_locker_is_given_against_the_card(clerk, kendal, visit):
    assignment = services.assign_locker(
        visit, officer=clerk, card_type="sim", holder_name="Tamu Pertama"
    )

    assert (
        assignment.locker.label == Locker.objects.filter(office=kendal).order_by("label")[0].label
    )
    assert (assignment.card_type, assignment.holder_name, assignment.assigned_by) == (
        "sim",
        "Tamu Pertama",
        clerk,
    )
    event = VisitEvent.objects.get(action=EventAction.LOCKER_ASSIGNED)
    assert event.detail == {"locker": assignment.locker.label, "card_type": "sim"}


def test_a_locker_in_use_is_not_given_again(clerk, kendal, visit):
    first = services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")
    other = second_visit(kendal, clerk)

    with pytest.raises(VisitError, match="sedang dipakai"):
        services.assign_locker(
            other, officer=clerk, card_type="ktp", holder_name="B", locker=first.locker
        )
    second = services.assign_locker(other, officer=clerk, card_type="ktp", holder_name="B")

    assert second.locker != first.locker


def test_database_refuses_two_open_assignments_for_one_locker(clerk, kendal, visit):
    first = services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")
    other = second_visit(kendal, clerk)

    with pytest.raises(IntegrityError):
        LockerAssignment.objects.create(
            visit=other, locker=first.locker, card_type="ktp", holder_name="B", assigned_by=clerk
        )


def test_no_free_locker_is_a_clear_message(clerk, kendal, visit):
    Locker.objects.filter(office=kendal).exclude(
        label=Locker.objects.filter(office=kendal).order_by("label")[0].label
    ).update(is_active=False)
    services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")

    with pytest.raises(VisitError, match="Tidak ada loker kosong."):
        services.assign_locker(
            second_visit(kendal, clerk), officer=clerk, card_type="ktp", holder_name="B"
        )


def test_returning_twice_is_refused_and_changes_nothing(clerk, kendal, visit):
    assignment = services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")
    assignment.mark_returned(by=clerk)
    assignment.refresh_from_db()
    returned_at = assignment.returned_at

    with pytest.raises(VisitError, match="sudah dikembalikan"):
        assignment.mark_returned(by=clerk)

    assignment.refresh_from_db()
    assert assignment.returned_at == returned_at
    assert assignment.returned_by == clerk
    assert VisitEvent.objects.filter(action=EventAction.LOCKER_RETURNED).count() == 1


def test_locker_form_on_the_visit_page(client_for, clerk, kendal, visit):
    url = reverse("visits:visit-action", args=["3324", visit.pk, "locker"])

    client_for(clerk).post(url, {"card_type": "passport", "holder_name": "Tamu Pertama"})

    assignment = LockerAssignment.objects.get()
    assert (assignment.visit, assignment.card_type) == (visit, "passport")


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
def test_locker_return_refuses_people_without_a_role(
    client_for, request, clerk, kendal, visit, who
):
    assignment = services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).post(reverse("visits:locker-return", args=["3324", assignment.pk]))

    assert response.status_code == (302 if user is None else 403)
    assignment.refresh_from_db()
    assert assignment.returned_at is None


def test_locker_board_lists_free_in_use_and_overdue_at_closing(clerk, kendal, visit):
    import datetime
    import zoneinfo

    assignment = services.assign_locker(visit, officer=clerk, card_type="ktp", holder_name="A")
    jakarta = zoneinfo.ZoneInfo("Asia/Jakarta")
    day = local_day(kendal, assignment.assigned_at)

    board = services.locker_board(
        kendal, now=datetime.datetime.combine(day, datetime.time(23), jakarta)
    )

    assert len(board) == Locker.objects.filter(office=kendal, is_active=True).count()
    assert [(a, overdue) for _l, a, overdue in board if a] == [(assignment, True)]
    assert [overdue for _l, a, overdue in board if a is None] == [False] * (len(board) - 1)
