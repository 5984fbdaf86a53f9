"""The guest book (which opens a visit), lockers and identity cards, the rating link."""

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import PROFILE_FIELDS, ConsentPurpose
from accounts.models import Consent, User
from core.tasks import enqueue_email
from core.transitions import lock
from offices.models import Locker
from offices.time import local_day

from ..choices import EventAction, TicketStatus
from ..models import GuestBookEntry, LockerAssignment, Visit, VisitError
from .queue import target_minutes

RATING_SALT = "visits.rating"

# Guest book and account ---------------------------------------------------------------------


def fill_guest_book(office, *, officer, data, ticket=None):
    """Open a visit from the guest book; its service clock starts now.

    The e-mail links the visit to the visitor's account, or creates one and
    sends an invitation to set a password. ``data`` is the cleaned guest-book form.
    """
    email = data["email"].strip().lower()
    now = timezone.now()
    services = list(data["services"])
    main_service = ticket.service if ticket is not None else services[0]
    minutes = target_minutes(office, main_service)
    with transaction.atomic():
        if ticket is not None:
            lock(ticket)
            if ticket.office_id != office.pk:
                raise VisitError(_("That ticket belongs to another office."))
            if Visit.objects.filter(ticket=ticket).exists():
                raise VisitError(_("The guest book of this ticket has already been filled."))
            if ticket.status != TicketStatus.CALLED:
                raise VisitError(_("Call the ticket before filling in the guest book."))
        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if created:
            user = User.objects.create_user(
                email=email,
                full_name=data["full_name"],
                phone=data.get("phone", ""),
                preferred_language=translation.get_language() or "id",
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        changed = []
        for name in ["full_name", "phone", *PROFILE_FIELDS]:
            value = data.get(name)
            if value and getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
        if changed:
            user.save(update_fields=changed)
        visit = Visit.objects.create(
            office=office,
            ticket=ticket,
            visitor=user,
            day=local_day(office, now),
            service=main_service,
            target_minutes=minutes,
            guest_book_at=now,
            counter=ticket.counter if ticket is not None else None,
        )
        GuestBookEntry.objects.create(
            visit=visit,
            full_name=data["full_name"],
            email=email,
            phone=data.get("phone", ""),
            card_type=data["card_type"],
            services=services,
            purpose=data["purpose_text"],
            created_at=now,
            created_by=officer,
        )
        Consent.objects.create(
            user=user,
            purpose=ConsentPurpose.GUEST_BOOK,
            guardian_consent=bool(data.get("guardian_consent")),
        )
        visit.log(EventAction.GUEST_BOOK_FILLED, actor=officer, ticket=ticket)
        if created:
            _send_invitation(user, office)
            visit.log(EventAction.ACCOUNT_INVITED, actor=officer)
    return visit


def _send_invitation(user, office):
    """A password-setting link (allauth's reset key) for an account opened at the desk."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    with translation.override(user.preferred_language or "id"):
        context = {"user": user, "office": office, "url": settings.SITE_URL + path}
        message = EmailMessage(
            subject=_("[PST BPS] Your account for the statistics library"),
            body=render_to_string("visits/email/invitation.txt", context),
            to=[user.email],
        )
    enqueue_email(message)


# Lockers and identity cards ---------------------------------------------------------------


def assign_locker(visit, *, officer, card_type, holder_name, locker=None):
    """Give a free locker (the one asked for, or the first free one) against the card.

    The office's lockers are locked for the check, so two officers clicking at
    once never give the same locker; a partial unique constraint backs this up.
    """
    with transaction.atomic():
        lockers = list(
            Locker.objects.select_for_update()
            .filter(office_id=visit.office_id, is_active=True)
            .order_by("label")
        )
        visit = Visit.objects.select_for_update().get(pk=visit.pk)
        if visit.checked_out_at is not None:
            raise VisitError(_("This visit has already been checked out."))
        if visit.locker_assignments.filter(returned_at__isnull=True).exists():
            raise VisitError(_("This visitor already has a locker."))
        busy = set(
            LockerAssignment.objects.filter(
                locker__office_id=visit.office_id, returned_at__isnull=True
            ).values_list("locker_id", flat=True)
        )
        if locker is not None:
            if locker.pk not in {item.pk for item in lockers}:
                raise VisitError(_("That locker does not belong to this office."))
            if locker.pk in busy:
                raise VisitError(_("Locker %(label)s is in use.") % {"label": locker.label})
        else:
            free = [item for item in lockers if item.pk not in busy]
            if not free:
                raise VisitError(_("No free locker."))
            locker = free[0]
        assignment = LockerAssignment.objects.create(
            visit=visit,
            locker=locker,
            card_type=card_type,
            holder_name=holder_name,
            assigned_by=officer,
        )
        visit.log(
            EventAction.LOCKER_ASSIGNED, actor=officer, locker=locker.label, card_type=card_type
        )
    return assignment


# Service ------------------------------------------------------------------------------------


def visit_of_ticket(ticket):
    visit = Visit.objects.filter(ticket=ticket).first()
    if visit is None:
        raise VisitError(_("Fill in the guest book before starting the service."))
    return visit


def rating_token(visit):
    return signing.dumps(visit.pk, salt=RATING_SALT)


def visit_from_rating_token(token):
    """The visit a rating link names; links stay valid for two days."""
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=datetime.timedelta(days=2))
    except signing.BadSignature as exc:
        raise VisitError(_("This rating link is not valid or has expired.")) from exc
    visit = Visit.objects.select_related("office").filter(pk=pk).first()
    if visit is None:
        raise VisitError(_("This rating link is not valid or has expired."))
    return visit
