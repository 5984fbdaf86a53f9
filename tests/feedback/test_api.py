import pytest

from feedback import services
from tests.feedback.conftest import ALL_FOURS

pytestmark = pytest.mark.django_db

URL = "/api/v1/offices/3324/ikm"


def test_supervisor_reads_the_ikm_of_a_month(client_for, kendal, supervisor, finished_visit):
    services.submit(services.invite_for_visit(finished_visit), scores=ALL_FOURS, overall=5)

    body = client_for(supervisor).get(URL, {"period": "month", "year": 2026, "index": 11}).json()

    assert body["ikm"] == 100.0
    assert body["grade"] == "A"
    assert (body["respondents"], body["served"], body["sample_needed"]) == (1, 1, 1)
    assert body["sample_sufficient"] is True
    assert body["elements"][3] == {"code": "U4", "nrr": 4.0}
    assert (body["start"], body["end"], body["period"]) == ("2026-11-01", "2026-12-01", "11/2026")


def test_empty_period_is_no_data(client_for, kendal, supervisor):
    body = client_for(supervisor).get(URL, {"period": "year", "year": 2020}).json()
    assert (body["ikm"], body["grade"], body["respondents"], body["elements"]) == (
        None,
        None,
        0,
        [],
    )


def test_others_are_refused(client_for, kendal, citizen, clerk, outsider_officer):
    assert client_for(None).get(URL).status_code == 401
    for user in (citizen, clerk, outsider_officer):
        response = client_for(user).get(URL)
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Anda tidak memiliki izin untuk melakukan tindakan ini.",
            "code": "permission_denied",
        }
