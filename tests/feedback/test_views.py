import datetime

import pytest
import time_machine
from django.urls import reverse

from feedback import services
from feedback.models import (
    SurveyInvitation,
    SurveyResponse,
    SurveySettings,
    SurveySettingsChange,
)
from tests.factories import UserFactory
from tests.feedback.conftest import T0

pytestmark = pytest.mark.django_db

ANSWER = {
    "u1": "4",
    "u2": "3",
    "u3": "3",
    "u4": "4",
    "u5": "3",
    "u6": "4",
    "u7": "4",
    "u8": "2",
    "u9": "3",
    "overall": "5",
    "comment": "Petugas ramah",
}


def survey_url(invitation):
    return reverse("feedback:survey", args=[invitation.token])


def answer_visit(visit, **overrides):
    invitation = services.invite_for_visit(visit)
    scores = {f"u{i}": 4 for i in range(1, 10)}
    return services.submit(invitation, scores={**scores, **overrides}, overall=4, comment="Oke")


# The survey page ----------------------------------------------------------------------------


def test_survey_shows_the_nine_elements_in_order(client, finished_visit):
    invitation = services.invite_for_visit(finished_visit)

    page = client.get(survey_url(invitation))

    assert page.templates[0].name == "feedback/public/survey_answer.html"
    form = page.context["form"]
    assert [f.name for f in form.element_fields()] == [f"u{i}" for i in range(1, 10)]
    assert [label for _v, label in form.fields["u4"].choices] == [
        "Sangat mahal",
        "Cukup mahal",
        "Murah",
        "Gratis",
    ]
    # The guest book filled the whole profile, so nothing more is asked.
    assert form.profile_fields() == []


def test_answering_the_survey_stores_it_and_shows_thanks(client, finished_visit):
    invitation = services.invite_for_visit(finished_visit)

    done = client.post(survey_url(invitation), ANSWER, follow=True)

    assert done.templates[0].name == "feedback/public/survey_done.html"
    response = SurveyResponse.objects.get()
    assert response.scores == (4, 3, 3, 4, 3, 4, 4, 2, 3)
    assert (response.overall, response.comment, response.language) == (5, "Petugas ramah", "id")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None


def test_profile_is_asked_when_the_account_lacks_it(client, kendal):
    user = UserFactory(sex="", age_group="", education="", occupation="")
    invitation = services.invite(
        office=kendal, service="library", channel="download", user=user, session_day=T0.date()
    )

    page = client.get(survey_url(invitation))
    assert [f.name for f in page.context["form"].profile_fields()] == [
        "sex",
        "age_group",
        "education",
        "occupation",
    ]
    client.post(survey_url(invitation), {**ANSWER, "sex": "male", "age_group": "25_34"})

    response = SurveyResponse.objects.get()
    assert (response.sex, response.age_group, response.education) == ("male", "25_34", "")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"u5": ""}, "u5", "Pilih satu jawaban."),
        ({"u3": "5"}, "u3", "Pilih salah satu dari empat jawaban."),
        ({"u3": "0"}, "u3", "Pilih salah satu dari empat jawaban."),
        ({"overall": "9"}, "overall", "Pilih nilai dari 1 sampai 5."),
    ],
)
def test_bad_answers_are_refused_with_a_message(client, finished_visit, change, field, message):
    invitation = services.invite_for_visit(finished_visit)

    page = client.post(survey_url(invitation), {**ANSWER, **change})

    assert page.context["form"].errors[field] == [message]
    assert SurveyResponse.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_a_reused_link_stores_nothing_more(client, finished_visit):
    invitation = services.invite_for_visit(finished_visit)
    client.post(survey_url(invitation), ANSWER)

    again = client.post(survey_url(invitation), {**ANSWER, "overall": "1"})

    assert again.templates[0].name == "feedback/public/survey_done.html"
    assert list(SurveyResponse.objects.values_list("overall", flat=True)) == [5]


