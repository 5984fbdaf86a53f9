import pytest
from django.urls import reverse

URL = "/account/profile/"


def test_profile_requires_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_profile_shows_verification_state(client_for, citizen, unverified):
    verified_page = client_for(citizen).get(URL).content.decode()
    unverified_page = client_for(unverified).get(URL).content.decode()

    assert "terverifikasi" in verified_page and "belum terverifikasi" not in verified_page
    assert "belum terverifikasi" in unverified_page


def test_profile_update_saves_fields_and_language(client_for, citizen):
    data = {
        "full_name": "Citra Warga Baru",
        "phone": "+62 812 1111 2222",
        "sex": "female",
        "age_group": "35_44",
        "education": "doctorate",
        "occupation": "civil_servant",
        "institution_category": "local_government",
        "institution_name": "Bappeda Kendal",
        "purpose": "government",
        "preferred_language": "en",
    }

    response = client_for(citizen).post(URL, data)

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Citra Warga Baru"
    assert citizen.education == "doctorate"
    assert citizen.preferred_language == "en"
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize("field", ["full_name", "sex", "education", "occupation", "purpose"])
def test_profile_update_missing_required_field_saves_nothing(client_for, citizen, field):
    data = {
        "full_name": "X Y",
        "sex": "male",
        "age_group": "25_34",
        "education": "master",
        "occupation": "student",
        "institution_category": "other",
        "purpose": "other",
        "preferred_language": "id",
        field: "",
    }

    response = client_for(citizen).post(URL, data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    citizen.refresh_from_db()
    assert citizen.full_name == "Citra Warga"
