import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User

VALID = {
    "email": "peneliti@example.com",
    "password1": "statistik-kendal-2026",
    "password2": "statistik-kendal-2026",
    "full_name": "Rina  Peneliti",
    "phone": "0812 3456 7890",
    "sex": "female",
    "age_group": "25_34",
    "education": "master",
    "occupation": "researcher",
    "institution_category": "research_education",
    "institution_name": "Universitas Diponegoro",
    "purpose": "research",
    "consent": "on",
}


@pytest.fixture
def signup_url():
    return reverse("account_signup")


def test_signup_creates_an_unverified_user_with_profile_and_mails_a_link(
    client, kendal, signup_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url, VALID)

    assert response.status_code == 302
    user = User.objects.get(email="peneliti@example.com")
    assert user.full_name == "Rina Peneliti"
    assert (user.education, user.occupation, user.purpose) == ("master", "researcher", "research")
    assert user.institution_name == "Universitas Diponegoro"
    assert user.has_verified_email is False
    assert user.check_password("statistik-kendal-2026")
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["peneliti@example.com"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_verification_link_confirms_the_address(
    client, kendal, signup_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_url, VALID)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body)[0]
    path = link.split("testserver", 1)[1]

    page = client.get(path)
    confirmed = client.post(path)

    assert page.status_code == 200
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="peneliti@example.com").verified is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": "bukan-email"}, "email", "alamat email yang valid"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "terlalu"),
        ({"password2": "lain-sekali-2026"}, "password2", "sama"),
        ({"full_name": ""}, "full_name", "tidak boleh kosong"),
        ({"education": ""}, "education", "tidak boleh kosong"),
        ({"purpose": "gossip"}, "purpose", "bukan salah satu"),
        ({"phone": "12ab"}, "phone", "8 sampai 15 angka"),
    ],
)
def test_signup_with_bad_input_shows_indonesian_errors_and_creates_nothing(
    client, kendal, signup_url, changes, field, message
):
    response = client.post(signup_url, {**VALID, **changes})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field]).lower()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_signup_with_an_existing_email_creates_no_second_account(
    client, citizen, signup_url, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup_url, {**VALID, "email": "Citizen@Example.com"})

    assert User.objects.filter(email__iexact="citizen@example.com").count() == 1
    if response.status_code == 200:
        assert "email" in response.context["form"].errors
    else:  # allauth may hide that the address exists and mail its owner instead
        assert response.status_code == 302
        assert mail.outbox[0].to == ["citizen@example.com"]


def test_signup_page_is_indonesian_and_lists_the_profile_fields(client, kendal, signup_url):
    response = client.get(signup_url)

    body = response.content.decode()
    assert '<html lang="id">' in body
    for label in ["Nama lengkap", "Pendidikan tertinggi", "Pekerjaan utama", "Kategori instansi"]:
        assert label in body