def test_an_expired_link_says_so(client, finished_visit):
    invitation = services.invite_for_visit(finished_visit)

    with time_machine.travel(invitation.expires_at + datetime.timedelta(minutes=1)):
        page = client.post(survey_url(invitation), ANSWER)

    assert page.status_code == 410
    assert page.context["message"] == "Tautan survei ini sudah kedaluwarsa."
    assert SurveyResponse.objects.count() == 0


def test_a_forged_link_is_not_found(client, finished_visit):
    invitation = services.invite_for_visit(finished_visit)
    forged = f"{invitation.pk + 1}:{invitation.token.split(':')[1]}"

    page = client.get(reverse("feedback:survey", args=[forged]))

    assert page.status_code == 404
    assert page.context["message"] == "Tautan survei ini tidak sah."


# Back office --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feedback:results", "feedback:report", "feedback:settings"])
def test_supervisor_pages_refuse_others(client_for, kendal, citizen, clerk, outsider_officer, name):
    url = reverse(name, args=[kendal.code])

    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    for user in (citizen, clerk, outsider_officer):
        assert client_for(user).get(url).status_code == 403


def test_my_ratings_refuses_visitors_and_other_offices(
    client_for, kendal, citizen, outsider_officer
):
    url = reverse("feedback:my-ratings", args=[kendal.code])

    assert client_for(None).get(url).status_code == 302
    assert client_for(citizen).get(url).status_code == 403
    assert client_for(outsider_officer).get(url).status_code == 403


def test_results_show_the_ikm_per_element_service_and_officer(
    client_for, kendal, supervisor, clerk, finish_visit
):
    answer_visit(finish_visit(email="a@example.com"), u8=2)
    answer_visit(finish_visit(email="b@example.com"), u8=3)

    with time_machine.travel(T0 + datetime.timedelta(days=1), tick=False):
        page = client_for(supervisor).get(
            reverse("feedback:results", args=[kendal.code]),
            {"period": "month", "year": "2026", "index": "11"},
        )

    result = page.context["result"]
    # U8 averages 2.5, the rest 4: (8 × 4 + 2.5) / 9 × 25 = 95.83
    assert str(result.ikm_shown) == "95.83"
    assert result.grade == "A"
    assert page.context["summary"]["sample_needed"] == 2
    assert page.context["summary"]["sample_sufficient"] is True
    assert [row["priority"] for row in page.context["rows"]][7] is True
    assert [(name, r.respondents) for name, r in page.context["by_officer"]] == [
        ("Kurniawan Petugas", 2)
    ]
    assert dict(page.context["by_service"])["Perpustakaan"].respondents == 2
    assert [c.comment for c in page.context["comments"]] == ["Oke", "Oke"]
    body = page.content.decode()
    assert "95,83" in body
    assert "Sangat Baik" in body


def test_results_of_an_empty_period_say_no_data(client_for, kendal, supervisor):
    page = client_for(supervisor).get(
        reverse("feedback:results", args=[kendal.code]),
        {"period": "semester", "year": "2025", "index": "1"},
    )

    assert page.context["result"] is None
    assert page.context["period_label"] == "Semester 1 2025"
    assert "Tidak ada data" in page.content.decode()


def test_report_prints_the_profile_and_priorities(client_for, kendal, supervisor, finish_visit):
    answer_visit(finish_visit(), u2=1)
    url = reverse("feedback:report", args=[kendal.code])
    query = {"period": "year", "year": "2026"}

    page = client_for(supervisor).get(url, query)
    pdf = client_for(supervisor).get(url, {**query, "format": "pdf"})

    assert [row["element"].code for row in page.context["priorities"]] == ["U2", "U1", "U3"]
    sex = dict(page.context["profile"])["Jenis kelamin"]
    assert [(value, count) for value, _label, count in sex] == [("male", 0), ("female", 1)]
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="ikm-3324-2026.pdf"'


