"""Every operation of /api/v1/openapi.json, driven through a live server with httpx.

Each test names the operation it covers (``@covers("operation_id")``) and calls it as the
kinds of clients that exist: anonymously, with a bearer token (full and read-only), with a
login session made through allauth's form (with and without the CSRF header), and as the
roles that must be refused. ``expect`` checks the status, that the status is one the schema
documents for that operation, and that every error answer is the shared JSON error body.
``test_every_operation_in_the_schema_has_a_live_test`` fails when an operation appears in
the schema without a test here.
"""

import re

import pytest
from pypdf import PdfReader

from accounts.choices import TokenScope
from complaints.models import Complaint
from softcopies.choices import Status
from softcopies.models import SoftcopyRequest
from tests.api.conftest import printed_book
from visits.models import QueueTicket

COVERED = set()


def covers(operation_id):
    def mark(test):
        COVERED.add(operation_id)
        return test

    return mark


def _operation_for(openapi, method, path):
    for template, operations in openapi["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the schema")


@pytest.fixture
def expect(openapi):
    def _expect(response, status):
        """Assert ``status``, that the schema documents it, and the error body shape."""
        request = response.request
        assert response.status_code == status, (
            f"{request.method} {request.url}: {response.status_code} {response.text[:300]}"
        )
        operation = _operation_for(openapi, request.method, request.url.path)
        assert status in operation["responses"], (
            f"{status} is not documented for {operation['operationId']}"
        )
        if status >= 400 and status != 416:
            body = response.json()
            assert set(body) <= {"detail", "code", "errors"}, body
            assert isinstance(body["detail"], str) and body["detail"], body
            assert isinstance(body["code"], str) and body["code"], body
            return body
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response

    return _expect


# --- auth ---------------------------------------------------------------------------


@covers("auth_token")
def test_auth_token(callers, world, expect):
    anonymous = callers.anonymous
    body = expect(
        anonymous.post(
            "/auth/token",
            json={"email": "Citizen@Example.com ", "password": "correct-horse-battery-9"},
        ),
        200,
    )
    assert body["token"].startswith("pst_") and body["scope"] == "full"
    read = expect(
        anonymous.post(
            "/auth/token",
            json={
                "email": "citizen@example.com",
                "password": "correct-horse-battery-9",
                "scope": "read",
                "days": 7,
                "name": "laporan",
            },
        ),
        200,
    )
    assert (read["scope"], read["name"]) == ("read", "laporan")
    wrong = expect(
        anonymous.post("/auth/token", json={"email": "citizen@example.com", "password": "x"}),
        401,
    )
    assert wrong["code"] == "invalid_credentials"
    unverified = expect(
        anonymous.post(
            "/auth/token",
            json={"email": "new@example.com", "password": "correct-horse-battery-9"},
        ),
        403,
    )
    assert unverified["code"] == "email_not_verified"
    expect(anonymous.post("/auth/token", json={"email": "citizen@example.com"}), 422)
    expect(
        anonymous.post(
            "/auth/token",
            json={"email": "citizen@example.com", "password": "x", "days": 100000},
        ),
        422,
    )
    malformed = expect(
        anonymous.post(
            "/auth/token", content=b"{not json", headers={"Content-Type": "application/json"}
        ),
        400,
    )
    assert malformed["code"] == "malformed_body"
    # A token or a session does not matter to this operation (it has no authentication).
    expect(
        callers.token(world.clerk).post(
            "/auth/token",
            json={"email": "clerk@example.com", "password": "correct-horse-battery-9"},
        ),
        200,
    )
    expect(
        callers.session(world.clerk, csrf=False).post(
            "/auth/token",
            json={"email": "clerk@example.com", "password": "correct-horse-battery-9"},
        ),
        200,
    )


