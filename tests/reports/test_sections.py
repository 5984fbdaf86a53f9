"""Every dashboard figure against values computed by hand from the November fixture."""

import datetime

import pytest
from django.utils import translation

from reports import sections
from reports.period import Period, PeriodError
from reports.sections import (
    complaints,
    ikm,
    reads,
    searches,
    softcopies,
    visitors,
    visits,
    waiting,
)

from .conftest import JAKARTA

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def period():
    return Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), JAKARTA)


def figures(result):
    return {figure.key: figure.value for figure in result.figures}


def table(result, key):
    return next(t for t in result.tables if t.key == key)


def rows(result, key):
    return [
        [str(cell) if not isinstance(cell, int | float) else cell for cell in row]
        for row in table(result, key).rows
    ]


def test_visits_figures(kendal, november, period):
    result = visits.section(kendal, period)
    assert figures(result) == {"total": 8, "walk_in": 4, "online": 4, "walk_in_share": 50.0}
    assert [row[1] for row in rows(result, "by_service")] == [3, 1, 0, 0]
    assert rows(result, "by_channel") == [["Walk-in", 4], ["Online", 4]]
    assert rows(result, "by_hour") == [
        ["09.00", 2],
        ["10.00", 0],
        ["11.00", 0],
        ["12.00", 0],
        ["13.00", 1],
        ["14.00", 1],
    ]
    assert [row[1] for row in rows(result, "by_weekday")] == [2, 0, 2, 0, 0, 0, 0]
    per_day = {row[0]: row[1:] for row in rows(result, "per_day")}
    assert len(per_day) == 30
    # B's read at 20.00 UTC on 31 October is 03.00 on 1 November in Kendal.
    assert per_day["2026-11-01"] == [0, 1]
    assert per_day["2026-11-02"] == [2, 1]
    assert per_day["2026-11-03"] == [0, 1]  # D read twice that day: one online visit
    assert per_day["2026-11-04"] == [2, 0]  # C's officer-delivered copy is not a visit
    assert per_day["2026-11-05"] == [0, 1]
    assert sum(v[0] for v in per_day.values()) == 4


def test_visits_long_period_per_month(kendal, november):
    period = Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), JAKARTA)
    result = visits.section(kendal, period)
    # D's read at 23.59 on 31 October (16.59 UTC) is an October online visit.
    assert rows(result, "per_month") == [["2026-10", 1, 1], ["2026-11", 4, 4], ["2026-12", 1, 0]]


def test_waiting_against_target(kendal, november, period):
    result = waiting.section(kendal, period)
    assert figures(result) == {
        "target": 10,
        "served": 3,
        "within_target": 2,
        "within_share": 66.7,
        "median": 8.0,
        "p90": 12.0,
        "max": 12.0,
        "unserved": 1,
    }
    assert [row[1] for row in rows(result, "distribution")] == [1, 1, 1, 0, 0, 0]
    assert [row[1:] for row in rows(result, "by_service")] == [
        [2, 1, 50.0, 8.0],
        [1, 1, 100.0, 8.0],
    ]
    worst = rows(result, "worst")
    assert [(row[0], row[1], row[4], row[5]) for row in worst] == [
        ("A-002", "2026-11-02 09:30", 12.0, 10),
        ("B-001", "2026-11-04 13:10", 8.0, 10),
        ("A-001", "2026-11-02 09:00", 4.0, 10),
    ]


def test_visitors_each_person_once(kendal, november, period):
    result = visitors.section(kendal, period)
    assert figures(result) == {"people": 4}
    sex = {row[0]: row[1:] for row in rows(result, "sex")}
    assert sex == {"Female": [2, 50.0], "Male": [1, 25.0], "Not stated": [1, 25.0]}
    occupation = {row[0]: row[1] for row in rows(result, "occupation")}
    assert occupation["Researcher or lecturer"] == 1
    assert occupation["Civil servant, TNI or Polri"] == 1
    assert occupation["Not stated"] == 1
    assert sum(occupation.values()) == 4
    purpose = {row[0]: row[1] for row in rows(result, "purpose")}
    assert purpose["Research"] == 1 and purpose["School or college assignment"] == 1
    education = {row[0]: row[1] for row in rows(result, "education")}
    assert education["S3"] == 1 and education["S2"] == 1 and education["D4/S1"] == 1


