"""Token writes through a live server and a real HTTP client (no Django test client).

The test client skips CSRF, so the first round's suite stayed green while every write
with a token answered 403 "CSRF check Failed". Here the app runs on ``live_server`` and
``httpx`` talks to it as a script would: a bearer token and no cookie, or a session
cookie with and without the CSRF token.
"""

import httpx
import pytest
from django.conf import settings
from django.test import Client

from accounts.models import ApiToken
from catalog.choices import Visibility
from catalog.models import Publication
from softcopies.models import SoftcopyRequest
from visits.models import QueueTicket


@pytest.fixture
def live(live_server, settings):
    # The live server speaks plain HTTP: Secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    with httpx.Client(base_url=live_server.url + "/api/v1", timeout=20) as client:
        yield client


def bearer(user):
    _token, raw = ApiToken.issue(user, name="script")
    return {"Authorization": f"Bearer {raw}"}


def sign_in(live, user):
    """Give ``live`` a real login session (a row in the session store), as a browser has."""
    client = Client()
    client.force_login(user)
    live.cookies.set(
        settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
    )


@pytest.fixture
def book(kendal):
    return Publication.objects.create(
        office=kendal, title="Kendal Dalam Angka 2024", year=2024, visibility=Visibility.PUBLISHED
    )


def test_officer_takes_a_ticket_with_a_bearer_token_and_no_cookie(live, clerk):
    response = live.post(
        "/offices/3324/tickets", json={"service": "library"}, headers=bearer(clerk)
    )

    assert response.status_code == 201, response.text
    assert response.json()["number"] == "A-001"
    assert QueueTicket.objects.get().issued_by == clerk


def test_visitor_requests_a_softcopy_with_a_bearer_token(live, citizen, book):
    response = live.post(
        "/softcopy-requests",
        json={"publication_id": book.pk, "purpose": "Skripsi"},
        headers=bearer(citizen),
    )

    assert response.status_code == 201, response.text
    assert SoftcopyRequest.objects.get().user == citizen


def test_officer_starts_a_softcopy_request_with_a_bearer_token(live, citizen, clerk, book):
    created = live.post(
        "/softcopy-requests",
        json={"publication_id": book.pk, "purpose": "Skripsi"},
        headers=bearer(citizen),
    ).json()

    response = live.post(f"/softcopy-requests/{created['number']}/start", headers=bearer(clerk))

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "in_progress"


def test_a_session_write_without_the_csrf_token_is_refused(live, clerk):
    sign_in(live, clerk)

    response = live.post("/offices/3324/tickets", json={"service": "library"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert QueueTicket.objects.count() == 0


def test_a_session_write_with_the_csrf_token_succeeds(live, clerk):
    sign_in(live, clerk)
    # The CSRF cookie comes from any page that renders a form; the client keeps it.
    live.get(live.base_url.copy_with(path="/complaints/new/"))
    csrf = live.cookies[settings.CSRF_COOKIE_NAME]

    response = live.post(
        "/offices/3324/tickets", json={"service": "library"}, headers={"X-CSRFToken": csrf}
    )

    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "header", ["Bearer pst_not-a-token", "Bearer", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_a_bad_authorization_header_is_401_even_with_a_valid_session(live, clerk, header):
    sign_in(live, clerk)

    response = live.post(
        "/offices/3324/tickets", json={"service": "library"}, headers={"Authorization": header}
    )

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Autentikasi diperlukan.",
        "code": "authentication_required",
    }
    assert QueueTicket.objects.count() == 0


def test_an_anonymous_write_is_401_not_a_csrf_403(live, kendal):
    response = live.post("/offices/3324/tickets", json={"service": "library"})

    assert response.status_code == 401


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data", "multipart/form-data; boundary=", "application/x-www-form-urlencoded"],
)
def test_the_token_endpoint_answers_a_malformed_body_with_4xx(live, citizen, content_type):
    response = live.post(
        "/auth/token",
        content=b'{"email": "citizen@example.com"}',
        headers={"Content-Type": content_type},
    )

    assert 400 <= response.status_code < 500, response.text
    assert "detail" in response.json()
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(
    ("action", "body", "status"),
    [
        ("start", None, "in_progress"),
        ("assign", {"officer_email": "clerk@example.com"}, "received"),
        ("reject", {"reason": "Buku sedang dijilid ulang."}, "rejected"),
    ],
)
def test_every_officer_transition_works_with_a_bearer_token_and_no_cookie(
    live, citizen, clerk, book, action, body, status
):
    created = live.post(
        "/softcopy-requests",
        json={"publication_id": book.pk, "purpose": "Skripsi"},
        headers=bearer(citizen),
    ).json()

    response = live.post(
        f"/softcopy-requests/{created['number']}/{action}", json=body, headers=bearer(clerk)
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == status
    assert SoftcopyRequest.objects.get(number=created["number"]).status == status
    assert dict(live.cookies) == {}  # nothing but the token was ever sent
    assert "cookie" not in response.request.headers