@covers("me")
def test_me(callers, world, expect):
    expect(callers.anonymous.get("/me"), 401)
    expect(callers.raw_token("pst_not-a-token").get("/me"), 401)
    by_token = expect(callers.token(world.clerk).get("/me"), 200)
    assert (by_token["roles"], by_token["token_scope"]) == ({"3324": "officer"}, "full")
    read = expect(callers.token(world.clerk, scope=TokenScope.READ).get("/me"), 200)
    assert read["token_scope"] == "read"
    by_session = expect(callers.session(world.citizen).get("/me"), 200)
    assert (by_session["email"], by_session["token_scope"]) == ("citizen@example.com", None)
    unverified = expect(callers.token(world.unverified).get("/me"), 200)
    assert unverified["email_verified"] is False


# --- offices ------------------------------------------------------------------------


@covers("office_list")
def test_office_list(callers, world, expect):
    for caller in (callers.anonymous, callers.token(world.citizen), callers.session(world.clerk)):
        body = expect(caller.get("/offices"), 200)
        assert [o["code"] for o in body] == ["3324", "3374"]


@covers("office_detail")
def test_office_detail(callers, world, expect):
    assert expect(callers.anonymous.get("/offices/3324"), 200)["code"] == "3324"
    assert expect(callers.token(world.clerk).get("/offices/3324"), 200)["counters"]
    expect(callers.anonymous.get("/offices/9999"), 404)


@covers("standard_detail")
def test_standard_detail(callers, world, expect):
    body = expect(callers.anonymous.get("/offices/3324/standards/library"), 200)
    assert body["service"] == "library"
    expect(callers.token(world.citizen).get("/offices/3324/standards/consultation"), 200)
    expect(callers.anonymous.get("/offices/3324/standards/photocopy"), 422)
    expect(callers.anonymous.get("/offices/9999/standards/library"), 404)


# --- publications -------------------------------------------------------------------


@covers("publication_list")
def test_publication_list(callers, world, expect):
    body = expect(callers.anonymous.get("/publications", params={"q": "kendal"}), 200)
    assert (body["count"], body["previous"], body["next"]) == (1, None, None)
    assert set(body["facets"]) == {"subject", "year", "office", "availability"}
    assert body["results"][0]["id"] == world.book.pk
    expect(callers.token(world.citizen).get("/publications", params={"year": 1998}), 200)
    expect(callers.anonymous.get("/publications", params={"year": "abc"}), 422)
    expect(callers.anonymous.get("/publications", params={"page": 0}), 422)


def test_publication_list_links_pages(callers, world, expect):
    for n in range(20):
        printed_book(world.office, f"Statistik Kendal {n}")
    anonymous = callers.anonymous

    first = expect(anonymous.get("/publications", params={"q": "kendal", "year": 1998}), 200)
    second = expect(anonymous.get(first["next"]), 200)

    assert (first["count"], len(first["results"]), first["previous"]) == (21, 20, None)
    assert first["next"].startswith("http://") and "page=2" in first["next"]
    assert "q=kendal" in first["next"] and "year=1998" in first["next"]
    assert (len(second["results"]), second["next"]) == (1, None)
    assert "page=1" in second["previous"]


@covers("publication_detail")
def test_publication_detail(callers, world, expect):
    body = expect(callers.anonymous.get(f"/publications/{world.book.pk}"), 200)
    assert body["hardcopy"]["call_number"] == "310 KEN 1998"
    expect(callers.session(world.citizen).get(f"/publications/{world.book.pk}"), 200)
    expect(callers.anonymous.get("/publications/999999"), 404)