def test_reads_and_downloads(kendal, november, period):
    result = reads.section(kendal, period)
    assert figures(result) == {"reads": 3, "downloads": 2, "delivered": 1, "readers": 4}
    assert rows(result, "top_publications") == [
        ["Kendal Dalam Angka 2026", 3, 1, 4],
        ["Statistik Kemiskinan 2026", 0, 1, 2],
    ]
    assert rows(result, "top_subjects") == [["Kependudukan", 3, 1, 4], ["Kemiskinan", 0, 1, 2]]
    category = {row[0]: row[1:] for row in rows(result, "by_category")}
    assert category["Researcher or lecturer"] == [2, 1]
    assert category["Student (pelajar/mahasiswa)"] == [0, 1]
    assert category["Civil servant, TNI or Polri"] == [1, 0]
    assert category["Not stated"] == [0, 0]


def test_searches_that_found_nothing(kendal, november, period):
    result = searches.section(kendal, period)
    assert figures(result) == {"searches": 4, "empty": 3, "empty_share": 75.0}
    assert rows(result, "top_empty") == [["inflasi kendal", 2], ["ipm weleri", 1]]


def test_complaints(kendal, november, period):
    result = complaints.section(kendal, period)
    assert figures(result) == {
        "received": 3,
        "answered": 2,
        "answered_late": 1,
        "closed": 1,
        "overdue": 1,
    }
    by_channel = {row[0]: row[1] for row in rows(result, "by_channel")}
    assert by_channel["Complaint website"] == 1
    assert by_channel["E-mail"] == 1
    assert by_channel["WhatsApp"] == 1
    assert sum(by_channel.values()) == 3
    by_status = {row[0]: row[1] for row in rows(result, "by_status")}
    assert (by_status["Received"], by_status["Answered"], by_status["Closed"]) == (1, 1, 1)
    assert rows(result, "overdue") == [
        ["ADU-0001", "2026-11-03", "Complaint website", "Received", "2026-11-10"]
    ]


def test_empty_period_gives_zeros_not_errors(kendal):
    empty = Period(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), JAKARTA)
    results = sections.build(kendal, empty)
    assert [r.key for r in results] == [
        "visits",
        "waiting",
        "visitors",
        "reads",
        "softcopies",
        "ikm",
        "searches",
        "complaints",
        "messages",
    ]
    assert all(r.is_empty for r in results)
    assert figures(results[1])["median"] is None
    assert figures(results[0])["walk_in"] == 0


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime.date(2026, 11, 30), datetime.date(2026, 11, 1), "The start date is after"),
        (datetime.date(1990, 1, 1), datetime.date(1990, 2, 1), "year 2000"),
        (datetime.date(2020, 1, 1), datetime.date(2026, 1, 1), "three years"),
    ],
)
def test_absurd_periods_refused(start, end, message):
    with pytest.raises(PeriodError, match=message):
        Period(start, end, JAKARTA)


@pytest.mark.parametrize("text", ["2026-13", "2026/11", "", "november"])
def test_bad_month_refused(text):
    with pytest.raises(PeriodError, match="YYYY-MM"):
        Period.month(text, JAKARTA)


def test_month_period():
    period = Period.month("2028-02", JAKARTA)
    assert (period.start, period.end, period.days) == (
        datetime.date(2028, 2, 1),
        datetime.date(2028, 2, 29),
        29,
    )


def test_wait_of_exactly_the_target_is_within(kendal, people, period):
    from .conftest import at, make_visit

    make_visit(kendal, people["A"], start=at(9, 8, 0), wait=10, number="A-001")
    make_visit(kendal, people["B"], start=at(9, 8, 7), wait=10.02, number="A-002")
    assert figures(waiting.section(kendal, period))["within_target"] == 1


def test_softcopy_requests(kendal, november, period):
    result = softcopies.section(kendal, period)
    assert figures(result) == {
        "received": 3,
        "delivered": 2,
        "on_time": 1,
        "on_time_share": 50.0,
        "median_hours": 60.0,
        "p90_hours": 96.0,
        "overdue": 1,
    }
    assert rows(result, "by_kind") == [["Softcopy request", 2], ["Scan on site", 1]]
    assert rows(result, "overdue") == [["PS-0003", "2026-11-20", "Received", "2026-11-25"]]


def test_ikm_and_ratings(kendal, november, period):
    result = ikm.section(kendal, period)
    # NRR per element (4 + 3 + 2) / 3 = 3.00; IKM 3.00 × 25 = 75.00, grade C (65.00–76.60).
    assert figures(result) == {
        "respondents": 3,
        "ikm": 75.0,
        "grade": "C (Less than good)",
        "rating": 3.67,
    }
    assert [row[1] for row in rows(result, "elements")] == [3.0] * 9
    assert rows(result, "by_service") == [
        ["Library", 2, 87.5],
        ["Statistical consultation", 1, 50.0],
    ]
    assert rows(result, "ratings") == [["1", 0], ["2", 1], ["3", 0], ["4", 1], ["5", 1]]
