import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from core.middleware import RequestContextFilter


def test_home_shows_the_office_hours_and_services(client, kendal, django_assert_num_queries):
    with django_assert_num_queries(6):  # office (the footer reuses it), hours, standards, queue (3)
        response = client.get("/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Perpustakaan statistik BPS Kabupaten Kendal" in body
    assert "Jam layanan" in body
    assert "08.00–15.30" in body
    assert "Perpustakaan" in body and "Konsultasi statistik" in body
    assert "Daftar" in body


def test_contact_page_lists_every_channel_of_the_seed(client, kendal):
    body = client.get(reverse("offices:contact")).content.decode()

    for expected in [
        "Kotak saran dan pengaduan",
        "https://s.bps.go.id/pengaduanbpskendal",
        "bps3324@bps.go.id",
        "0896 3324 3324",
        "https://s.bps.go.id/3324OnlineServices",
        "@bpskendal",
        "www.lapor.go.id",
        "(0294) 381461",
        "(0294) 383461",
    ]:
        assert expected in body


def test_english_is_available_through_the_language_switch(client, kendal):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    home = client.get("/")

    assert response.status_code == 302
    body = home.content.decode()
    assert '<html lang="en">' in body
    assert "Statistics library of BPS Kabupaten Kendal" in body
    assert "Service hours" in body


def test_unknown_page_gets_the_indonesian_404(client, kendal):
    response = client.get("/tidak-ada/")

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_server_error_page_is_indonesian(kendal):
    from django.test import Client

    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF="tests.core.error_urls"):
        response = client.get("/boom/")

    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "citizen"])
def test_back_office_home_refuses_non_staff(client_for, request, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).get(reverse("offices:office-home"))

    if user is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 403


def test_back_office_home_lists_the_officers_offices(client_for, clerk, kendal):
    response = client_for(clerk).get(reverse("offices:office-home"))

    assert response.status_code == 200
    assert [(office.code, role) for office, role in response.context["offices"]] == [
        ("3324", "Petugas")
    ]


def test_log_lines_carry_the_user_and_office(client_for, clerk, kendal, caplog):
    caplog.handler.addFilter(RequestContextFilter())
    logger_name = "tests.log_probe"

    with override_settings(ROOT_URLCONF="tests.core.error_urls"):
        client_for(clerk).get("/office/3324/log/")

    record = next(r for r in caplog.records if r.name == logger_name)
    assert record.user == str(clerk.pk)
    assert record.office == "3324"
    assert logging.getLogger(logger_name)


def test_security_headers_are_set(client, kendal):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_indonesian_is_the_default_whatever_the_browser_asks(client, kendal):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})

    assert response.headers["Content-Language"] == "id"
    assert "Jam layanan" in response.content.decode()


def test_signed_in_user_gets_the_preferred_language(client_for, citizen, kendal):
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])

    response = client_for(citizen).get("/")

    assert response.headers["Content-Language"] == "en"
    assert "Service hours" in response.content.decode()