@covers("publication_download")
def test_publication_download(callers, world, expect, tmp_path):
    path = f"/publications/{world.pdf_book.pk}/download"
    expect(callers.anonymous.get(path), 401)
    response = expect(callers.token(world.citizen).get(path), 200)
    assert response.headers["content-type"] == "application/pdf"
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(response.content)
    assert len(PdfReader(copy).pages) == 3
    # Reading is all a read-only token may do, and a download is a read.
    expect(callers.token(world.citizen, scope=TokenScope.READ).get(path), 200)
    expect(callers.session(world.citizen).get(path), 200)
    part = callers.token(world.citizen).get(path, headers={"Range": "bytes=0-99"})
    assert (expect(part, 206).headers["content-range"]).startswith("bytes 0-99/")
    unverified = expect(callers.token(world.unverified).get(path), 403)
    assert unverified["detail"].startswith("Konfirmasi alamat email Anda")
    expect(callers.token(world.citizen).get("/publications/999999/download"), 404)
    on_request = expect(
        callers.token(world.citizen).get(f"/publications/{world.book.pk}/download"), 404
    )
    assert on_request["code"] == "not_allowed"  # a refusal of the delivery rules


# --- complaints ---------------------------------------------------------------------


@covers("complaint_create")
def test_complaint_create(callers, world, expect):
    payload = {"description": "Buku yang saya cari tidak ada di rak.", "service": "library"}
    body = expect(callers.anonymous.post("/complaints", json=payload), 201)
    assert Complaint.objects.get(tracking_code=body["tracking_code"]).service == "library"
    # No authentication: a token or a session without CSRF changes nothing.
    expect(callers.token(world.citizen).post("/complaints", json=payload), 201)
    expect(callers.session(world.citizen, csrf=False).post("/complaints", json=payload), 201)
    expect(callers.anonymous.post("/complaints", json={"description": "pendek"}), 422)
    expect(
        callers.anonymous.post("/complaints", json={**payload, "contact_email": "bukan-email"}),
        422,
    )
    expect(callers.anonymous.post("/complaints", json={**payload, "office": "9999"}), 404)
    assert Complaint.objects.count() == 4  # the world's and the three accepted


@covers("complaint_detail")
def test_complaint_detail(callers, world, expect):
    code = world.complaint.tracking_code
    body = expect(callers.anonymous.get(f"/complaints/{code}"), 200)
    assert (body["tracking_code"], body["status"]) == (code, "received")
    expect(callers.token(world.clerk).get(f"/complaints/{code.lower()}"), 200)
    expect(callers.anonymous.get("/complaints/ABCD-EFGH-JK"), 404)


