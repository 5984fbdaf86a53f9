"""A survey-settings change is one SETTINGS line naming the changed fields."""

from django.urls import reverse

from feedback.models import SurveySettings
from tests.audit import lines_since, mark, summary


def test_settings_change_is_one_settings_line(client_for, kendal, supervisor):
    SurveySettings.for_office(kendal)
    start = mark()

    client_for(supervisor).post(
        reverse("feedback:settings", args=[kendal.code]),
        {"link_days": "3", "publish_summary": "on"},
    )

    [line] = lines_since(start)
    current = SurveySettings.objects.get(office=kendal)
    assert summary(line) == (
        supervisor,
        kendal,
        "settings",
        f"feedback.SurveySettings {kendal.code}",
        "anonymous: True → False; link_days: None → 3",
        "127.0.0.1",
    )
    assert current.link_days == 3
