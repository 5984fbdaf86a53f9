"""What the lower apps hand over to the channels (their ``hooks``, filled in ``apps.py``).

- ``complaints.hooks.notify_complainant``: a message to a complainant goes back on the channel the
  complaint came by (a threaded e-mail from the office mailbox, WhatsApp, Instagram), and
  to a WhatsApp number left on the web form; returns the contacts taken over.
- ``accounts.hooks.offer_notice``: a notice (softcopy delivered, survey invitation...) to a user who
  opted in to WhatsApp notices goes on WhatsApp, with the app's e-mail as the fallback;
  returns True when taken over.
- ``visits.hooks.ticket_called``: tickets whose holder asked for it get "3 nomor lagi".
- ``complaints.hooks.detail_panels`` / ``visits.hooks.ticket_panels``: page fragments (the complaint's
  messages and their delivery; the "tell me on WhatsApp" button of a ticket).
"""

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import ConsentPurpose
from accounts.models import Consent
from complaints.notify import render_for_complainant
from visits.choices import TicketStatus

from . import mail
from .choices import TICKET_NEAR_AHEAD, Direction, Medium, NoticeKind
from .models import Contact, Conversation, Message, TicketWatch
from .outbound import current_conversation, flatten, queue_message

# Complaint events a complainant with WhatsApp notices (and no number on the complaint) gets.
NOTICE_EVENTS = ("answered", "on_hold", "not_ours")


def wants_whatsapp(user):
    """A user who opted in to WhatsApp notices and has a phone number."""
    return bool(
        user is not None
        and getattr(user, "phone", "")
        and Consent.holds(user, ConsentPurpose.WHATSAPP_NOTICES)
    )


def notice_text(kind, params, language):
    """The free-text form of a notice (the same words as its approved template)."""
    with translation.override(language or "id"):
        return render_to_string(f"channels/whatsapp/{kind}.txt", {"p": params}).strip()


def _complaint_conversation(complaint):
    conversation = current_conversation.get()
    if conversation is not None:
        return conversation
    latest_in = (
        Message.objects.filter(conversation__complaint=complaint, direction=Direction.IN)
        .select_related("conversation__contact")
        .order_by("-created_at", "-id")
        .first()
    )
    return latest_in.conversation if latest_in else None


def on_complaint_event(*, complaint, event, text=""):
    """Send a complaint's news on its channel; returns the contacts taken over."""
    handled = set()
    subject, body = render_for_complainant(complaint, event, text)
    code, url = complaint.tracking_code, complaint.tracking_url
    params = [code, flatten(text or subject), url]
    conversation = _complaint_conversation(complaint)
    if conversation is not None:
        contact = conversation.contact
        if contact.medium == Medium.EMAIL:
            thread_subject = (
                mail.reply_subject(
                    conversation.subject
                    if conversation.subject.lower().startswith("re:")
                    else f"Re: {conversation.subject}",
                    code,
                )
                if conversation.subject
                else subject
            )
            queue_message(
                contact=contact, conversation=conversation, subject=thread_subject, body=body
            )
            handled.add("email")
        else:
            _set_language(contact, complaint.language)
            queue_message(
                contact=contact,
                conversation=conversation,
                subject=subject,
                body=f"{subject}\n\n{body}",
                template="complaint_update",
                template_params=params,
                fallback_email=complaint.contact_email,
                fallback_subject=subject,
                fallback_body=body,
                link=url,
            )
            handled.update({"whatsapp"} if contact.medium == Medium.WHATSAPP else set())
            if complaint.contact_email:
                handled.add("email")  # the e-mail goes only if the message cannot
    if complaint.contact_whatsapp and "whatsapp" not in handled:
        contact = Contact.get_or_create_for(
            complaint.office, Medium.WHATSAPP, complaint.contact_whatsapp
        )
        _set_language(contact, complaint.language)
        thread = _conversation_with(contact, complaint)
        queue_message(
            contact=contact,
            conversation=thread,
            subject=subject,
            body=f"{subject}\n\n{body}",
            template="complaint_update",
            template_params=params,
        )
        handled.add("whatsapp")
    elif (
        event in NOTICE_EVENTS
        and "whatsapp" not in handled
        and not complaint.contact_whatsapp
        and wants_whatsapp(complaint.complainant)
    ):
        user = complaint.complainant
        contact = Contact.get_or_create_for(complaint.office, Medium.WHATSAPP, user.phone)
        _set_language(contact, complaint.language)
        queue_message(
            contact=contact,
            conversation=_conversation_with(contact, complaint),
            subject=subject,
            body=f"{subject}\n\n{body}",
            template="complaint_update",
            template_params=params,
            notice_kind=NoticeKind.COMPLAINT_UPDATE,
            fallback_email=complaint.contact_email or user.email,
            fallback_subject=subject,
            fallback_body=body,
        )
        handled.update({"whatsapp", "email"})
    return handled


