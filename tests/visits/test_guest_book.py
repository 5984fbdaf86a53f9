import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory
from tests.visits.conftest import GUEST
from visits import services
from visits.choices import EventAction, TicketStatus
from visits.models import GuestBookEntry, Visit, VisitError, VisitEvent

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {**GUEST, **changes}
    return data


def test_guest_book_creates_the_account_and_sends_an_invitation(
    client_for, clerk, kendal, called_ticket, django_capture_on_commit_callbacks
):
    url = reverse("visits:guest-book", args=["3324"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(clerk).post(url, {**form_data(), "ticket": called_ticket.pk})

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("visits:visit-detail", args=["3324", visit.pk])
    user = User.objects.get(email="tamu@example.com")
    assert (visit.visitor, visit.ticket, visit.service, visit.target_minutes) == (
        user,
        called_ticket,
        "library",
        10,
    )
    assert (user.full_name, user.institution_name, user.occupation) == (
        "Tamu Pertama",
        "Universitas Diponegoro",
        "student",
    )
    assert not user.has_usable_password()
    entry = GuestBookEntry.objects.get(visit=visit)
    assert (entry.card_type, entry.services, entry.created_by) == ("ktp", ["library"], clerk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["tamu@example.com"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert list(VisitEvent.objects.filter(visit=visit).values_list("action", flat=True)) == [
        EventAction.GUEST_BOOK_FILLED,
        EventAction.ACCOUNT_INVITED,
    ]


def test_guest_book_links_a_returning_visitor_without_mail(
    clerk, kendal, called_ticket, django_capture_on_commit_callbacks
):
    returning = UserFactory(email="tamu@example.com", full_name="Tamu Lama")

    with django_capture_on_commit_callbacks(execute=True):
        visit = services.fill_guest_book(
            kendal, officer=clerk, data=form_data(email="TAMU@example.com"), ticket=called_ticket
        )

    assert visit.visitor == returning
    assert User.objects.count() == 2  # the clerk and the returning visitor
    assert mail.outbox == []


def test_returning_visitor_profile_is_prefilled(client_for, clerk, kendal):
    UserFactory(email="lama@example.com", full_name="Tamu Lama", institution_name="Bappeda")

    response = client_for(clerk).get(
        reverse("visits:guest-book", args=["3324"]) + "?email=lama@example.com"
    )

    form = response.context["form"]
    assert (form.initial["full_name"], form.initial["institution_name"]) == ("Tamu Lama", "Bappeda")


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_guest_book_without_a_valid_email_is_a_form_error(client_for, clerk, kendal, email):
    response = client_for(clerk).post(
        reverse("visits:guest-book", args=["3324"]), form_data(email=email)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert Visit.objects.count() == 0


def test_guest_book_never_asks_for_a_card_number(client_for, clerk, kendal):
    response = client_for(clerk).get(reverse("visits:guest-book", args=["3324"]))

    fields = set(response.context["form"].fields)
    assert "card_type" in fields
    assert not {"nik", "card_number", "photo"} & fields


def test_guest_book_of_a_waiting_ticket_is_refused(clerk, kendal):
    ticket = services.issue_ticket(kendal, "library", officer=clerk)

    with pytest.raises(VisitError):
        services.fill_guest_book(kendal, officer=clerk, data=form_data(), ticket=ticket)
    assert Visit.objects.count() == 0


def test_guest_book_twice_for_one_ticket_is_refused(clerk, kendal, visit):
    with pytest.raises(VisitError):
        services.fill_guest_book(kendal, officer=clerk, data=form_data(), ticket=visit.ticket)
    assert Visit.objects.count() == 1


def test_walk_in_without_a_ticket_can_still_be_registered(clerk, kendal):
    visit = services.fill_guest_book(
        kendal, officer=clerk, data=form_data(services=["consultation", "sales"])
    )

    assert (visit.ticket, visit.service) == (None, "consultation")


@pytest.mark.parametrize("who", ["anonymous", "citizen", "outsider_officer"])
def test_guest_book_refuses_people_without_a_role(client_for, request, kendal, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)

    response = client_for(user).post(reverse("visits:guest-book", args=["3324"]), form_data())

    assert response.status_code == (302 if user is None else 403)
    assert Visit.objects.count() == 0


def test_ticket_stays_called_until_service_starts(visit):
    visit.ticket.refresh_from_db()
    assert visit.ticket.status == TicketStatus.CALLED


@pytest.fixture
def tablet(kendal, supervisor):
    from visits.choices import DeviceKind
    from visits.models import Device

    return Device.register(kendal, kind=DeviceKind.GUEST_BOOK, name="Tablet FO", by=supervisor)


def test_visitor_fills_the_guest_book_on_the_tablet(client, kendal, tablet, called_ticket):
    device, key = tablet
    url = reverse("visits:guest-book-tablet", args=["3324", device.pk])

    response = client.post(url, {**form_data(), "ticket_number": "a-001", "device_key": key})

    visit = Visit.objects.get()
    assert "visits/public/guest_book_done.html" in [t.name for t in response.templates]
    assert (visit.ticket, visit.guest_book.created_by) == (called_ticket, None)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"device_key": "dev_wrong"}, "Tablet ini tidak memiliki kunci perangkat yang sah."),
        ({"ticket_number": "A-999"}, "Tidak ada nomor antrean ini hari ini."),
    ],
)
def test_tablet_guest_book_refuses_a_bad_key_or_number(
    client, kendal, tablet, called_ticket, changes, error
):
    device, key = tablet
    url = reverse("visits:guest-book-tablet", args=["3324", device.pk])
    data = {**form_data(), "ticket_number": "A-001", "device_key": key, **changes}

    response = client.post(url, data)

    assert error in response.content.decode()
    assert Visit.objects.count() == 0


def test_guest_book_records_consent_and_refuses_without_it(client_for, clerk, called_ticket):
    from accounts.models import Consent

    url = reverse("visits:guest-book", args=["3324"])
    refused = client_for(clerk).post(url, {**GUEST, "consent": "", "ticket": called_ticket.pk})
    minor = client_for(clerk).post(
        url, {**GUEST, "age_group": "under_18", "ticket": called_ticket.pk}
    )

    assert "consent" in refused.context["form"].errors
    assert "guardian_consent" in minor.context["form"].errors
    assert Consent.objects.count() == 0


def test_guest_book_contacts_are_encrypted_at_rest(visit):
    guest_visit = visit
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, phone FROM visits_guestbookentry WHERE visit_id = %s", [guest_visit.pk]
        )
        email, phone = cursor.fetchone()

    assert email.startswith("enc1:") and "tamu@" not in email
    assert phone.startswith("enc1:") and "3456" not in phone
    assert guest_visit.guest_book.email == "tamu@example.com"


def test_officer_sees_contacts_masked_until_an_audited_reveal(client_for, clerk, visit):
    from history.models import AuditEvent

    client = client_for(clerk)
    masked = client.get(reverse("visits:visit-detail", args=["3324", visit.pk])).content.decode()
    revealed = client.post(reverse("visits:visit-reveal", args=["3324", visit.pk])).content.decode()

    assert "tamu@example.com" not in masked and "t•••@example.com" in masked
    assert "0812 3456 7890" not in masked and "•••• 890" in masked
    assert "tamu@example.com" in revealed and "0812 3456 7890" in revealed
    event = AuditEvent.objects.get(action="reveal")
    assert (event.actor, event.target) == (clerk, f"visit {visit.pk}")