def test_settings_change_anonymity_and_link_days(client_for, kendal, supervisor):
    url = reverse("feedback:settings", args=[kendal.code])

    client_for(supervisor).post(url, {"link_days": "3", "publish_summary": "on"})

    current = SurveySettings.objects.get(office=kendal)
    assert (current.anonymous, current.link_days, current.publish_summary) == (False, 3, True)
    assert current.updated_by == supervisor
    change = SurveySettingsChange.objects.get()
    assert (change.office, change.changed_by) == (kendal, supervisor)
    assert change.before == {"anonymous": True, "link_days": None, "publish_summary": True}
    assert change.after == {"anonymous": False, "link_days": 3, "publish_summary": True}
    page = client_for(supervisor).get(url)
    assert list(page.context["changes"]) == [change]


def test_settings_refuse_a_zero_day_link(client_for, kendal, supervisor):
    url = reverse("feedback:settings", args=[kendal.code])
    page = client_for(supervisor).post(url, {"anonymous": "on", "link_days": "0"})
    assert page.context["form"].errors["link_days"]
    assert not SurveySettings.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_my_ratings_lists_my_visits_in_fixed_queries(
    client_for, kendal, clerk, finish_visit, django_assert_num_queries, count
):
    for n in range(count):
        answer_visit(finish_visit(email=f"t{n}@example.com"))
    client = client_for(clerk)
    url = reverse("feedback:my-ratings", args=[kendal.code])

    with django_assert_num_queries(9):
        page = client.get(url)

    assert [v.rating for v in page.context["page_obj"]] == [4] * count
    assert page.context["totals"] == {"n": count, "avg": 4.0}


@pytest.mark.parametrize("count", [1, 3])
def test_results_comments_in_fixed_queries(
    client_for, kendal, supervisor, finish_visit, django_assert_num_queries, count
):
    for n in range(count):
        answer_visit(finish_visit(email=f"t{n}@example.com"))
    client = client_for(supervisor)
    url = reverse("feedback:results", args=[kendal.code])

    with django_assert_num_queries(27):
        page = client.get(url, {"period": "month", "year": "2026", "index": "11"})

    assert len(page.context["comments"]) == count


# Public pages -------------------------------------------------------------------------------


def test_public_summary_shows_the_year(client, kendal, finish_visit):
    answer_visit(finish_visit())

    with time_machine.travel(T0 + datetime.timedelta(hours=2), tick=False):
        page = client.get(reverse("feedback:summary", args=[kendal.code]))

    assert page.context["year"]["result"].ikm_shown == 100
    assert page.context["trend"][-1]["label"] == "11/2026"
    assert "Sangat Baik" in page.content.decode()


def test_public_summary_can_be_withdrawn(client, kendal):
    SurveySettings.objects.create(office=kendal, publish_summary=False)
    assert client.get(reverse("feedback:summary", args=[kendal.code])).status_code == 404


def test_my_surveys_needs_login(client):
    page = client.get(reverse("feedback:my-surveys"))
    assert page.status_code == 302
    assert page.url.startswith("/accounts/login/")


@pytest.mark.parametrize("days", [1, 3])
def test_my_surveys_lists_download_days(
    client_for, citizen, download, django_assert_num_queries, days
):
    for day in range(days):
        download(citizen, at=T0 + datetime.timedelta(days=day))
    client = client_for(citizen)

    with time_machine.travel(T0 + datetime.timedelta(days=3), tick=False):
        page = client.get(reverse("feedback:my-surveys"))

    assert [i.channel for i in page.context["invitations"]] == ["download"] * days
    assert SurveyInvitation.objects.count() == days


def test_download_history_links_to_the_surveys(client_for, citizen):
    page = client_for(citizen).get(reverse("delivery:history"))
    assert reverse("feedback:my-surveys") in page.content.decode()


def test_officers_see_no_supervisor_links(client_for, kendal, clerk, supervisor):
    url = reverse("feedback:my-ratings", args=[kendal.code])
    results = reverse("feedback:results", args=[kendal.code])

    assert results not in client_for(clerk).get(url).content.decode()
    assert results in client_for(supervisor).get(url).content.decode()
