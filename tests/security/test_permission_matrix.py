"""Every URL of the application against every role (issue: personal data protection, item 7).

``MATRIX`` names, for each URL pattern, the method, how to fill its arguments and who may
pass its permission layer. ``test_every_url_is_in_the_matrix`` walks the URL map, so a
new URL without an entry here fails the suite. Object-level rules (another user's copy,
request or complaint) are tested in each app's own tests.

Roles: anonymous, visitor (a verified online user), officer of office 3324, officer of
another office, supervisor of 3324, administrator.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode

from delivery.views.public import copy_url
from reports.models import ReportSettings
from tests.factories import PASSWORD, MembershipFactory, OfficeFactory, UserFactory

ROLES = ["anonymous", "visitor", "officer", "other_officer", "supervisor", "admin"]

ALL = set(ROLES)
SIGNED_IN = ALL - {"anonymous"}
STAFF = {"officer", "supervisor", "admin"}  # of office 3324 (and administrators)
SUPERVISORS = {"supervisor", "admin"}
ANY_STAFF = STAFF | {"other_officer"}  # any office's officer
OWNER = {"visitor"}  # the world's objects that belong to a user belong to the visitor

# Third-party or framework URLs, each tested where it is configured.
EXEMPT_PREFIXES = ("admin/", "accounts/", "i18n/", "static/")
# django-ninja's bare /api/v1/ answers 404 for everyone: it is no operation. The Meta webhook
# is called by Meta, not by a user: it is judged by its signature (tests/channels).
EXEMPT_NAMES = {"api:api-root", "channels:meta-webhook"}


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern)


def url_map():
    return {
        name: route
        for name, route in _walk(get_resolver().url_patterns)
        if not route.lstrip("^").startswith(EXEMPT_PREFIXES) and name not in EXEMPT_NAMES
    }


# name: (method, allowed roles, arguments). Arguments may name objects of the ``world``.
MATRIX = {
    "healthz": ("GET", ALL, {}),
    # Prometheus metrics: only with the METRICS_TOKEN bearer token (tests/ops), never a user.
    "ops:metrics": ("GET", set(), {}),
    "offices:home": ("GET", ALL, {}),
    "offices:contact": ("GET", ALL, {}),
    "offices:office-home": ("GET", ANY_STAFF, {}),
    "accounts:profile": ("GET", SIGNED_IN, {}),
    "accounts:tokens": ("GET", SIGNED_IN, {}),
    "accounts:tokens-revoke-all": ("GET", SIGNED_IN, {}),
    "accounts:token-revoke": ("GET", OWNER, {"pk": "visitor_token"}),
    "offices:standard-list": ("GET", ALL, {"code": "3324"}),
    "offices:standard-detail": ("GET", ALL, {"code": "3324", "service": "library"}),
    "offices:standard-edit": ("GET", SUPERVISORS, {"code": "3324", "service": "library"}),
    "offices:standard-history": ("GET", SUPERVISORS, {"code": "3324", "service": "library"}),
    "offices:leave-day-list": ("GET", SUPERVISORS, {"code": "3324"}),
    "offices:leave-day-delete": ("POST", SUPERVISORS, {"code": "3324", "pk": "leave_day"}),
    "catalog:publication-list": ("GET", ALL, {}),
    "catalog:publication-detail": ("GET", ALL, {"pk": "publication"}),
    "catalog:publication-cover": ("GET", ALL, {"pk": "publication"}),
    "catalog:office-publication-list": ("GET", STAFF, {"code": "3324"}),
    "catalog:office-publication-create": ("GET", STAFF, {"code": "3324"}),
    "catalog:office-publication-detail": ("GET", STAFF, {"code": "3324", "pk": "publication"}),
    "catalog:office-publication-edit": ("GET", STAFF, {"code": "3324", "pk": "publication"}),
    "catalog:office-publication-retry": ("POST", STAFF, {"code": "3324", "pk": "publication"}),
    "catalog:office-publication-ocr-retry": ("POST", STAFF, {"code": "3324", "pk": "publication"}),
    "delivery:publication-read": ("GET", SIGNED_IN, {"pk": "publication"}),
    "delivery:publication-download": ("POST", SIGNED_IN, {"pk": "publication"}),
    "delivery:copy": ("GET", {"visitor"}, {"token": "copy_token"}),
    "delivery:history": ("GET", SIGNED_IN, {}),
    "delivery:office-statistics": ("GET", STAFF, {"code": "3324"}),
    "delivery:office-trace": ("GET", STAFF, {"code": "3324"}),
    "complaints:complaint-create": ("GET", ALL, {}),
    "complaints:complaint-lookup": ("GET", ALL, {}),
    "complaints:complaint-track": ("GET", ALL, {"code": "complaint_code"}),
    "complaints:complaint-confirm": ("POST", ALL, {"code": "complaint_code"}),
    "complaints:complaint-mine": ("GET", SIGNED_IN, {}),
    "complaints:complaint-list": ("GET", STAFF, {"code": "3324"}),
    "complaints:complaint-register": ("GET", STAFF, {"code": "3324"}),
    "complaints:complaint-export": ("GET", STAFF, {"code": "3324", "fmt": "csv"}),
    "complaints:policy-edit": ("GET", SUPERVISORS, {"code": "3324"}),
    "complaints:complaint-detail": (
        "GET",
        STAFF,
        {"code": "3324", "tracking_code": "complaint_code"},
    ),
    "complaints:complaint-reveal": (
        "POST",
        STAFF,
        {"code": "3324", "tracking_code": "complaint_code"},
    ),
    "complaints:complaint-action": (
        "POST",
        STAFF,
        {"code": "3324", "tracking_code": "complaint_code", "action": "note"},
    ),
    "complaints:attachment-download": (
        "GET",
        STAFF,
        {"code": "3324", "tracking_code": "complaint_code", "pk": "attachment"},
    ),
    "visits:kiosk": ("GET", ALL, {"code": "3324", "device_id": "kiosk"}),
    "visits:board": ("GET", ALL, {"code": "3324"}),
    "visits:guest-book-tablet": ("GET", ALL, {"code": "3324", "device_id": "tablet"}),
    "visits:ticket-status": ("GET", ALL, {"pk": "ticket"}),
    "visits:ticket-print": ("GET", ALL, {"pk": "ticket"}),
    "visits:rate": ("GET", ALL, {"token": "rating_token"}),
    "visits:dashboard": ("GET", STAFF, {"code": "3324"}),
    "visits:visit-list": ("GET", STAFF, {"code": "3324"}),
    "visits:figures": ("GET", STAFF, {"code": "3324"}),
    "visits:close-day": ("GET", STAFF, {"code": "3324"}),
    "visits:guest-book": ("GET", STAFF, {"code": "3324"}),
    "visits:console": ("GET", STAFF, {"code": "3324", "number": 1}),
    "visits:call-next": ("POST", STAFF, {"code": "3324", "number": 1}),
    "visits:ticket-action": ("POST", STAFF, {"code": "3324", "pk": "ticket", "action": "recall"}),
    "visits:visit-detail": ("GET", STAFF, {"code": "3324", "pk": "visit"}),
    "visits:visit-reveal": ("POST", STAFF, {"code": "3324", "pk": "visit"}),
    "visits:visit-action": ("POST", STAFF, {"code": "3324", "pk": "visit", "action": "start"}),
    "visits:locker-return": ("POST", STAFF, {"code": "3324", "pk": "locker_assignment"}),
    "visits:device-list": ("GET", SUPERVISORS, {"code": "3324"}),
    "visits:device-revoke": ("POST", SUPERVISORS, {"code": "3324", "pk": "kiosk"}),
    "privacy:notice": ("GET", ALL, {}),
    "privacy:my-data": ("GET", SIGNED_IN, {}),
    "privacy:my-data-json": ("GET", SIGNED_IN, {}),
    "privacy:consent-list": ("GET", SIGNED_IN, {}),
    # Another user's consent is 404 (tests/privacy/test_consents.py).
    "privacy:consent-withdraw": ("GET", OWNER, {"pk": "visitor_consent"}),
    "privacy:consent-give": ("POST", SIGNED_IN, {"purpose": "survey_email"}),
    "privacy:deletion-request": ("POST", SIGNED_IN, {}),
    "privacy:deletion-confirm": ("GET", ALL, {"uidb64": "visitor_uid", "token": "invalid-token"}),
    "privacy:office-audit": ("GET", SUPERVISORS, {"code": "3324"}),
    "privacy:office-settings": ("GET", SUPERVISORS, {"code": "3324"}),
    "privacy:office-requests": ("GET", STAFF, {"code": "3324"}),
    "privacy:office-request-close": ("POST", STAFF, {"code": "3324", "pk": "data_request"}),
    "privacy:office-breaches": ("GET", SUPERVISORS, {"code": "3324"}),
    "feedback:survey": ("GET", ALL, {"token": "survey_token"}),
    "feedback:my-surveys": ("GET", SIGNED_IN, {}),
    "feedback:summary": ("GET", ALL, {"code": "3324"}),
    "feedback:results": ("GET", SUPERVISORS, {"code": "3324"}),
    "feedback:report": ("GET", SUPERVISORS, {"code": "3324"}),
    "feedback:settings": ("GET", SUPERVISORS, {"code": "3324"}),
    "feedback:my-ratings": ("GET", STAFF, {"code": "3324"}),
    "softcopies:request-create": ("GET", SIGNED_IN, {}),
    "softcopies:request-list": ("GET", SIGNED_IN, {}),
    # Another user's request number is a 404 (object-level check).
    "softcopies:request-detail": ("GET", OWNER, {"number": "softcopy_number"}),
    "softcopies:request-cancel": ("GET", OWNER, {"number": "softcopy_number"}),
    "softcopies:request-download": ("POST", OWNER, {"number": "softcopy_number"}),
    # Reports: the head of office's figures and exports; the public page once published.
    "reports:dashboard-show": ("GET", SUPERVISORS, {"code": "3324"}),
    "reports:monthly-download": ("GET", SUPERVISORS, {"code": "3324"}),
    "reports:export-create": ("GET", SUPERVISORS, {"code": "3324"}),
    "reports:settings-update": ("POST", SUPERVISORS, {"code": "3324"}),
    "reports:statistics-show": ("GET", ALL, {"code": "3324"}),
    "softcopies:office-queue": ("GET", STAFF, {"code": "3324"}),
    "softcopies:office-create": ("GET", STAFF, {"code": "3324"}),
    "softcopies:office-summary": ("GET", SUPERVISORS, {"code": "3324"}),
    "softcopies:office-detail": ("GET", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "softcopies:office-assign": ("POST", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "softcopies:office-start": ("POST", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "softcopies:office-reject": ("POST", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "softcopies:office-note": ("POST", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "softcopies:office-deliver": ("POST", STAFF, {"code": "3324", "number": "softcopy_number"}),
    # API: session (browsers) or bearer token; anonymous gets 401 where a user is needed.
    "api:softcopy-create": ("POST", SIGNED_IN, {}),
    "api:softcopy-list": ("GET", SIGNED_IN, {}),
    "api:softcopy-detail": ("GET", OWNER, {"number": "softcopy_number"}),
    "api:softcopy-cancel": ("POST", OWNER, {"number": "softcopy_number"}),
    "api:softcopy-download": ("GET", OWNER, {"number": "softcopy_number"}),
    "api:softcopy-queue": ("GET", STAFF, {"code": "3324"}),
    "api:softcopy-office-detail": ("GET", STAFF, {"code": "3324", "number": "softcopy_number"}),
    "api:softcopy-start": ("POST", STAFF, {"number": "softcopy_number"}),
    "api:softcopy-assign": ("POST", STAFF, {"number": "softcopy_number"}),
    "api:softcopy-reject": ("POST", STAFF, {"number": "softcopy_number"}),
    "api:softcopy-deliver": ("POST", STAFF, {"number": "softcopy_number"}),
    "api:ikm": ("GET", SUPERVISORS, {"code": "3324"}),
    "api:openapi-json": ("GET", ALL, {}),
    "api:openapi-view": ("GET", ALL, {}),
    "api:auth-token": ("POST", ALL, {}),
    "api:me": ("GET", SIGNED_IN, {}),
    "api:office-list": ("GET", ALL, {}),
    "api:office-detail": ("GET", ALL, {"code": "3324"}),
    "api:standard-detail": ("GET", ALL, {"code": "3324", "service": "library"}),
    "api:publication-list": ("GET", ALL, {}),
    "api:publication-detail": ("GET", ALL, {"publication_id": "publication"}),
    "api:publication-download": ("GET", SIGNED_IN, {"publication_id": "publication"}),
    "api:complaint-create": ("POST", ALL, {}),
    "api:complaint-detail": ("GET", ALL, {"tracking_code": "complaint_code"}),
    "api:ticket-create": ("POST", STAFF, {"code": "3324"}),
    "api:ticket-detail": ("GET", ALL, {"ticket_id": "ticket"}),
    "api:board": ("GET", ALL, {"code": "3324"}),
    # Channels: the message inbox (officers), the channel settings (supervisors).
    "channels:ticket-watch": ("POST", SIGNED_IN, {"pk": "ticket"}),
    "channels:conversation-list": ("GET", STAFF, {"code": "3324"}),
    "channels:conversation-detail": ("GET", STAFF, {"code": "3324", "pk": "conversation"}),
    "channels:conversation-action": (
        "POST",
        STAFF,
        {"code": "3324", "pk": "conversation", "action": "close"},
    ),
    "channels:attachment-download": (
        "GET",
        STAFF,
        {"code": "3324", "pk": "conversation", "attachment_pk": "message_attachment"},
    ),
    "channels:message-retry": ("POST", STAFF, {"code": "3324", "pk": "failed_message"}),
    "channels:inbound-list": ("GET", STAFF, {"code": "3324"}),
    "channels:inbound-action": (
        "POST",
        STAFF,
        {"code": "3324", "pk": "failed_inbound", "action": "process"},
    ),
    "channels:settings": ("GET", SUPERVISORS, {"code": "3324"}),
    "channels:mailbox-check": ("POST", SUPERVISORS, {"code": "3324"}),
}


# JSON bodies for API operations, so a refusal is about permission, not a malformed body.
API_BODIES = {
    "api:ticket-create": {"service": "library"},
    "api:complaint-create": {"description": "Antrean perpustakaan lama sekali hari ini."},
    "api:auth-token": {"email": "visitor-matrix@example.com", "password": PASSWORD},
    "api:softcopy-create": {"purpose": "research", "description": "Tabel penduduk 2010"},
    "api:softcopy-assign": {"officer_email": "officer-matrix@example.com"},
    "api:softcopy-reject": {"reason": "Bukan publikasi BPS"},
}
# Multipart bodies (file-upload operations).
API_FORMS = {"api:softcopy-deliver": {"source": "whole"}}


def test_every_url_is_in_the_matrix():
    missing = sorted(set(url_map()) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(url_map()))

    assert missing == [], f"add these URLs to MATRIX with their permissions: {missing}"
    assert stale == [], f"these MATRIX entries name no URL any more: {stale}"


@pytest.fixture
def users(kendal):
    other = OfficeFactory(code="3374", name="BPS Kota Semarang")
    return {
        "anonymous": None,
        "visitor": UserFactory(email="visitor-matrix@example.com"),
        "officer": MembershipFactory(
            office=kendal, role="officer", user__email="officer-matrix@example.com"
        ).user,
        "other_officer": MembershipFactory(office=other, role="supervisor").user,
        "supervisor": MembershipFactory(office=kendal, role="supervisor").user,
        "admin": UserFactory(email="admin-matrix@example.com", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def world(kendal, users, settings, tmp_path, django_capture_on_commit_callbacks):
    """One of each object the URLs point at, in office 3324."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from accounts.models import ApiToken, Consent
    from catalog.choices import Visibility
    from catalog.models import Publication
    from catalog.samples import make_pdf
    from catalog.services import save_publication
    from complaints.services import submit_complaint
    from delivery.choices import Channel
    from delivery.services import start_delivery
    from offices.models import LeaveDay
    from privacy.models import DataRequest
    from visits import services as visit_services
    from visits.choices import CardType, DeviceKind
    from visits.models import Device

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    officer = users["officer"]
    publication = Publication(
        office=kendal, title="Kendal Dalam Angka 2024", year=2024, visibility=Visibility.PUBLISHED
    )
    with django_capture_on_commit_callbacks(execute=True):
        save_publication(
            publication,
            by=officer,
            pdf=SimpleUploadedFile("kda.pdf", make_pdf(["Jumlah penduduk Kendal 2024"])),
        )
    publication.refresh_from_db()
    record = start_delivery(publication, users["visitor"], Channel.READ)
    image = io.BytesIO()
    Image.new("RGB", (4, 4)).save(image, format="PNG")
    complaint = submit_complaint(
        office=kendal,
        channel="web",
        description="Antrean di loket perpustakaan lama sekali.",
        attachments=[(SimpleUploadedFile("foto.png", image.getvalue(), "image/png"), "image/png")],
    )
    kiosk, _ = Device.register(kendal, kind=DeviceKind.KIOSK, name="Kiosk", by=users["supervisor"])
    tablet, _ = Device.register(
        kendal, kind=DeviceKind.GUEST_BOOK, name="Tablet", by=users["supervisor"]
    )
    counter = kendal.counters.get(number=1)
    ticket = visit_services.issue_ticket(kendal, "library", officer=officer)
    ticket.call(counter, by=officer)
    from tests.visits.conftest import GUEST

    visit = visit_services.fill_guest_book(kendal, officer=officer, data=dict(GUEST), ticket=ticket)
    assignment = visit_services.assign_locker(
        visit, officer=officer, card_type=CardType.KTP, holder_name="Tamu"
    )
    visit.start(by=officer)
    visit.finish(by=officer)
    from feedback.services import invite
    from softcopies.choices import Source
    from softcopies.services import create_request, deliver

    softcopy = create_request(
        office=kendal,
        user=users["visitor"],
        purpose="research",
        publication=publication,
        pages="1",
    )
    with django_capture_on_commit_callbacks(execute=True):
        deliver(softcopy, by=officer, source=Source.WHOLE)

    survey = invite(office=kendal, service="library", channel="delivered", source=record)
    from tests.channels.conftest import make_inbox_conversation

    channel_objects = make_inbox_conversation(kendal)
    ReportSettings.for_office(kendal).set_publish(True, by=None)
    return {
        "survey_token": survey.token,
        "visitor_uid": urlsafe_base64_encode(str(users["visitor"].pk).encode()),
        "softcopy_number": softcopy.number,
        "publication": publication.pk,
        "copy_token": copy_url(record).rstrip("/").split("/")[-1],
        "complaint_code": complaint.tracking_code,
        "attachment": complaint.attachments.get().pk,
        "kiosk": kiosk.pk,
        "tablet": tablet.pk,
        "ticket": ticket.pk,
        "visit": visit.pk,
        "locker_assignment": assignment.pk,
        "rating_token": visit_services.rating_token(visit),
        "leave_day": LeaveDay.objects.create(office=kendal, date="2026-12-24", name="Cuti").pk,
        "visitor_consent": Consent.objects.create(user=users["visitor"], purpose="account").pk,
        "visitor_token": ApiToken.issue(users["visitor"], name="matrix")[0].pk,
        "data_request": DataRequest.objects.create(
            office=kendal, requester="Pak Budi", kind="access"
        ).pk,
        **channel_objects,
    }


