"""One domain error: the API answers it as ``{"detail", "code"}`` with its status, and
views show it as a message (core.views.run / perform)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.urls import reverse

from accounts.models import ApiToken
from core.errors import DomainError
from core.views import run
from softcopies import services as softcopy_services

pytestmark = pytest.mark.django_db


def test_a_refused_api_step_answers_its_message_and_code(client, citizen, kendal):
    created = softcopy_services.create_request(
        office=kendal, user=citizen, description="Peta desa Kendal 1995", purpose="Riset"
    )
    created.cancel(by=citizen)
    _token, raw = ApiToken.issue(citizen, name="test")

    response = client.post(
        f"/api/v1/softcopy-requests/{created.number}/cancel",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="id",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Permintaan ini tidak dapat dibatalkan lagi: petugas sudah memprosesnya.",
        "code": "invalid_state",
    }


def test_a_refused_input_keeps_its_own_status(client, citizen, kendal):
    _token, raw = ApiToken.issue(citizen, name="test")

    response = client.post(
        "/api/v1/softcopy-requests",
        {"purpose": "Riset"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert (response.status_code, response.json()["code"]) == (422, "not_allowed")


def test_a_view_shows_a_refusal_as_an_error_message(rf):
    request = rf.post("/")
    request.session = {}
    request._messages = FallbackStorage(request)

    def refused():
        raise DomainError("Tidak bisa sekarang.", "busy")

    assert run(request, refused, "Berhasil.") is None
    assert run(request, lambda: 42, lambda result: f"Hasil {result}.") == 42
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("error", "Tidak bisa sekarang."),
        ("success", "Hasil 42."),
    ]


def test_an_unknown_step_of_a_transition_view_is_not_found(client_for, clerk, kendal):
    url = reverse("visits:visit-action", args=["3324", 1, "start"]).replace("start", "fly")

    assert client_for(clerk).post(url).status_code == 404
