import pytest

from accounts.models import ApiToken
from catalog.choices import AccessLevel
from delivery.models import DeliveryRecord


def _url(publication):
    return f"/api/v1/publications/{publication.pk}/download"


def test_token_download_returns_a_stamped_pdf(client, citizen, publication):
    _token, raw = ApiToken.issue(citizen, name="script")

    response = client.get(_url(publication), headers={"Authorization": f"Bearer {raw}"})

    body = b"".join(response.streaming_content)
    record = DeliveryRecord.objects.get()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF-")
    assert (record.user, record.channel) == (citizen, "download")
    assert len(body) == record.bytes_served


def test_session_download_works_for_browsers(client_for, citizen, publication):
    response = client_for(citizen).get(_url(publication))

    assert response.status_code == 200
    assert DeliveryRecord.objects.get().user == citizen


def test_anonymous_gets_401(client, publication):
    response = client.get(_url(publication))

    assert response.status_code == 401
    assert DeliveryRecord.objects.count() == 0


def test_unverified_user_gets_403_with_a_message(client, unverified, publication):
    _token, raw = ApiToken.issue(unverified, name="x")

    response = client.get(_url(publication), headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 403
    assert "Konfirmasi alamat email" in response.json()["detail"]


@pytest.mark.parametrize("level", [AccessLevel.READ_ONLINE, AccessLevel.ON_REQUEST])
def test_not_downloadable_gets_403(client_for, citizen, make_publication, level):
    publication = make_publication(access_level=level)

    response = client_for(citizen).get(_url(publication))

    assert response.status_code == 403
    assert DeliveryRecord.objects.count() == 0


def test_unknown_publication_gets_404(client_for, citizen, db):
    response = client_for(citizen).get("/api/v1/publications/999999/download")

    assert response.status_code == 404
