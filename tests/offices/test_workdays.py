import datetime

import pytest
from django.urls import reverse

from offices.models import LeaveDay
from offices.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    national_holidays,
    working_days_between,
)

D = datetime.date


def test_weekends_and_national_holidays_are_not_working_days(kendal):
    assert is_working_day(kendal, D(2026, 8, 14)) is True  # Friday
    assert is_working_day(kendal, D(2026, 8, 15)) is False  # Saturday
    assert is_working_day(kendal, D(2026, 8, 16)) is False  # Sunday
    assert is_working_day(kendal, D(2026, 8, 17)) is False  # Independence Day (Monday)
    assert national_holidays(2026)[D(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"


def test_add_working_days_skips_weekend_and_holiday(kendal):
    # Thursday 13 August: Friday is day 1; Sat, Sun and Monday 17 August are skipped.
    assert add_working_days(kendal, D(2026, 8, 13), 2) == D(2026, 8, 18)
    assert add_working_days(kendal, D(2026, 8, 13), 0) == D(2026, 8, 13)


def test_add_working_days_from_a_saturday_starts_counting_on_monday(kendal):
    assert add_working_days(kendal, D(2026, 11, 21), 1) == D(2026, 11, 23)


def test_add_working_days_accepts_a_datetime(kendal):
    moment = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    assert add_working_days(kendal, moment, 5) == D(2026, 11, 30)


def test_add_working_days_refuses_negative_days(kendal):
    with pytest.raises(ValueError):
        add_working_days(kendal, D(2026, 11, 23), -1)


def test_office_leave_days_are_skipped_for_that_office_only(kendal, other_office):
    LeaveDay.objects.create(office=kendal, date=D(2026, 12, 24), name="Cuti bersama Natal")

    assert is_working_day(kendal, D(2026, 12, 24)) is False
    assert is_working_day(other_office, D(2026, 12, 24)) is True
    # Wednesday 23 Dec + 1: Thursday 24 (leave), Friday 25 (Christmas), weekend → Monday 28.
    assert add_working_days(kendal, D(2026, 12, 23), 1) == D(2026, 12, 28)
    assert add_working_days(other_office, D(2026, 12, 23), 1) == D(2026, 12, 24)


def test_working_days_between_counts_after_start_up_to_end(kendal):
    assert working_days_between(kendal, D(2026, 8, 13), D(2026, 8, 18)) == 2
    assert working_days_between(kendal, D(2026, 8, 18), D(2026, 8, 13)) == -2
    assert working_days_between(kendal, D(2026, 8, 14), D(2026, 8, 14)) == 0


def test_calendar_reads_leave_days_once(kendal, django_assert_num_queries):
    LeaveDay.objects.create(office=kendal, date=D(2026, 12, 24), name="Cuti bersama")
    calendar = WorkingCalendar(kendal)

    with django_assert_num_queries(1):
        calendar.add_working_days(D(2026, 12, 1), 20)
        calendar.working_days_between(D(2026, 12, 1), D(2026, 12, 31))


def test_supervisor_adds_and_removes_a_leave_day(client_for, supervisor, kendal):
    client = client_for(supervisor)
    url = reverse("offices:leave-day-list", args=[kendal.code])

    response = client.post(url, {"date": "2026-12-24", "name": "Cuti bersama Natal"})

    assert response.status_code == 302
    leave_day = LeaveDay.objects.get(office=kendal)
    assert (leave_day.date, leave_day.name) == (D(2026, 12, 24), "Cuti bersama Natal")
    page = client.get(url).content.decode()
    assert "Cuti bersama Natal" in page
    assert "Hari Kemerdekaan Republik Indonesia" in page

    duplicate = client.post(url, {"date": "2026-12-24", "name": "Lagi"})
    assert duplicate.status_code == 200
    assert "sudah menjadi hari cuti" in duplicate.content.decode()
    assert LeaveDay.objects.filter(office=kendal).count() == 1

    response = client.post(reverse("offices:leave-day-delete", args=[kendal.code, leave_day.pk]))
    assert response.status_code == 302
    assert LeaveDay.objects.filter(office=kendal).count() == 0


def test_leave_day_delete_needs_post(client_for, supervisor, kendal):
    leave_day = LeaveDay.objects.create(office=kendal, date=D(2026, 12, 24), name="Cuti")

    response = client_for(supervisor).get(
        reverse("offices:leave-day-delete", args=[kendal.code, leave_day.pk])
    )

    assert response.status_code == 405
    assert LeaveDay.objects.filter(pk=leave_day.pk).exists()


@pytest.mark.parametrize("who", ["anonymous", "citizen", "clerk", "outsider_officer"])
def test_leave_day_pages_refuse_non_supervisors(request, client_for, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    leave_day = LeaveDay.objects.create(office=kendal, date=D(2026, 12, 24), name="Cuti")
    client = client_for(user)

    add = client.post(
        reverse("offices:leave-day-list", args=[kendal.code]),
        {"date": "2026-12-31", "name": "X"},
    )
    delete = client.post(reverse("offices:leave-day-delete", args=[kendal.code, leave_day.pk]))

    expected = 302 if user is None else 403
    assert (add.status_code, delete.status_code) == (expected, expected)
    assert list(LeaveDay.objects.values_list("date", flat=True)) == [D(2026, 12, 24)]


@pytest.mark.parametrize("count", [1, 3])
def test_leave_day_list_query_count_does_not_grow(
    client_for, supervisor, kendal, count, django_assert_num_queries
):
    for day in range(count):
        LeaveDay.objects.create(office=kendal, date=D(2026, 12, 21 + day), name=f"Cuti {day}")
    client = client_for(supervisor)

    # session, user, office, memberships, leave days
    with django_assert_num_queries(5):
        response = client.get(reverse("offices:leave-day-list", args=[kendal.code]))

    assert len(response.context["leave_days"]) == count