def _passed_permission(response):
    """True when the permission layer let the request through (whatever the view did next)."""
    if response.status_code in (401, 403, 404):
        return False
    location = response.headers.get("Location", "")
    return not (response.status_code == 302 and location.startswith(reverse("account_login")))


def _request(client, method, name, url):
    if method == "POST" and name in API_FORMS:
        return client.post(url, API_FORMS[name])
    if method == "POST" and name in API_BODIES:
        return client.post(url, API_BODIES[name], content_type="application/json")
    if method == "POST":
        return client.post(url, {})
    return client.get(url)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(client_for, users, world, name):
    """Each role against one URL (the world is built once per URL, not per role)."""
    method, allowed, arguments = MATRIX[name]
    kwargs = {
        key: world.get(value, value) if isinstance(value, str) else value
        for key, value in arguments.items()
    }
    url = reverse(name, kwargs=kwargs)
    wrong = []
    consumed = False  # a POST that deleted its object leaves 404 for the next allowed role
    for role in ROLES:
        response = _request(client_for(users[role]), method, name, url)
        if response.streaming:
            # Reading to the end lets the test client close the file response without
            # closing the test's database connection (request_finished).
            b"".join(response.streaming_content)
        passed = _passed_permission(response)
        if role in allowed and passed and method == "POST":
            consumed = True
        elif role in allowed and consumed and response.status_code == 404:
            continue
        if role in allowed and not passed:
            wrong.append(f"{role} refused ({response.status_code})")
        elif role not in allowed and passed:
            wrong.append(f"{role} let through ({response.status_code})")
        elif (
            role not in allowed
            and role == "anonymous"
            and response.status_code not in (302, 401, 404)
        ):
            wrong.append(f"anonymous got {response.status_code}, not a login redirect or 401")
        elif role not in allowed and role != "anonymous" and response.status_code not in (403, 404):
            wrong.append(f"{role} got {response.status_code}, not 403/404")
    assert wrong == []
