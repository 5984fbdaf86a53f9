import pytest
from django.core import mail

from accounts.models import ApiToken
from softcopies.choices import Action, Status
from softcopies.models import SoftcopyRequest
from tests.factories import UserFactory

URL = "/api/v1/softcopy-requests"

pytestmark = pytest.mark.django_db


def _bearer(user):
    _token, raw = ApiToken.issue(user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_create_with_a_token(client, citizen, hardcopy_book, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"publication_id": hardcopy_book.pk, "pages": "12-13", "purpose": "Skripsi"},
            content_type="application/json",
            **_bearer(citizen),
        )
    created = SoftcopyRequest.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert (body["number"], body["status"], body["publication_id"], body["pages"]) == (
        created.number,
        "received",
        hardcopy_book.pk,
        "12-13",
    )
    assert body["due_date"] == created.due_date.isoformat()
    assert [e["action"] for e in body["history"]] == ["created"]
    assert mail.outbox[0].to == ["citizen@example.com"]


def test_create_with_a_description(client, citizen, kendal):
    response = client.post(
        URL,
        {"description": "Peta desa Kendal 1995", "purpose": "Riset"},
        content_type="application/json",
        **_bearer(citizen),
    )
    assert response.status_code == 201
    assert SoftcopyRequest.objects.get().office == kendal


def test_create_refused(client, citizen, unverified, kendal):
    assert client.post(URL, {"purpose": "x"}, content_type="application/json").status_code == 401
    response = client.post(
        URL, {"purpose": "Riset"}, content_type="application/json", **_bearer(citizen)
    )
    assert response.status_code == 422
    response = client.post(
        URL,
        {"description": "Peta", "purpose": "Riset"},
        content_type="application/json",
        **_bearer(unverified),
    )
    assert response.status_code == 422
    assert SoftcopyRequest.objects.count() == 0


def test_list_and_get_own_only(client, citizen, make_request):
    mine = make_request()
    theirs = make_request(user=UserFactory(email="other@example.com"))
    headers = _bearer(citizen)
    assert [r["number"] for r in client.get(URL, **headers).json()] == [mine.number]
    assert client.get(f"{URL}/{mine.number}", **headers).json()["number"] == mine.number
    response = client.get(f"{URL}/{theirs.number}", **headers)
    assert (response.status_code, response.json()) == (404, {"detail": "Tidak ditemukan."})


def test_history_hides_internal_steps(client, citizen, clerk, make_request):
    created = make_request()
    created.assign(to=clerk, by=clerk)
    body = client.get(f"{URL}/{created.number}", **_bearer(citizen)).json()
    assert [e["action"] for e in body["history"]] == [Action.CREATED]


def test_cancel(client, citizen, make_request):
    created = make_request()
    other = UserFactory(email="other@example.com")
    assert client.post(f"{URL}/{created.number}/cancel", **_bearer(other)).status_code == 404
    response = client.post(f"{URL}/{created.number}/cancel", **_bearer(citizen))
    assert response.json()["status"] == "cancelled"
    again = client.post(f"{URL}/{created.number}/cancel", **_bearer(citizen))
    assert again.status_code == 409


def test_officer_operations(client, clerk, supervisor, kendal, make_request):
    created = make_request()
    headers = _bearer(clerk)
    queue = client.get(f"{URL}/office/{kendal.code}", **headers).json()
    assert [item["number"] for item in queue] == [created.number]
    assert client.post(f"{URL}/{created.number}/start", **headers).json()["status"] == (
        "in_progress"
    )
    body = client.post(
        f"{URL}/{created.number}/assign",
        {"officer_email": supervisor.email},
        content_type="application/json",
        **headers,
    ).json()
    assert [e["action"] for e in body["history"]][-1] == "assigned"
    response = client.post(
        f"{URL}/{created.number}/reject",
        {"reason": "Tidak tersedia"},
        content_type="application/json",
        **headers,
    )
    created.refresh_from_db()
    assert response.json()["rejection_reason"] == "Tidak tersedia"
    assert (created.status, created.assignee) == (Status.REJECTED, supervisor)


@pytest.mark.parametrize("operation", ["start", "assign", "reject"])
def test_officer_operations_refused(client, citizen, outsider_officer, make_request, operation):
    created = make_request()
    payload = {"start": {}, "assign": {"officer_email": "x@example.com"}, "reject": {"reason": "x"}}
    for user in (citizen, outsider_officer):
        response = client.post(
            f"{URL}/{created.number}/{operation}",
            payload[operation],
            content_type="application/json",
            **_bearer(user),
        )
        assert response.status_code == 403
    assert client.post(f"{URL}/{created.number}/{operation}").status_code == 401
    created.refresh_from_db()
    assert (created.status, created.assignee) == (Status.RECEIVED, None)


def test_queue_refused(client, citizen, outsider_officer, kendal):
    for user in (citizen, outsider_officer):
        assert client.get(f"{URL}/office/{kendal.code}", **_bearer(user)).status_code == 403
    assert client.get(f"{URL}/office/{kendal.code}").status_code == 401


def test_officer_delivers_scans_through_the_api(
    client, clerk, kendal, make_request, hardcopy_book, django_capture_on_commit_callbacks
):
    from .conftest import image_upload

    created = make_request(hardcopy_book)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{URL}/{created.number}/deliver",
            {"source": "upload", "scans": [image_upload("p2.png"), image_upload("p1.png")]},
            **_bearer(clerk),
        )
    assert response.status_code == 200
    assert response.json()["status"] == "delivered"
    created.refresh_from_db()
    assert created.fulfilment.delivered_file.page_count == 2
    assert mail.outbox[-1].to == ["citizen@example.com"]
    detail = client.get(f"{URL}/office/{kendal.code}/{created.number}", **_bearer(clerk)).json()
    assert [e["action"] for e in detail["history"]] == ["created", "started", "delivered"]


def test_api_delivery_bad_input(client, clerk, citizen, make_request, on_request_publication):
    from django.core.files.uploadedfile import SimpleUploadedFile

    created = make_request(on_request_publication)
    response = client.post(
        f"{URL}/{created.number}/deliver",
        {"source": "pages", "page_range": "3-40"},
        **_bearer(clerk),
    )
    assert response.status_code == 409
    assert "40" in response.json()["detail"]
    response = client.post(
        f"{URL}/{created.number}/deliver",
        {"source": "upload", "scans": [SimpleUploadedFile("x.jpg", b"not an image")]},
        **_bearer(clerk),
    )
    assert response.status_code == 409
    assert (
        client.post(
            f"{URL}/{created.number}/deliver", {"source": "whole"}, **_bearer(citizen)
        ).status_code
        == 403
    )
    created.refresh_from_db()
    assert created.status == Status.RECEIVED


def test_office_detail_refused(client, citizen, outsider_officer, kendal, make_request):
    created = make_request()
    for user in (citizen, outsider_officer):
        response = client.get(f"{URL}/office/{kendal.code}/{created.number}", **_bearer(user))
        assert response.status_code == 403
