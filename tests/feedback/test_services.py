import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection

from feedback import services
from feedback.choices import PeriodKind, SurveyChannel
from feedback.models import FeedbackError, SurveyInvitation, SurveyResponse, SurveySettings
from tests.factories import UserFactory
from tests.feedback.conftest import ALL_FOURS, T0
from visits.choices import EventAction
from visits.models import VisitEvent

pytestmark = pytest.mark.django_db

SCORES = {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": 3, "u6": 4, "u7": 4, "u8": 2, "u9": 3}


def test_a_finished_visit_gets_one_invitation(finished_visit, clerk):
    first = services.invite_for_visit(finished_visit)
    again = services.invite_for_visit(finished_visit)

    assert first == again
    assert SurveyInvitation.objects.count() == 1
    assert (first.office, first.service, first.channel) == (
        finished_visit.office,
        "library",
        SurveyChannel.WALK_IN,
    )
    assert (first.source, first.user, first.served_by) == (
        finished_visit,
        finished_visit.visitor,
        clerk,
    )
    assert first.expires_at - first.created_at == datetime.timedelta(days=7)


def test_an_unfinished_visit_cannot_be_rated(kendal, clerk, finish_visit):
    visit = finish_visit()
    made_at_the_finish = SurveyInvitation.objects.count()
    visit.finished_at = None
    with pytest.raises(FeedbackError, match="setelah layanan selesai"):
        services.invite_for_visit(visit)
    assert SurveyInvitation.objects.count() == made_at_the_finish == 1


def test_invite_without_a_source_is_refused(kendal, citizen):
    with pytest.raises(FeedbackError):
        services.invite(office=kendal, service="library", channel="delivered", user=citizen)
    with pytest.raises(FeedbackError):
        services.invite(office=kendal, service="bakery", channel="walk_in", source=kendal)


def test_a_delivered_request_is_invited_by_email_once(
    kendal, citizen, survey_consent, clerk, download, django_capture_on_commit_callbacks
):
    # A softcopy request app calls invite() with its own object; a delivery record here.
    record = download(citizen, channel="delivered")

    with django_capture_on_commit_callbacks(execute=True):
        first = services.invite(
            office=kendal,
            service="library",
            channel="delivered",
            user=citizen,
            source=record,
            served_by=clerk,
            email=True,
        )
        again = services.invite(
            office=kendal,
            service="library",
            channel="delivered",
            user=citizen,
            source=record,
            email=True,
        )

    assert first == again
    assert (first.source, first.channel, first.served_by) == (record, "delivered", clerk)
    assert [m.to for m in mail.outbox] == [["citizen@example.com"]]
    assert services.survey_url(first) in mail.outbox[0].body


def test_office_link_days_set_the_expiry(kendal, supervisor, finish_visit):
    services.update_settings(
        kendal, by=supervisor, anonymous=True, link_days=2, publish_summary=True
    )
    invitation = services.invite_for_visit(finish_visit())
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=2)


def test_anonymous_answer_keeps_no_link_to_the_person(finished_visit, clerk):
    invitation = services.invite_for_visit(finished_visit)

    response = services.submit(
        invitation,
        scores=SCORES,
        overall=5,
        comment="  Cepat dan ramah ",
        profile={"sex": "female"},
    )

    response.refresh_from_db()
    invitation.refresh_from_db()
    finished_visit.refresh_from_db()
    assert (response.invitation, response.respondent) == (None, None)
    assert response.scores == (4, 3, 3, 4, 3, 4, 4, 2, 3)
    assert (response.overall, response.comment) == (5, "Cepat dan ramah")
    assert (response.service, response.channel, response.day, response.served_by) == (
        "library",
        "walk_in",
        datetime.date(2026, 11, 24),
        clerk,
    )
    # Profile categories come from the account the guest book filled in.
    assert (response.sex, response.age_group, response.education, response.occupation) == (
        "female",
        "18_24",
        "bachelor",
        "student",
    )
    assert invitation.answered_at is not None
    # The officer sees the visit's overall rating; the comment stays anonymous.
    assert (finished_visit.rating, finished_visit.rating_comment) == (5, "")
    assert VisitEvent.objects.filter(visit=finished_visit, action=EventAction.RATED).count() == 1


