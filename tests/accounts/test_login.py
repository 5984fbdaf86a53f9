import pytest
from django.urls import reverse

from tests.factories import PASSWORD


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_verified_user_logs_in(client, citizen):
    response = _login(client, "citizen@example.com", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert int(client.session["_auth_user_id"]) == citizen.pk


def test_unverified_user_is_asked_to_verify_first(client, unverified):
    response = _login(client, "new@example.com", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_wrong_password_gets_a_message(client, citizen):
    response = _login(client, "citizen@example.com", "wrong-password")

    assert response.status_code == 200
    assert "tidak tepat" in response.content.decode() or "salah" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_with_the_right_password(client, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "citizen@example.com", "wrong-password")

    response = _login(client, "citizen@example.com", PASSWORD)

    assert response.status_code == 429
    assert "Terlalu banyak" in response.content.decode()
    assert "_auth_user_id" not in client.session
