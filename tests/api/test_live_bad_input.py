"""Bad input through a live server: every operation that takes a body gets malformed bodies
and content types, and bad tokens, and answers 4xx with the JSON error body — never a 5xx,
never an HTML page, never a partial write."""

import datetime

import pytest
from django.utils import timezone

from accounts.choices import TokenScope
from accounts.models import ApiToken
from complaints.models import Complaint
from softcopies.models import SoftcopyRequest
from visits.models import QueueTicket

MALFORMED = {
    "invalid JSON": (b'{"service": "library"', "application/json"),
    "JSON with a trailing comma": (b'{"service": "library",}', "application/json"),
    "not UTF-8": (b'{"service": "\xff\xfe library"}', "application/json"),
    "a wrong charset": (
        '{"service": "library"}'.encode("utf-16"),
        "application/json; charset=utf-8",
    ),
    "an unknown charset": (b'{"service": "library"}', "application/json; charset=klingon"),
    "multipart without a boundary": (b"--x\r\n\r\n--x--", "multipart/form-data"),
    "multipart with an empty boundary": (b"--\r\n", "multipart/form-data; boundary="),
    "a broken multipart body": (
        b"--b\r\nContent-Disposition: form",
        "multipart/form-data; boundary=b",
    ),
    "form data for JSON": (b"service=library", "application/x-www-form-urlencoded"),
    "plain text": (b"library", "text/plain"),
    "a JSON array": (b'["library"]', "application/json"),
    "JSON null": (b"null", "application/json"),
    "deeply nested JSON": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "a huge body": (b'{"description": "' + b"x" * 3_000_000 + b'"}', "application/json"),
}


def _writes():
    return (
        QueueTicket.objects.count(),
        SoftcopyRequest.objects.count(),
        Complaint.objects.count(),
        ApiToken.objects.count(),
        SoftcopyRequest.objects.filter(status="received").count(),
    )


def _body_operations(openapi, world):
    number = world.softcopy_request().number
    values = {"{code}": "3324", "{number}": number}
    for template, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                path = template.removeprefix("/api/v1")
                for name, value in values.items():
                    path = path.replace(name, value)
                yield operation["operationId"], method.upper(), path


def test_every_body_operation_answers_malformed_input_with_4xx(callers, world, openapi):
    officer = callers.token(world.clerk)
    operations = list(_body_operations(openapi, world))
    assert len(operations) >= 7  # auth, complaint, softcopy create/assign/reject/deliver, ticket
    before = _writes()
    failures = []

    for operation_id, method, path in operations:
        for label, (body, content_type) in MALFORMED.items():
            response = officer.request(
                method, path, content=body, headers={"Content-Type": content_type}
            )
            problem = None
            if not 400 <= response.status_code < 500:
                problem = f"status {response.status_code}"
            elif not response.headers.get("content-type", "").startswith("application/json"):
                problem = f"not JSON: {response.headers.get('content-type')}"
            else:
                body_json = response.json()
                if not isinstance(body_json.get("detail"), str) or "code" not in body_json:
                    problem = f"body {body_json}"
            if problem:
                failures.append(f"{operation_id} with {label}: {problem}")

    assert failures == []
    assert _writes() == before


def test_a_huge_body_is_413(callers, world):
    response = callers.anonymous.post(
        "/complaints",
        content=b'{"description": "' + b"x" * 3_000_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_an_unknown_api_address_is_a_json_404(callers, world):
    for path in ("/no-such-thing", "/publications/12/nope", "/offices/3324/tickets/extra"):
        response = callers.anonymous.get(path)

        assert response.status_code == 404
        assert response.json() == {"detail": "Tidak ditemukan.", "code": "not_found"}


@pytest.fixture
def bad_tokens(world):
    expired, raw_expired = ApiToken.issue(world.clerk, name="lama")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    revoked, raw_revoked = ApiToken.issue(world.clerk, name="dicabut")
    revoked.revoke()
    _read, raw_read = ApiToken.issue(world.clerk, name="baca", scope=TokenScope.READ)
    _other, raw_other = ApiToken.issue(world.outsider, name="kantor lain")
    return {
        "expired": (raw_expired, 401, "authentication_required"),
        "revoked": (raw_revoked, 401, "authentication_required"),
        "malformed": ("pst_" + "x" * 500, 401, "authentication_required"),
        "not a token": ("hello", 401, "authentication_required"),
        "read-only": (raw_read, 403, "read_only_token"),
        "of another office": (raw_other, 403, "permission_denied"),
    }


@pytest.mark.parametrize(
    "kind", ["expired", "revoked", "malformed", "not a token", "read-only", "of another office"]
)
def test_bad_tokens_write_nothing(callers, world, bad_tokens, kind):
    raw, status, code = bad_tokens[kind]
    caller = callers.raw_token(raw)
    request = world.softcopy_request()
    before = _writes()

    answers = [
        caller.post("/offices/3324/tickets", json={"service": "library"}),
        caller.post(f"/softcopy-requests/{request.number}/start"),
        caller.post(f"/softcopy-requests/{request.number}/reject", json={"reason": "x"}),
        caller.post(f"/softcopy-requests/{request.number}/deliver", data={"source": "whole"}),
    ]

    assert [(a.status_code, a.json()["code"]) for a in answers] == [(status, code)] * 4
    if status == 401:
        assert answers[0].headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert _writes() == before


def test_an_office_a_token_reads_nothing_of_office_b(callers, world):
    caller = callers.token(world.outsider)
    request = world.softcopy_request()

    answers = [
        caller.get("/softcopy-requests/office/3324"),
        caller.get(f"/softcopy-requests/office/3324/{request.number}"),
        caller.get("/offices/3324/ikm"),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403]
    assert caller.get("/softcopy-requests/office/3374").json()["count"] == 0


def test_nul_characters_are_refused_everywhere_before_the_database(callers, world):
    officer = callers.token(world.clerk)
    request = world.softcopy_request()
    before = _writes()

    body = officer.post(
        "/softcopy-requests", json={"description": "peta\u0000", "purpose": "Skripsi"}
    )
    key = officer.post("/complaints", json={"description": "x" * 20, "\u0000": 1})
    form = officer.post(
        f"/softcopy-requests/{request.number}/deliver",
        data={"source": "pages", "page_range": "1\x00"},
    )
    path = officer.get("/softcopy-requests/SC%00/")
    query = callers.anonymous.get("/publications", params={"q": "a\x00b"})

    assert [(r.status_code, r.json()["code"]) for r in (body, key, form)] == [(422, "invalid")] * 3
    assert body.json()["detail"] == "Teks tidak boleh berisi karakter NUL."
    assert [(r.status_code, r.json()["code"]) for r in (path, query)] == [(400, "bad_request")] * 2
    assert _writes() == before
