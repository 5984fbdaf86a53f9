import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from feedback import demo
from feedback.models import SurveyResponse
from tests.feedback.conftest import T0

pytestmark = pytest.mark.django_db


def test_send_survey_invitations_mails_finished_download_days(
    citizen, survey_consent, download, django_capture_on_commit_callbacks
):
    download(citizen, at=T0)
    out = io.StringIO()

    with (
        time_machine.travel(T0 + datetime.timedelta(hours=2), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_survey_invitations", stdout=out)

    assert out.getvalue() == "Survey invitations e-mailed: 1\n"
    assert [m.to for m in mail.outbox] == [["citizen@example.com"]]


def test_demo_answers_are_seeded_once(kendal):
    out = io.StringIO()
    demo.seed(kendal, stdout=out)
    demo.seed(kendal, stdout=out)

    assert SurveyResponse.objects.filter(office=kendal).count() == 40
    assert out.getvalue().endswith("  Survey answers: already there")
