"""API tokens: the "Token API" page, scopes, revocation on password change, reset,
deactivation and removal from an office, limits on POST /api/v1/auth/token, audit lines."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role, TokenScope
from accounts.models import ApiToken, Membership
from history.models import AuditEvent
from tests.factories import PASSWORD, MembershipFactory

TOKENS = reverse("accounts:tokens")


def _bearer(raw):
    return {"Authorization": f"Bearer {raw}"}


def _token_post(client, email, password=PASSWORD, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password, **extra},
        content_type="application/json",
    )


# --- the page -----------------------------------------------------------------------


def test_page_creates_a_token_and_shows_it_once(client_for, citizen):
    client = client_for(citizen)

    response = client.post(TOKENS, {"name": "Laporan bulanan", "scope": "read", "days": "30"})

    token = ApiToken.objects.get(user=citizen)
    raw = re.search(r'value="(pst_[^"]+)"', response.content.decode()).group(1)
    assert ApiToken.find(raw) == token
    assert (token.name, token.scope) == ("Laporan bulanan", TokenScope.READ)
    assert token.expires_at.date() == (timezone.now() + datetime.timedelta(days=30)).date()
    assert "no-store" in response["Cache-Control"]
    again = client.get(TOKENS).content.decode()
    assert raw not in again and "Laporan bulanan" in again
    line = AuditEvent.objects.get(action="api_token")
    assert (line.actor, line.office, line.target) == (
        citizen,
        None,
        f"accounts.ApiToken {token.pk}",
    )
    assert line.detail.startswith("created: scope read, expires ")


def test_page_defaults_and_limits(client_for, citizen, settings):
    settings.API_TOKEN_MAX_DAYS = 120
    settings.API_TOKEN_DAYS = 90
    client = client_for(citizen)

    page = client.get(TOKENS).content.decode()
    too_long = client.post(TOKENS, {"name": "x", "scope": "full", "days": "121"})
    nameless = client.post(TOKENS, {"name": "   ", "scope": "full", "days": "10"})

    assert 'name="days" value="90"' in page and 'max="120"' in page
    assert 'value="read"' in page and "checked" in page.split('value="read"')[1][:40]
    assert "120" in too_long.content.decode() and too_long.status_code == 200
    assert nameless.context["form"].errors["name"] == ["Bidang ini tidak boleh kosong."]
    assert ApiToken.objects.count() == 0


def test_page_for_an_unverified_account_offers_no_token(client_for, unverified):
    client = client_for(unverified)

    page = client.get(TOKENS).content.decode()
    client.post(TOKENS, {"name": "x", "scope": "full", "days": "10"})

    assert "Konfirmasi alamat email Anda sebelum membuat token API." in page
    assert 'name="days"' not in page
    assert ApiToken.objects.count() == 0


def test_page_needs_a_login(client):
    response = client.get(TOKENS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_page_lists_only_own_tokens_with_last_use(client, client_for, citizen, clerk):
    mine, raw = ApiToken.issue(citizen, name="skrip saya")
    ApiToken.issue(clerk, name="milik petugas")
    client.get("/api/v1/me", headers=_bearer(raw), REMOTE_ADDR="203.0.113.7")

    page = client_for(citizen).get(TOKENS).content.decode()

    mine.refresh_from_db()
    assert mine.last_used_ip == "203.0.113.7" and mine.last_used_at is not None
    assert "skrip saya" in page and "203.0.113.7" in page
    assert "milik petugas" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_page_query_count_does_not_grow_with_tokens(
    client_for, citizen, count, django_assert_num_queries
):
    for n in range(count):
        ApiToken.issue(citizen, name=f"t{n}")
    client = client_for(citizen)
    client.get(TOKENS)  # warm the session

    with django_assert_num_queries(7):
        response = client.get(TOKENS)

    assert response.content.decode().count("<tr>") == count + 1


def test_revoke_one_asks_first_then_revokes(client_for, citizen):
    token, raw = ApiToken.issue(citizen, name="kios")
    other, other_raw = ApiToken.issue(citizen, name="laporan")
    client = client_for(citizen)
    url = reverse("accounts:token-revoke", args=[token.pk])

    confirm = client.get(url)
    token.refresh_from_db()
    assert token.revoked_at is None and "kios" in confirm.content.decode()

    response = client.post(url, follow=True)

    assert ApiToken.find(raw) is None and ApiToken.find(other_raw) == other
    assert "Token “kios” telah dicabut." in response.content.decode()
    line = AuditEvent.objects.filter(action="api_token").order_by("at").last()
    assert (line.actor, line.detail) == (citizen, "revoked: revoked by owner (kios)")


def test_nobody_revokes_another_persons_token(client_for, citizen, clerk):
    token, raw = ApiToken.issue(clerk, name="petugas")

    response = client_for(citizen).post(reverse("accounts:token-revoke", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.find(raw) == token


def test_revoke_all(client_for, citizen):
    raws = [ApiToken.issue(citizen, name=f"t{n}")[1] for n in range(3)]
    client = client_for(citizen)
    url = reverse("accounts:tokens-revoke-all")

    assert "3 token aktif" in client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert [ApiToken.find(raw) for raw in raws] == [None, None, None]
    assert "3 token telah dicabut." in response.content.decode()


def test_revoke_pages_refuse_other_methods(client_for, citizen):
    token, _raw = ApiToken.issue(citizen, name="x")
    client = client_for(citizen)

    assert client.put(reverse("accounts:token-revoke", args=[token.pk])).status_code == 405
    assert client.delete(reverse("accounts:tokens-revoke-all")).status_code == 405


# --- revocation by other events -----------------------------------------------------


def test_password_change_revokes_every_token(client_for, citizen):
    _token, raw = ApiToken.issue(citizen, name="skrip")
    client = client_for(citizen)

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "baru-dan-panjang-2026",
            "password2": "baru-dan-panjang-2026",
        },
    )

    assert ApiToken.find(raw) is None
    assert AuditEvent.objects.filter(detail="revoked: password changed (skrip)").count() == 1


def test_password_reset_revokes_every_token(client, citizen, django_capture_on_commit_callbacks):
    _token, raw = ApiToken.issue(citizen, name="skrip")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "citizen@example.com"})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    action = form_page.redirect_chain[-1][0]

    client.post(action, {"password1": "reset-baru-2026-x", "password2": "reset-baru-2026-x"})

    citizen.refresh_from_db()
    assert citizen.check_password("reset-baru-2026-x")
    assert ApiToken.find(raw) is None


def test_a_password_hash_upgrade_at_login_keeps_tokens(citizen, settings):
    _token, raw = ApiToken.issue(citizen, name="skrip")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    assert citizen.check_password(PASSWORD)  # rehashed and saved with the new hasher

    citizen.refresh_from_db()
    assert citizen.password.startswith("pbkdf2_sha1$")
    assert ApiToken.find(raw) is not None


def test_deactivation_revokes_every_token(citizen):
    _token, raw = ApiToken.issue(citizen, name="skrip")

    citizen.is_active = False
    citizen.save(update_fields=["is_active"])

    assert ApiToken.objects.get().revoked_at is not None
    assert ApiToken.find(raw) is None


def test_removal_from_an_office_revokes_tokens_and_the_office_at_once(client, clerk, kendal):
    _token, raw = ApiToken.issue(clerk, name="loket")
    assert (
        client.get("/api/v1/softcopy-requests/office/3324", headers=_bearer(raw)).status_code == 200
    )

    Membership.objects.filter(user=clerk, office=kendal).delete()

    assert (
        client.get("/api/v1/softcopy-requests/office/3324", headers=_bearer(raw)).status_code == 401
    )
    assert AuditEvent.objects.filter(detail="revoked: removed from office 3324 (loket)").exists()


def test_roles_are_read_at_each_request(client, clerk, kendal):
    """A token carries no role: a changed membership counts at the next request."""
    _token, raw = ApiToken.issue(clerk, name="loket")
    ikm = "/api/v1/offices/3324/ikm"
    assert client.get(ikm, headers=_bearer(raw)).status_code == 403

    Membership.objects.filter(user=clerk).update(role=Role.SUPERVISOR)

    assert client.get(ikm, headers=_bearer(raw)).status_code == 200


def test_deleting_an_account_deletes_its_tokens_without_audit_lines(kendal):
    member = MembershipFactory(office=kendal, role=Role.OFFICER).user
    ApiToken.objects.create(
        user=member, name="x", digest="0" * 64, expires_at=timezone.now() + datetime.timedelta(1)
    )

    member.delete()

    assert ApiToken.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_token_audit_line_per_office_of_an_officer(kendal, other_office, clerk):
    MembershipFactory(user=clerk, office=other_office, role=Role.OFFICER)

    token, _raw = ApiToken.issue(clerk, name="dua kantor")

    offices = sorted(
        AuditEvent.objects.filter(action="api_token").values_list("office_id", flat=True)
    )
    assert offices == sorted([kendal.pk, other_office.pk])


# --- the token itself ---------------------------------------------------------------


def test_expired_token_is_refused(client, citizen):
    _token, raw = ApiToken.issue(citizen, name="singkat", days=1)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        response = client.get("/api/v1/me", headers=_bearer(raw))

    assert response.status_code == 401


def test_lifetime_is_capped_at_the_maximum(citizen, settings):
    settings.API_TOKEN_MAX_DAYS = 30

    token, _raw = ApiToken.issue(citizen, name="lama", days=400)

    now = timezone.now()
    assert now + datetime.timedelta(days=29) < token.expires_at <= now + datetime.timedelta(days=30)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_read_only_token_is_refused_on_unsafe_methods(client, clerk, method):
    _token, raw = ApiToken.issue(clerk, name="baca", scope=TokenScope.READ)

    response = getattr(client, method)(
        "/api/v1/offices/3324/tickets",
        {"service": "library"},
        content_type="application/json",
        headers=_bearer(raw),
    )

    assert response.status_code in (403, 405)
    if response.status_code == 403:
        assert response.json()["code"] == "read_only_token"
        assert "hanya-baca" in response.json()["detail"]


def test_last_use_is_written_at_most_once_a_minute_from_one_address(client, citizen):
    token, raw = ApiToken.issue(citizen, name="x")
    client.get("/api/v1/me", headers=_bearer(raw))
    token.refresh_from_db()
    first = token.last_used_at

    client.get("/api/v1/me", headers=_bearer(raw))
    token.refresh_from_db()
    assert token.last_used_at == first

    client.get("/api/v1/me", headers=_bearer(raw), REMOTE_ADDR="198.51.100.1")
    token.refresh_from_db()
    assert token.last_used_ip == "198.51.100.1"


def test_token_answers_in_its_owners_language(client, citizen):
    citizen.preferred_language = "en"
    citizen.save(update_fields=["preferred_language"])
    _token, raw = ApiToken.issue(citizen, name="x", scope=TokenScope.READ)

    response = client.post(
        "/api/v1/softcopy-requests", {}, content_type="application/json", headers=_bearer(raw)
    )

    assert response.json()["detail"] == (
        "This API token is read-only: use a token with full access to make changes."
    )


# --- POST /auth/token ---------------------------------------------------------------


def test_token_endpoint_refuses_unverified_accounts(client, unverified):
    response = _token_post(client, "new@example.com")

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Konfirmasi alamat email Anda sebelum membuat token API.",
        "code": "email_not_verified",
    }
    assert ApiToken.objects.count() == 0


def test_token_endpoint_takes_scope_and_days(client, citizen):
    response = _token_post(client, "citizen@example.com", scope="read", days=7, name="laporan")

    token = ApiToken.objects.get()
    assert response.json()["scope"] == "read"
    assert (token.scope, token.name) == (TokenScope.READ, "laporan")
    assert (token.expires_at - timezone.now()).days == 6
    assert AuditEvent.objects.get(action="api_token").detail.endswith("(laporan)")


def test_token_endpoint_limits_attempts_per_address(client, citizen, settings):
    settings.API_TOKEN_ATTEMPTS_PER_ADDRESS = 2

    answers = [_token_post(client, "citizen@example.com") for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[2].json()["code"] == "rate_limited"
    assert 0 < int(answers[2]["Retry-After"]) <= 900
    assert ApiToken.objects.count() == 2


def test_token_endpoint_limits_attempts_per_account_from_any_address(client, citizen, settings):
    settings.API_TOKEN_ATTEMPTS_PER_ACCOUNT = 2

    answers = [
        client.post(
            "/api/v1/auth/token",
            {"email": "citizen@example.com", "password": "salah"},
            content_type="application/json",
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        for n in range(3)
    ]
    other = _token_post(client, "clerk@example.com", password="salah")

    assert [a.status_code for a in answers] == [401, 401, 429]
    assert other.status_code == 401  # another account is not limited


def test_token_endpoint_answers_a_lockout_with_429(client, citizen, settings):
    settings.AXES_FAILURE_LIMIT = 2

    for _ in range(2):
        _token_post(client, "citizen@example.com", password="salah")
    locked = _token_post(client, "citizen@example.com")

    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"
    assert locked["Retry-After"] == "900"
    assert ApiToken.objects.count() == 0