def _conversation_with(contact, complaint):
    conversation = Conversation.objects.filter(contact=contact, complaint=complaint).first()
    if conversation is None:
        conversation = Conversation.objects.create(
            office=contact.office, contact=contact, medium=contact.medium, complaint=complaint
        )
    return conversation


def _set_language(contact, language):
    if language and contact.language != language:
        contact.language = language
        Contact.objects.filter(pk=contact.pk).update(language=language)


def _params(kind, office, *, url, reference, extra):
    if kind == NoticeKind.SOFTCOPY_DELIVERED:
        return [office.name, reference, url]
    if kind == NoticeKind.SURVEY_INVITATION:
        return [office.name, url]
    if kind == NoticeKind.TICKET_NEAR:
        return [reference, office.name, str(extra)]
    return [office.name, url]


def offer_notice(
    *, user, office, kind, subject, body, url="", reference="", extra="", email_fallback=True
):
    """Send a notice on WhatsApp when the user opted in; True when taken over.

    The app's own e-mail (``subject``, ``body``) becomes the fallback when
    ``email_fallback`` (the user may receive it by e-mail) and the user has an address.
    """
    if not wants_whatsapp(user):
        return False
    contact = Contact.get_or_create_for(office, Medium.WHATSAPP, user.phone)
    _set_language(contact, user.preferred_language or "id")
    params = _params(kind, office, url=url, reference=reference, extra=extra)
    queue_message(
        contact=contact,
        body=notice_text(kind, params, contact.language),
        subject=subject,
        template=kind,
        template_params=params,
        notice_kind=kind,
        fallback_email=user.email if email_fallback and user.email else "",
        fallback_subject=subject,
        fallback_body=body,
    )
    return True


# Queue tickets ----------------------------------------------------------------------------


def on_ticket_called(*, ticket):
    """After a call, tell watchers whose ticket is now ``TICKET_NEAR_AHEAD`` or fewer away."""
    office_id, day, service = ticket.office_id, ticket.day, ticket.service
    transaction.on_commit(lambda: notify_near_tickets(office_id, day, service))


def notify_near_tickets(office_id, day, service):
    watches = TicketWatch.objects.filter(
        ticket__office_id=office_id,
        ticket__day=day,
        ticket__service=service,
        ticket__status=TicketStatus.WAITING,
        notified_at__isnull=True,
    ).select_related("ticket__office", "user")
    sent = 0
    for watch in watches:
        if notify_if_near(watch):
            sent += 1
    return sent


def notify_if_near(watch):
    ticket = watch.ticket
    ahead = ticket.position() - 1
    if ahead < 0 or ahead > TICKET_NEAR_AHEAD:
        return False
    with transaction.atomic():
        claimed = TicketWatch.objects.filter(pk=watch.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            return False
        user, office = watch.user, ticket.office
        with translation.override(user.preferred_language or "id"):
            subject = _("Queue %(number)s: %(count)s more before you") % {
                "number": ticket.number,
                "count": ahead,
            }
            body = render_to_string(
                "channels/email/ticket_near.txt",
                {"ticket": ticket, "office": office, "ahead": ahead, "user": user},
            )
        return offer_notice(
            user=user,
            office=office,
            kind=NoticeKind.TICKET_NEAR,
            subject=subject,
            body=body,
            reference=ticket.number,
            extra=ahead,
        )


# Page fragments ---------------------------------------------------------------------------


def complaint_panel(*, complaint, request):
    conversations = list(
        Conversation.objects.filter(complaint=complaint)
        .select_related("contact")
        .prefetch_related("messages__attachments", "messages__author")
    )
    if not conversations:
        return ""
    return render_to_string(
        "channels/office/complaint_panel.html",
        {"conversations": conversations, "office": complaint.office, "complaint": complaint},
        request=request,
    )


def ticket_panel(*, ticket, request):
    user = request.user
    context = {
        "ticket": ticket,
        "near": TICKET_NEAR_AHEAD,
        "waiting": ticket.status == TicketStatus.WAITING,
    }
    if user.is_authenticated:
        context["watching"] = TicketWatch.objects.filter(ticket=ticket, user=user).exists()
        context["can_watch"] = wants_whatsapp(user)
        context["has_phone"] = bool(user.phone)
    return render_to_string("channels/public/ticket_panel.html", context, request=request)