def test_named_answer_keeps_the_invitation_and_the_comment(kendal, finished_visit):
    SurveySettings.objects.create(office=kendal, anonymous=False)
    invitation = services.invite_for_visit(finished_visit)

    response = services.submit(invitation, scores=SCORES, overall=4, comment="Ramah")

    assert (response.invitation, response.respondent) == (invitation, finished_visit.visitor)
    finished_visit.refresh_from_db()
    assert (finished_visit.rating, finished_visit.rating_comment) == (4, "Ramah")


def test_a_link_is_answered_once(finished_visit):
    invitation = services.invite_for_visit(finished_visit)
    services.submit(invitation, scores=SCORES, overall=4)

    with pytest.raises(FeedbackError, match="sudah diisi"):
        services.submit(invitation, scores=ALL_FOURS, overall=1)

    assert SurveyResponse.objects.count() == 1


def test_an_expired_link_stores_nothing(finished_visit):
    invitation = services.invite_for_visit(finished_visit)

    with (
        time_machine.travel(invitation.expires_at + datetime.timedelta(seconds=1)),
        pytest.raises(FeedbackError, match="kedaluwarsa"),
    ):
        services.submit(invitation, scores=SCORES, overall=4)

    assert SurveyResponse.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.answered_at is None


@pytest.mark.parametrize(
    ("scores", "overall", "message"),
    [
        ({**SCORES, "u9": None}, 4, "Jawab semua pertanyaan"),
        ({k: v for k, v in SCORES.items() if k != "u4"}, 4, "Jawab semua pertanyaan"),
        ({**SCORES, "u3": 5}, 4, "skor 1 sampai 4"),
        ({**SCORES, "u3": 0}, 4, "skor 1 sampai 4"),
        (SCORES, 6, "1 sampai 5"),
    ],
)
def test_bad_answers_store_nothing(finished_visit, scores, overall, message):
    invitation = services.invite_for_visit(finished_visit)

    with pytest.raises(FeedbackError, match=message):
        services.submit(invitation, scores=scores, overall=overall)

    assert SurveyResponse.objects.count() == 0
    finished_visit.refresh_from_db()
    assert finished_visit.rating is None


def test_forged_token_is_refused():
    with pytest.raises(FeedbackError, match="tidak sah"):
        services.invitation_from_token("1:forged")


def test_token_names_its_invitation(finished_visit):
    invitation = services.invite_for_visit(finished_visit)
    assert services.invitation_from_token(invitation.token) == invitation


def test_one_download_session_per_user_office_and_day(kendal, citizen, download):
    download(citizen, at=T0)
    download(citizen, at=T0 + datetime.timedelta(hours=3))
    download(citizen, at=T0 + datetime.timedelta(days=1))

    with time_machine.travel(T0 + datetime.timedelta(days=1, hours=2), tick=False):
        pending = services.pending_download_invitations(citizen)
        again = services.pending_download_invitations(citizen)

    assert [i.session_day for i in pending] == [
        datetime.date(2026, 11, 25),
        datetime.date(2026, 11, 24),
    ]
    assert pending == again
    assert SurveyInvitation.objects.filter(channel="download").count() == 2


