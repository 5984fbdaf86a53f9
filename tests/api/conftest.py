"""A live server, real HTTP clients and a small world to drive the API as scripts do.

``callers`` hands out httpx clients on ``live_server``: anonymous, with a bearer token
(full or read-only), with a login session made through allauth's real login form (with or
without the CSRF header on unsafe methods), and with a kiosk's device key. ``world`` is
office 3324 with its people (verified visitor, unverified visitor, officer, supervisor, an
officer of another office), a printed-only book, a downloadable PDF (made on demand), a
complaint and a ticket.
"""

import re
from dataclasses import dataclass

import httpx
import pytest
from django.conf import settings as django_settings

from accounts.choices import TokenScope
from accounts.models import ApiToken
from catalog.choices import AccessLevel, Visibility
from catalog.models import Publication
from catalog.services import save_publication
from complaints import services as complaint_services
from complaints.choices import Channel
from config.api import api
from softcopies import services as softcopy_services
from tests.catalog.conftest import pdf_upload
from tests.factories import PASSWORD, UserFactory
from visits import services as visit_services
from visits.choices import DeviceKind
from visits.models import Device

API = "/api/v1"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def plain_http(settings):
    # The live server speaks plain HTTP: Secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    return settings


class Caller:
    """An httpx client on /api/v1 that sends what one kind of client sends."""

    def __init__(self, base_url, *, headers=None, csrf=False, label=""):
        self.client = httpx.Client(base_url=base_url, timeout=30, headers=headers or {})
        self.csrf = csrf
        self.label = label

    def request(self, method, path, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if self.csrf and method.upper() not in ("GET", "HEAD", "OPTIONS"):
            headers["X-CSRFToken"] = self.client.cookies[django_settings.CSRF_COOKIE_NAME]
        url = path if path.startswith("http") else API + path
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def close(self):
        self.client.close()


class Callers:
    def __init__(self, base_url):
        self.base_url = base_url
        self._open = []

    def _make(self, **kwargs):
        caller = Caller(self.base_url, **kwargs)
        self._open.append(caller)
        return caller

    @property
    def anonymous(self):
        return self._make(label="anonymous")

    def token(self, user, *, scope=TokenScope.FULL):
        _token, raw = ApiToken.issue(user, name="live-test", scope=scope)
        return self.raw_token(raw, label=f"{scope} token of {user.email}")

    def raw_token(self, raw, *, label="token"):
        return self._make(headers={"Authorization": f"Bearer {raw}"}, label=label)

    def device(self, raw_key):
        return self._make(headers={"Authorization": f"Bearer {raw_key}"}, label="device")

    def session(self, user, *, csrf=True):
        """Signed in through allauth's login form, as a browser is; sends X-CSRFToken if ``csrf``."""
        caller = self._make(csrf=csrf, label=f"session of {user.email} (csrf={csrf})")
        page = caller.client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = caller.client.post(
            "/accounts/login/",
            data={"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert answer.status_code == 302, answer.text[:500]
        assert django_settings.SESSION_COOKIE_NAME in caller.client.cookies
        return caller

    def close(self):
        for caller in self._open:
            caller.close()


@pytest.fixture
def callers(live_server, plain_http):
    factory = Callers(live_server.url)
    yield factory
    factory.close()


@dataclass
class World:
    office: object
    other_office: object
    citizen: object
    unverified: object
    clerk: object
    supervisor: object
    outsider: object
    book: object
    complaint: object
    ticket: object
    kiosk: object
    kiosk_key: str
    _pdf_book: object = None

    @property
    def pdf_book(self):
        """A published, downloadable publication with a real PDF (made the first time)."""
        if self._pdf_book is None:
            publication = Publication(
                office=self.office,
                title="Kecamatan Weleri Dalam Angka 2024",
                year=2024,
                visibility=Visibility.PUBLISHED,
                access_level=AccessLevel.DOWNLOADABLE,
            )
            pages = [f"Halaman {n}. Jumlah penduduk Kecamatan Weleri." for n in range(1, 4)]
            save_publication(publication, by=None, pdf=pdf_upload(pages, title=publication.title))
            publication.refresh_from_db()
            self._pdf_book = publication
        return self._pdf_book

    def softcopy_request(self, *, user=None, publication=None):
        """A new request (status received) of the citizen's, for the printed-only book."""
        return softcopy_services.create_request(
            office=self.office,
            user=user or self.citizen,
            publication=publication or self.book,
            description="",
            pages="1-2",
            purpose="Skripsi",
        )


def printed_book(office, title):
    """A published, printed-only book (indexed for search like any saved publication)."""
    book = Publication(
        office=office,
        title=title,
        year=1998,
        visibility=Visibility.PUBLISHED,
        access_level=AccessLevel.ON_REQUEST,
        hardcopy_copies=1,
        hardcopy_call_number="310 KEN 1998",
    )
    save_publication(book, by=None)
    return book


@pytest.fixture
def world(kendal, other_office, citizen, unverified, clerk, supervisor, outsider_officer):
    book = printed_book(kendal, "Kabupaten Kendal Dalam Angka 1998")
    complaint = complaint_services.submit_complaint(
        office=kendal,
        channel=Channel.WEB,
        description="Antrean di loket perpustakaan terlalu lama.",
    )
    ticket = visit_services.issue_ticket(kendal, "library", officer=clerk)
    kiosk, kiosk_key = Device.register(kendal, kind=DeviceKind.KIOSK, name="Kiosk", by=supervisor)
    return World(
        office=kendal,
        other_office=other_office,
        citizen=citizen,
        unverified=unverified,
        clerk=clerk,
        supervisor=supervisor,
        outsider=outsider_officer,
        book=book,
        complaint=complaint,
        ticket=ticket,
        kiosk=kiosk,
        kiosk_key=kiosk_key,
    )


@pytest.fixture(scope="session")
def openapi():
    """The schema the app serves (the live tests also fetch it from the live server)."""
    return api.get_openapi_schema(path_prefix=API)


def another_user(email):
    return UserFactory(email=email)
