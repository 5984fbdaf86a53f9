"""The fixed cast of the tests (STYLE.md 23): anonymous, citizen, clerk, supervisor, admin.

``citizen`` is a verified visitor, ``unverified`` has not confirmed the e-mail,
``clerk`` is an officer and ``supervisor`` a supervisor of office 3324 (Kendal),
``outsider_officer`` an officer of another office.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.choices import Role
from offices.seed import load_office
from tests.factories import MembershipFactory, OfficeFactory, UserFactory


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The manifest storage of production needs collectstatic; tests use the plain one.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kendal(db):
    return load_office("3324")


@pytest.fixture
def other_office(db):
    return OfficeFactory(code="3374", name="BPS Kota Semarang")


@pytest.fixture
def citizen(db):
    return UserFactory(email="citizen@example.com", full_name="Citra Warga")


@pytest.fixture
def unverified(db):
    return UserFactory(email="new@example.com", full_name="Nina Baru", verified=False)


@pytest.fixture
def clerk(kendal):
    return MembershipFactory(
        office=kendal,
        role=Role.OFFICER,
        user__email="clerk@example.com",
        user__full_name="Kurniawan Petugas",
    ).user


@pytest.fixture
def supervisor(kendal):
    return MembershipFactory(
        office=kendal,
        role=Role.SUPERVISOR,
        user__email="boss@example.com",
        user__full_name="Siti Kepala",
    ).user


@pytest.fixture
def outsider_officer(other_office):
    return MembershipFactory(
        office=other_office, role=Role.SUPERVISOR, user__email="semarang@example.com"
    ).user


@pytest.fixture
def admin(db):
    return UserFactory(
        email="admin@example.com", is_staff=True, is_superuser=True, full_name="Admin"
    )


def _client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.fixture
def client_for():
    """``client_for(user)`` returns a test client logged in as that user (None: anonymous)."""
    return _client_for
