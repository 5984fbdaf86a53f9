"""Error answers: JSON under /api/, pages elsewhere; NUL characters never reach the database."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from config.api import _server_error
from core.views import error_400, error_403, error_404, error_500


@pytest.mark.parametrize(
    "path", ["/complaints/track/AB%00CD/", "/publications/?q=a%00b", "/?x%00=1"]
)
def test_a_nul_character_in_the_address_or_query_is_a_400_page(client, kendal, path):
    response = client.get(path)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("handler", "exception", "status", "code"),
    [
        (error_400, BadRequest(), 400, "bad_request"),
        (error_403, PermissionDenied(), 403, "permission_denied"),
        (error_404, Http404(), 404, "not_found"),
        (error_500, None, 500, "server_error"),
    ],
)
def test_error_handlers_answer_json_under_api(db, handler, exception, status, code):
    api_request = RequestFactory().get("/api/v1/whatever")
    page_request = RequestFactory().get("/whatever/")
    page_request.user = AnonymousUser()
    args = () if exception is None else (exception,)

    api_answer = handler(api_request, *args)
    page_answer = handler(page_request, *args)

    assert (api_answer.status_code, json.loads(api_answer.content)["code"]) == (status, code)
    assert page_answer.status_code == status
    assert not page_answer["Content-Type"].startswith("application/json")


def test_an_unexpected_api_failure_is_logged_and_answered_as_json(db, caplog):
    request = RequestFactory().post("/api/v1/offices/3324/tickets")

    response = _server_error(request, RuntimeError("boom"))

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "detail": "Terjadi kesalahan di pihak kami. Silakan coba lagi nanti.",
        "code": "server_error",
    }
    assert caplog.records[-1].exc_info[1].args == ("boom",)
    assert caplog.records[-1].getMessage() == "API error on POST /api/v1/offices/3324/tickets"
