"""List answers are pages with links, and their query count does not grow with the page."""

import pytest

from accounts.models import ApiToken
from softcopies import services

URL = "/api/v1/softcopy-requests"


@pytest.fixture
def make_requests(kendal, citizen, django_capture_on_commit_callbacks):
    def _make(count):
        with django_capture_on_commit_callbacks(execute=True):
            return [
                services.create_request(
                    office=kendal,
                    user=citizen,
                    publication=None,
                    description=f"Tabel curah hujan {1990 + n}",
                    pages="",
                    purpose="Skripsi",
                )
                for n in range(count)
            ]

    return _make


def _bearer(user):
    _token, raw = ApiToken.issue(user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.parametrize("count", [1, 3])
def test_own_list_query_count(client, citizen, make_requests, count, django_assert_num_queries):
    make_requests(count)
    headers = _bearer(citizen)
    client.get(URL, headers=headers)  # the token's first use is written once

    # token, count, page, events of the page
    with django_assert_num_queries(4):
        response = client.get(URL, headers=headers)

    assert response.json()["count"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_office_queue_query_count(client, clerk, make_requests, count, django_assert_num_queries):
    make_requests(count)
    headers = _bearer(clerk)
    client.get(f"{URL}/office/3324", headers=headers)

    # token, office, membership, count, page
    with django_assert_num_queries(5):
        response = client.get(f"{URL}/office/3324", headers=headers)

    assert len(response.json()["results"]) == count


def test_pages_link_to_each_other_and_keep_the_filters(client, citizen, make_requests, monkeypatch):
    monkeypatch.setattr("softcopies.api.OWN_PER_PAGE", 2)
    make_requests(5)
    headers = _bearer(citizen)

    first = client.get(URL, {"status": "received"}, headers=headers).json()
    last = client.get(URL, {"status": "received", "page": 3}, headers=headers).json()
    beyond = client.get(URL, {"page": 9}, headers=headers).json()

    assert (first["count"], len(first["results"]), first["previous"]) == (5, 2, None)
    assert first["next"] == "http://testserver/api/v1/softcopy-requests?status=received&page=2"
    assert (len(last["results"]), last["next"]) == (1, None)
    assert last["previous"] == "http://testserver/api/v1/softcopy-requests?status=received&page=2"
    assert (beyond["results"], beyond["next"], beyond["count"]) == ([], None, 5)
    assert beyond["previous"] == "http://testserver/api/v1/softcopy-requests?page=8"