def test_complaint_limits_answer_429_with_retry_after(callers, world, expect, settings):
    settings.COMPLAINT_LOOKUPS_PER_MINUTE = 1
    anonymous = callers.anonymous
    expect(anonymous.get(f"/complaints/{world.complaint.tracking_code}"), 200)

    limited = anonymous.get(f"/complaints/{world.complaint.tracking_code}")

    assert expect(limited, 429)["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 61


# --- softcopy requests: the requester -----------------------------------------------


@covers("softcopy_create")
def test_softcopy_create(callers, world, expect):
    payload = {"publication_id": world.book.pk, "pages": "1-3", "purpose": "Skripsi"}
    expect(callers.anonymous.post("/softcopy-requests", json=payload), 401)
    by_token = expect(callers.token(world.citizen).post("/softcopy-requests", json=payload), 201)
    assert by_token["status"] == "received"
    expect(callers.session(world.citizen).post("/softcopy-requests", json=payload), 201)
    refused = expect(
        callers.session(world.citizen, csrf=False).post("/softcopy-requests", json=payload), 403
    )
    assert refused["code"] == "csrf_failed"
    read_only = expect(
        callers.token(world.citizen, scope=TokenScope.READ).post(
            "/softcopy-requests", json=payload
        ),
        403,
    )
    assert read_only["code"] == "read_only_token"
    expect(callers.token(world.unverified).post("/softcopy-requests", json=payload), 422)
    expect(
        callers.token(world.citizen).post(
            "/softcopy-requests", json={**payload, "publication_id": 999999}
        ),
        404,
    )
    expect(callers.token(world.citizen).post("/softcopy-requests", json={"pages": "1"}), 422)
    assert SoftcopyRequest.objects.filter(user=world.citizen).count() == 2


@covers("softcopy_list")
def test_softcopy_list(callers, world, expect):
    mine = world.softcopy_request()
    world.softcopy_request(user=world.clerk)
    expect(callers.anonymous.get("/softcopy-requests"), 401)
    body = expect(callers.token(world.citizen).get("/softcopy-requests"), 200)
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert [r["number"] for r in body["results"]] == [mine.number]
    by_session = expect(callers.session(world.citizen).get("/softcopy-requests"), 200)
    assert by_session["count"] == 1
    filtered = callers.token(world.citizen).get("/softcopy-requests", params={"status": "closed"})
    assert expect(filtered, 200)["count"] == 0
    expect(callers.token(world.citizen).get("/softcopy-requests", params={"status": "x"}), 422)


@covers("softcopy_detail")
def test_softcopy_detail(callers, world, expect):
    mine = world.softcopy_request()
    path = f"/softcopy-requests/{mine.number}"
    expect(callers.anonymous.get(path), 401)
    assert expect(callers.token(world.citizen).get(path), 200)["number"] == mine.number
    expect(callers.session(world.citizen).get(path), 200)
    expect(callers.token(world.clerk).get(path), 404)  # officers use the office path


@covers("softcopy_cancel")
def test_softcopy_cancel(callers, world, expect):
    path = f"/softcopy-requests/{world.softcopy_request().number}/cancel"
    expect(callers.anonymous.post(path), 401)
    expect(callers.token(world.clerk).post(path), 404)  # someone else's request
    expect(callers.token(world.citizen, scope=TokenScope.READ).post(path), 403)
    expect(callers.session(world.citizen, csrf=False).post(path), 403)
    assert expect(callers.token(world.citizen).post(path), 200)["status"] == "cancelled"
    expect(callers.token(world.citizen).post(path), 409)
    by_session = f"/softcopy-requests/{world.softcopy_request().number}/cancel"
    assert expect(callers.session(world.citizen).post(by_session), 200)["status"] == "cancelled"


@covers("softcopy_download")
def test_softcopy_download(callers, world, expect, tmp_path):
    world.pdf_book.access_level = "on_request"
    world.pdf_book.save(update_fields=["access_level"])
    created = world.softcopy_request(publication=world.pdf_book)
    path = f"/softcopy-requests/{created.number}/download"
    expect(callers.anonymous.get(path), 401)
    expect(callers.token(world.citizen).get(path), 409)  # nothing sent yet
    expect(callers.token(world.clerk).post(f"/softcopy-requests/{created.number}/start"), 200)
    sent = callers.token(world.clerk).post(
        f"/softcopy-requests/{created.number}/deliver",
        data={"source": "pages", "page_range": "2-3"},
    )
    expect(sent, 200)
    expect(callers.token(world.clerk).get(path), 404)  # not the officer's own request
    listed = expect(callers.token(world.citizen).get(f"/softcopy-requests/{created.number}"), 200)
    assert listed["download_url"] == f"{callers.base_url}/api/v1{path}"

    copy = expect(callers.token(world.citizen, scope=TokenScope.READ).get(path), 200)

    (tmp_path / "copy.pdf").write_bytes(copy.content)
    assert len(PdfReader(tmp_path / "copy.pdf").pages) == 2
    assert SoftcopyRequest.objects.get(pk=created.pk).status == Status.CLOSED
    expect(callers.session(world.citizen).get(path), 200)  # closed requests stay downloadable


# --- softcopy requests: the officers ------------------------------------------------


@covers("softcopy_queue")
def test_softcopy_queue(callers, world, expect):
    created = world.softcopy_request()
    expect(callers.anonymous.get("/softcopy-requests/office/3324"), 401)
    expect(callers.token(world.citizen).get("/softcopy-requests/office/3324"), 403)
    expect(callers.token(world.outsider).get("/softcopy-requests/office/3324"), 403)
    body = expect(callers.token(world.clerk).get("/softcopy-requests/office/3324"), 200)
    assert (body["count"], [r["number"] for r in body["results"]]) == (1, [created.number])
    read = callers.token(world.clerk, scope=TokenScope.READ)
    assert expect(read.get("/softcopy-requests/office/3324"), 200)["count"] == 1
    expect(callers.session(world.supervisor).get("/softcopy-requests/office/3324"), 200)
    expect(callers.token(world.clerk).get("/softcopy-requests/office/9999"), 404)


@covers("softcopy_office_detail")
def test_softcopy_office_detail(callers, world, expect):
    created = world.softcopy_request()
    path = f"/softcopy-requests/office/3324/{created.number}"
    expect(callers.anonymous.get(path), 401)
    expect(callers.token(world.citizen).get(path), 403)
    expect(callers.token(world.outsider).get(path), 403)
    assert expect(callers.token(world.clerk).get(path), 200)["number"] == created.number
    expect(callers.session(world.clerk).get(path), 200)
    expect(callers.token(world.clerk).get("/softcopy-requests/office/3324/SC-0000-9999"), 404)


def _refusals(callers, world, expect, path, **kwargs):
    """What every officer transition refuses: no credentials, the requester, an officer of
    another office, a read-only token and a session without the CSRF header."""
    expect(callers.anonymous.post(path, **kwargs), 401)
    expect(callers.token(world.citizen).post(path, **kwargs), 403)
    expect(callers.token(world.outsider).post(path, **kwargs), 403)
    expect(callers.token(world.clerk, scope=TokenScope.READ).post(path, **kwargs), 403)
    expect(callers.session(world.clerk, csrf=False).post(path, **kwargs), 403)


@covers("softcopy_start")
def test_softcopy_start(callers, world, expect):
    created = world.softcopy_request()
    path = f"/softcopy-requests/{created.number}/start"
    _refusals(callers, world, expect, path)
    assert expect(callers.token(world.clerk).post(path), 200)["status"] == "in_progress"
    expect(callers.token(world.clerk).post(path), 409)
    again = f"/softcopy-requests/{world.softcopy_request().number}/start"
    assert expect(callers.session(world.clerk).post(again), 200)["status"] == "in_progress"
    expect(callers.token(world.clerk).post("/softcopy-requests/SC-0000-9999/start"), 404)


@covers("softcopy_assign")
def test_softcopy_assign(callers, world, expect):
    created = world.softcopy_request()
    path = f"/softcopy-requests/{created.number}/assign"
    payload = {"officer_email": world.supervisor.email}
    _refusals(callers, world, expect, path, json=payload)
    body = expect(callers.token(world.clerk).post(path, json=payload), 200)
    assert body["history"][-1]["action"] == "assigned"
    expect(
        callers.session(world.clerk).post(path, json={"officer_email": "clerk@example.com"}), 200
    )
    expect(callers.token(world.clerk).post(path, json={"officer_email": "nobody@example.com"}), 422)
    expect(callers.token(world.clerk).post(path, json={"officer_email": world.citizen.email}), 409)
    expect(callers.token(world.clerk).post(path, json={}), 422)


@covers("softcopy_reject")
def test_softcopy_reject(callers, world, expect):
    created = world.softcopy_request()
    path = f"/softcopy-requests/{created.number}/reject"
    payload = {"reason": "Buku sedang dijilid ulang."}
    _refusals(callers, world, expect, path, json=payload)
    expect(callers.token(world.clerk).post(path, json={"reason": ""}), 422)
    assert expect(callers.token(world.clerk).post(path, json=payload), 200)["status"] == "rejected"
    expect(callers.token(world.clerk).post(path, json=payload), 409)
    again = f"/softcopy-requests/{world.softcopy_request().number}/reject"
    expect(callers.session(world.clerk).post(again, json=payload), 200)


@covers("softcopy_deliver")
def test_softcopy_deliver(callers, world, expect):
    world.pdf_book.access_level = "on_request"
    world.pdf_book.save(update_fields=["access_level"])
    created = world.softcopy_request(publication=world.pdf_book)
    path = f"/softcopy-requests/{created.number}/deliver"
    form = {"data": {"source": "whole"}}
    _refusals(callers, world, expect, path, **form)
    no_boundary = callers.token(world.clerk).post(
        path, content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"}
    )
    assert expect(no_boundary, 400)["code"] == "malformed_body"
    expect(callers.token(world.clerk).post(path, data={"source": "fax"}), 422)
    body = expect(callers.token(world.clerk).post(path, **form), 200)
    assert body["status"] == Status.DELIVERED
    expect(callers.token(world.clerk).post(path, **form), 409)
    again = world.softcopy_request(publication=world.pdf_book)
    upload = expect(
        callers.session(world.clerk).post(
            f"/softcopy-requests/{again.number}/deliver",
            data={"source": "pages", "page_range": "1-2"},
        ),
        200,
    )
    assert upload["status"] == Status.DELIVERED


# --- visits -------------------------------------------------------------------------


@covers("ticket_create")
def test_ticket_create(callers, world, expect):
    path = "/offices/3324/tickets"
    payload = {"service": "library"}
    _refusals(callers, world, expect, path, json=payload)
    body = expect(callers.token(world.clerk).post(path, json=payload), 201)
    assert body["number"] == "A-002"  # the world's ticket is A-001
    expect(callers.session(world.supervisor).post(path, json=payload), 201)
    expect(callers.device(world.kiosk_key).post(path, json=payload), 201)
    expect(callers.device(world.kiosk_key).post("/offices/3374/tickets", json=payload), 403)
    expect(callers.device("dev_not-a-key").post(path, json=payload), 401)
    expect(callers.token(world.clerk).post(path, json={"service": "photocopy"}), 400)
    expect(callers.token(world.clerk).post("/offices/9999/tickets", json=payload), 404)
    expect(callers.token(world.clerk).post(path, json={}), 422)
    assert QueueTicket.objects.count() == 4


@covers("ticket_detail")
def test_ticket_detail(callers, world, expect):
    body = expect(callers.anonymous.get(f"/tickets/{world.ticket.pk}"), 200)
    assert (body["number"], body["status"]) == ("A-001", "waiting")
    expect(callers.token(world.citizen).get(f"/tickets/{world.ticket.pk}"), 200)
    expect(callers.anonymous.get("/tickets/999999"), 404)
    expect(callers.anonymous.get("/tickets/abc"), 422)


@covers("board")
def test_board(callers, world, expect):
    body = expect(callers.anonymous.get("/offices/3324/board"), 200)
    assert {"service": "library", "count": 1} in body["waiting"]
    expect(callers.session(world.clerk).get("/offices/3324/board"), 200)
    expect(callers.anonymous.get("/offices/9999/board"), 404)


# --- feedback -----------------------------------------------------------------------


@covers("ikm")
def test_ikm(callers, world, expect):
    path = "/offices/3324/ikm"
    expect(callers.anonymous.get(path), 401)
    for refused in (world.citizen, world.clerk, world.outsider):
        expect(callers.token(refused).get(path), 403)
    body = expect(callers.token(world.supervisor).get(path), 200)
    assert (body["office"], body["respondents"]) == ("3324", 0)
    expect(callers.session(world.supervisor).get(path, params={"period": "year"}), 200)
    expect(callers.token(world.supervisor).get(path, params={"period": "decade"}), 422)
    expect(callers.token(world.supervisor).get("/offices/9999/ikm"), 404)


# --- the registry -------------------------------------------------------------------


def test_every_operation_in_the_schema_has_a_live_test(callers, db):
    schema = callers.anonymous.get("/openapi.json").json()
    operations = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }

    assert operations - COVERED == set(), "operations without a live test"
    assert COVERED - operations == set(), "live tests of operations that no longer exist"
