"""Withdrawing a consent on its own (UU 27/2022 art. 40), and giving an optional one again."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse

from accounts.models import ApiToken, Consent
from feedback import services as feedback_services
from history.models import AuditEvent
from tests.accounts.test_signup import VALID
from tests.factories import UserFactory


@pytest.fixture
def consents(citizen):
    given = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    return {
        purpose: Consent.objects.create(user=citizen, purpose=purpose, given_at=given)
        for purpose in ["account", "survey_email"]
    }


def _withdraw_url(consent):
    return reverse("privacy:consent-withdraw", args=[consent.pk])


def test_consent_page_lists_purpose_version_and_date(client_for, citizen, consents):
    response = client_for(citizen).get(reverse("privacy:consent-list"))

    assert [c.purpose for c in response.context["consents"]] == ["account", "survey_email"]
    body = response.content.decode()
    assert "Akun dan layanan perpustakaan online" in body
    assert "2026-11" in body and "2 Nov 2026" in body
    assert [purpose for purpose, _label in response.context["optional"]] == ["whatsapp_notices"]


def test_get_explains_and_changes_nothing(client_for, citizen, consents):
    response = client_for(citizen).get(_withdraw_url(consents["account"]))

    assert "tidak dapat lagi digunakan" in response.content.decode()
    consents["account"].refresh_from_db()
    assert consents["account"].withdrawn_at is None
    assert AuditEvent.objects.count() == 0


def test_withdrawing_survey_emails_stops_them_and_is_audited(
    client_for, citizen, consents, kendal, django_capture_on_commit_callbacks
):
    response = client_for(citizen).post(_withdraw_url(consents["survey_email"]))

    assert response["Location"] == reverse("privacy:consent-list")
    consents["survey_email"].refresh_from_db()
    assert consents["survey_email"].withdrawn_at is not None
    line = AuditEvent.objects.get()
    assert (line.actor, line.office, line.action, line.detail, line.ip_address) == (
        citizen,
        kendal,
        "consent",
        "withdrawn: survey_email",
        "127.0.0.1",
    )
    invitation = feedback_services.invite_download_session(
        citizen, kendal, datetime.date(2026, 11, 24)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_services.email_invitation(invitation) is False
    assert mail.outbox == []
    citizen.refresh_from_db()
    assert citizen.is_active is True  # the account itself is untouched


def test_withdrawing_the_account_consent_deactivates_and_signs_out_but_keeps_data(
    client_for, citizen, consents
):
    ApiToken.issue(citizen, name="skrip")
    client = client_for(citizen)
    other_device = client_for(citizen)

    response = client.post(_withdraw_url(consents["account"]))

    assert "Persetujuan ditarik" in response.content.decode()
    citizen.refresh_from_db()
    assert (citizen.is_active, citizen.email) == (False, "citizen@example.com")
    assert Consent.objects.active().filter(user=citizen).count() == 0  # survey e-mails too
    assert ApiToken.objects.filter(user=citizen).count() == 0
    assert Session.objects.count() == 0
    again = other_device.get(reverse("privacy:my-data"))
    assert again["Location"].startswith(reverse("account_login"))
    assert AuditEvent.objects.get(action="consent").detail == "withdrawn: account"
    assert AuditEvent.objects.get(action="api_token", detail__startswith="revoked").detail == (
        "revoked: account deactivated (skrip)"
    )


def test_withdrawing_the_guest_book_consent_pseudonymises_the_entries(client_for, kendal, clerk):
    from tests.visits.conftest import GUEST
    from visits import services as visit_services

    visit = visit_services.fill_guest_book(kendal, officer=clerk, data=dict(GUEST))
    consent = Consent.objects.get(purpose="guest_book")

    client_for(visit.visitor).post(_withdraw_url(consent))

    entry = visit.guest_book
    entry.refresh_from_db()
    assert (entry.full_name, entry.email, entry.phone) == (
        f"Pengunjung {entry.pk}",
        f"visitor-{entry.pk}@pseudonym.invalid",
        "",
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_doubled_post_withdraws_once(client_for, citizen, consents):
    client = client_for(citizen)

    client.post(_withdraw_url(consents["survey_email"]))
    second = client.post(_withdraw_url(consents["survey_email"]), follow=True)

    assert [str(m) for m in second.context["messages"]] == [
        "Persetujuan ditarik: Undangan survei kepuasan melalui e-mail.",
        "Persetujuan ini sudah ditarik.",
    ]
    assert AuditEvent.objects.count() == 1


def test_anonymous_is_sent_to_login(client, consents):
    for response in (
        client.get(_withdraw_url(consents["account"])),
        client.post(_withdraw_url(consents["account"])),
        client.get(reverse("privacy:consent-list")),
    ):
        assert response["Location"].startswith(reverse("account_login"))
    consents["account"].refresh_from_db()
    assert consents["account"].withdrawn_at is None


def test_another_users_consent_is_404(client_for, consents):
    stranger = UserFactory(email="orang-lain@example.com")

    shown = client_for(stranger).get(_withdraw_url(consents["account"]))
    posted = client_for(stranger).post(_withdraw_url(consents["account"]))

    assert (shown.status_code, posted.status_code) == (404, 404)
    consents["account"].refresh_from_db()
    assert consents["account"].withdrawn_at is None


def test_survey_emails_can_be_given_again_once(client_for, citizen, consents):
    client = client_for(citizen)
    client.post(_withdraw_url(consents["survey_email"]))
    url = reverse("privacy:consent-give", args=["survey_email"])

    page = client.get(reverse("privacy:consent-list"))
    client.post(url)
    client.post(url)

    assert [purpose for purpose, _label in page.context["optional"]] == [
        "survey_email",
        "whatsapp_notices",
    ]
    assert Consent.objects.active().filter(user=citizen, purpose="survey_email").count() == 1
    assert list(AuditEvent.objects.order_by("pk").values_list("detail", flat=True)) == [
        "withdrawn: survey_email",
        "given: survey_email",
    ]
    assert client.get(url).status_code == 405


def test_only_optional_consents_are_given_from_the_page(client_for, citizen):
    response = client_for(citizen).post(reverse("privacy:consent-give", args=["account"]))

    assert response.status_code == 404
    assert Consent.objects.filter(user=citizen).count() == 0


def test_signup_asks_for_survey_emails_separately(client, kendal):
    client.post(reverse("account_signup"), {**VALID, "survey_email": "on"})

    purposes = Consent.objects.filter(user__email="peneliti@example.com").values_list(
        "purpose", flat=True
    )
    assert sorted(purposes) == ["account", "survey_email"]


def test_withdrawing_twice_in_the_service_changes_nothing_the_second_time(citizen, consents):
    from privacy import services

    first = services.withdraw_consent(citizen, "survey_email")
    second = services.withdraw_consent(citizen, "survey_email")

    assert (first, second) == (1, 0)
    assert AuditEvent.objects.count() == 1
    line = AuditEvent.objects.get()
    assert (line.actor, line.ip_address) == (citizen, None)  # no request: no address


def test_existing_accounts_keep_survey_emails_through_the_data_migration(citizen):
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    name = "0003_survey_email_consent_for_existing_accounts"
    migration = importlib.import_module(f"privacy.migrations.{name}")
    # The models as they were then (Consent has since moved to accounts; same table).
    apps = MigrationLoader(connection).project_state(("privacy", name)).apps
    account = Consent.objects.create(user=citizen, purpose="account", notice_version="2026-10")
    withdrawn = UserFactory(email="pergi@example.com")
    Consent.objects.create(user=withdrawn, purpose="account", withdrawn_at=account.given_at)

    migration.forward(apps, None)
    migration.forward(apps, None)  # a second run adds nothing

    survey = Consent.objects.get(purpose="survey_email")
    assert (survey.user, survey.notice_version, survey.given_at) == (
        citizen,
        "2026-10",
        account.given_at,
    )
