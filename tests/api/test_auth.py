import datetime

import pytest
from django.utils import timezone

from accounts.models import ApiToken
from tests.factories import PASSWORD


def _token(client, email, password):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password},
        content_type="application/json",
    )


def test_token_for_valid_credentials_authenticates_later_calls(client, clerk):
    response = _token(client, "clerk@example.com", PASSWORD)

    assert response.status_code == 200
    raw = response.json()["token"]
    assert raw.startswith("pst_")
    token = ApiToken.objects.get(user=clerk)
    assert token.digest != raw  # only a digest is stored
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.json() == {
        "email": "clerk@example.com",
        "full_name": "Kurniawan Petugas",
        "email_verified": True,
        "roles": {"3324": "officer"},
        "token_scope": "full",
    }


def test_wrong_password_gets_401_in_indonesian(client, citizen):
    response = _token(client, "citizen@example.com", "nope")

    assert response.status_code == 401
    assert "salah" in response.json()["detail"]
    assert ApiToken.objects.count() == 0


def test_token_endpoint_rejects_a_malformed_body(client, db):
    response = client.post("/api/v1/auth/token", {"email": "x"}, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == "Permintaan tidak valid."
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize("header", [None, "Bearer pst_not-a-token", "Token abc"])
def test_me_refuses_anonymous_and_bad_tokens(client, db, header):
    headers = {"Authorization": header} if header else {}

    response = client.get("/api/v1/me", headers=headers)

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Autentikasi diperlukan.",
        "code": "authentication_required",
    }


def test_expired_and_revoked_tokens_are_refused(client, citizen):
    expired, raw_expired = ApiToken.issue(citizen, name="kiosk")
    expired.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    expired.save()
    revoked, raw_revoked = ApiToken.issue(citizen, name="board")
    revoked.revoke()

    for raw in (raw_expired, raw_revoked):
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 401


def test_session_authenticates_browsers(client_for, citizen):
    response = client_for(citizen).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == "citizen@example.com"


def test_openapi_schema_lists_the_contract_paths(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/auth/token", "/api/v1/me", "/api/v1/offices/{code}"} <= set(schema["paths"])
    assert "BearerTokenAuth" in schema["components"]["securitySchemes"]