def test_download_sessions_are_emailed_once_after_a_quiet_hour(
    kendal, citizen, survey_consent, download, django_capture_on_commit_callbacks
):
    download(citizen, at=T0)
    download(citizen, at=T0 + datetime.timedelta(minutes=30))

    with (
        time_machine.travel(T0 + datetime.timedelta(minutes=60), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        too_soon = services.send_download_invitations()
    with (
        time_machine.travel(T0 + datetime.timedelta(minutes=95), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = services.send_download_invitations()
        sent_again = services.send_download_invitations()

    assert (too_soon, sent, sent_again) == (0, 1, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["citizen@example.com"]
    invitation = SurveyInvitation.objects.get()
    assert invitation.token in mail.outbox[0].body
    assert invitation.emailed_at is not None
    assert mail.outbox[0].subject == "[PST BPS] Bagaimana layanan kami? Survei dua menit"


def test_served_count_adds_visits_download_sessions_and_deliveries(
    kendal, citizen, finish_visit, download
):
    finish_visit(email="a@example.com")
    finish_visit(email="b@example.com")
    other = UserFactory()
    download(citizen, at=T0)
    download(citizen, at=T0 + datetime.timedelta(hours=1))  # same session
    download(other, at=T0)
    download(citizen, at=T0 + datetime.timedelta(days=1))
    download(citizen, at=T0, channel="delivered")
    download(citizen, at=T0, channel="read")  # reading is not a served request

    counts = services.served_count(kendal, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1))

    assert counts == {"visits": 2, "download_sessions": 3, "delivered": 1, "total": 6}
    consultation = services.served_count(
        kendal, datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), service="consultation"
    )
    assert consultation["total"] == 0


def test_summary_of_an_empty_period_is_no_data(kendal):
    start, end = services.period_bounds(PeriodKind.MONTH, 2026, 2)

    summary = services.summarize(kendal, start, end)

    assert summary["result"] is None
    assert (summary["respondents"], summary["sample_needed"], summary["sample_sufficient"]) == (
        0,
        0,
        False,
    )
    assert services.element_rows(summary["result"]) == []


def test_summary_counts_answers_against_the_sample(kendal, finish_visit):
    for n in range(3):
        visit = finish_visit(email=f"t{n}@example.com")
        services.submit(services.invite_for_visit(visit), scores=SCORES, overall=4)

    summary = services.summarize(kendal, *services.period_bounds(PeriodKind.MONTH, 2026, 11))

    # 3 served, Krejcie–Morgan needs 3, 3 answered.
    assert (summary["respondents"], summary["served"]["total"], summary["sample_needed"]) == (
        3,
        3,
        3,
    )
    assert summary["sample_sufficient"] is True
    # (4+3+3+4+3+4+4+2+3) / 9 × 25 = 30/9 × 25 = 83.33
    assert summary["result"].ikm_shown == Decimal("83.33")
    assert summary["result"].grade == "B"


@pytest.mark.parametrize(
    ("kind", "year", "index", "bounds"),
    [
        ("month", 2026, 2, (datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))),
        ("month", 2026, 12, (datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))),
        ("semester", 2026, 1, (datetime.date(2026, 1, 1), datetime.date(2026, 7, 1))),
        ("semester", 2026, 2, (datetime.date(2026, 7, 1), datetime.date(2027, 1, 1))),
        ("year", 2026, 1, (datetime.date(2026, 1, 1), datetime.date(2027, 1, 1))),
    ],
)
def test_period_bounds(kind, year, index, bounds):
    assert services.period_bounds(kind, year, index) == bounds


def test_previous_periods_cross_the_year():
    assert services.previous_periods("month", 2026, 2, 3) == [(2025, 12), (2026, 1), (2026, 2)]
    assert services.previous_periods("semester", 2026, 1, 3) == [(2025, 1), (2025, 2), (2026, 1)]


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_link_at_once_store_one_answer(finished_visit):
    if connection.vendor == "sqlite":
        pytest.skip("needs row locks: run on PostgreSQL")
    invitation = services.invite_for_visit(finished_visit)
    errors = []
    barrier = threading.Barrier(2)

    def answer():
        barrier.wait()
        try:
            services.submit(invitation, scores=SCORES, overall=4)
        except FeedbackError as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert SurveyResponse.objects.count() == 1
    assert len(errors) == 1
