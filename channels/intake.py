"""Messages that arrive: stored once (idempotent), then turned into a complaint, a reply on
a complaint, or an item of the officers' message inbox.

``store_*`` write the raw message (encrypted) under its idempotency key and return None
for a second copy; ``process`` reads it back in a worker and lands it:

1. a reply on a complaint when it names the complaint: its tracking code in the subject
   or text, or (e-mail) a thread reference to one of our messages, or (WhatsApp,
   Instagram) an open complaint conversation with the same sender;
2. otherwise a reply in the sender's open inbox conversation (same thread or sender);
3. otherwise a new complaint or a new inbox conversation, as the office's settings say.

Automatic mail (bounces, auto-replies, list mail) is recognised and set aside, never a
complaint; a bounce of one of our messages marks that message as not delivered.
Attachments pass the same checks as the web form's. The raw message is cleared once
processed; what could not be processed keeps it and is tried again.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from complaints import services as complaint_services
from complaints.choices import FINISHED
from complaints.files import MAX_ATTACHMENTS, check_attachment
from complaints.models import Complaint

from . import mail, meta
from .choices import (
    ConversationStatus,
    Direction,
    InboundKind,
    InboundState,
    Medium,
    MessageState,
    Route,
)
from .models import (
    ChannelSettings,
    Contact,
    Conversation,
    InboundMessage,
    Message,
    MessageAttachment,
)
from .outbound import current_conversation

logger = logging.getLogger(__name__)

MAX_PROCESS_ATTEMPTS = 8
PLACEHOLDER = "—"


# Storing ---------------------------------------------------------------------------------


def email_key(raw, message_id):
    """Message-ID, or a content hash for mail without one (some bounces lack it)."""
    if message_id:
        return message_id[:255]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def store(*, office, medium, external_id, raw=b"", state=InboundState.PENDING, kind="", **fields):
    """The stored message, or None when this key was stored before (a second copy)."""
    fields.setdefault("raw_size", len(raw))
    inbound = InboundMessage(
        office=office,
        medium=medium,
        external_id=external_id[:255],
        raw=raw,
        state=state,
        kind=kind,
        **fields,
    )
    try:
        with transaction.atomic():
            inbound.save()
    except IntegrityError:
        return None
    return inbound


def store_meta_message(medium, office, external_id, payload):
    return store(
        office=office,
        medium=medium,
        external_id=external_id,
        raw=json.dumps(payload, ensure_ascii=False).encode(),
    )


# Processing ------------------------------------------------------------------------------


def process(inbound_id, *, as_person=False):
    """Land one stored message; returns its state. Safe to call twice (the second does nothing).

    ``as_person``: an officer decided that a message set aside as automatic was written by
    a person after all; it is processed like any other.
    """
    allowed = [InboundState.PENDING, InboundState.FAILED]
    if as_person:
        allowed.append(InboundState.IGNORED)
    try:
        with transaction.atomic():
            inbound = (
                InboundMessage.objects.select_for_update(of=("self",))
                .select_related("office")
                .filter(pk=inbound_id, state__in=allowed)
                .first()
            )
            if inbound is None:
                return None
            HANDLERS[inbound.medium](inbound, as_person=as_person)
            inbound.attempts += 1
            inbound.processed_at = timezone.now()
            if inbound.state == InboundState.PROCESSED:
                inbound.raw = b""  # kept only until processed
            inbound.error = inbound.error if inbound.state != InboundState.PROCESSED else ""
            inbound.save()
            return inbound.state
    except Exception as exc:  # any failure: keep the raw message, show it, try again later
        logger.warning(
            "channels: inbound %s could not be processed: %s", inbound_id, type(exc).__name__
        )
        InboundMessage.objects.filter(pk=inbound_id, state__in=allowed).update(
            state=InboundState.FAILED,
            attempts=F("attempts") + 1,
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
        return InboundState.FAILED


@task()
def process_inbound(*, inbound_id):
    """Land one stored inbound message (a complaint, a reply, an inbox message)."""
    return process(inbound_id)


def enqueue_processing(inbound):
    """Process ``inbound`` in a worker once the transaction that stored it commits."""
    inbound_id = inbound.pk
    transaction.on_commit(lambda: process_inbound.enqueue(inbound_id=inbound_id))


def process_pending(*, limit=200):
    """Process what is still waiting, and retry what failed (a few times)."""
    pending = (
        InboundMessage.objects.filter(
            state__in=[InboundState.PENDING, InboundState.FAILED],
            attempts__lt=MAX_PROCESS_ATTEMPTS,
        )
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )
    return [process(pk) for pk in list(pending)]


def _set_aside(inbound, state, kind, error=""):
    inbound.state = state
    inbound.kind = kind
    inbound.error = error[:300]


def _checked_attachments(files):
    """``(accepted [(file, type)], refused [text])`` with the web form's checks."""
    accepted, refused = [], []
    for name, _declared, payload in files:
        if len(accepted) >= MAX_ATTACHMENTS:
            refused.append(
                _("%(name)s: more than %(count)d attachments")
                % {"name": name, "count": MAX_ATTACHMENTS}
            )
            continue
        upload = ContentFile(payload, name=name)
        try:
            accepted.append((upload, check_attachment(upload)))
        except ValidationError as exc:
            refused.append(" ".join(exc.messages))
    return accepted, refused


# E-mail -----------------------------------------------------------------------------------


def _process_email(inbound, *, as_person=False):
    office = inbound.office
    try:
        parsed = mail.parse(inbound.raw)
    except mail.MalformedMail as exc:
        return _set_aside(inbound, InboundState.REJECTED, InboundKind.MALFORMED, str(exc))
    if parsed.automatic and not as_person:
        if parsed.automatic == InboundKind.BOUNCE:
            _bounced(office, parsed)
        return _set_aside(inbound, InboundState.IGNORED, parsed.automatic)
    channel_settings = ChannelSettings.for_office(office)
    if not parsed.from_address:
        return _set_aside(inbound, InboundState.REJECTED, InboundKind.MALFORMED, "no sender")
    if parsed.from_address == (channel_settings.mail_address or "").lower():
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.ECHO)
    files = parsed.attachments
    if not parsed.text.strip() and not files:
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.EMPTY)

    contact = Contact.get_or_create_for(
        office, Medium.EMAIL, parsed.from_address, name=parsed.from_name
    )
    complaint = _complaint_by_code(office, mail.find_tracking_code(parsed.subject))
    conversation = None
    if parsed.thread_ids:
        earlier = (
            Message.objects.filter(office=office, external_id__in=parsed.thread_ids)
            .exclude(conversation=None)
            .select_related("conversation")
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            conversation = earlier.conversation
    if complaint is None and conversation is not None and conversation.complaint_id:
        complaint = conversation.complaint
    is_reply = complaint is not None or conversation is not None
    text = mail.strip_quoted(parsed.text) if is_reply else parsed.text
    _land(
        inbound,
        contact=contact,
        text=text,
        subject=parsed.subject,
        files=files,
        complaint=complaint,
        conversation=conversation,
        external_id=parsed.message_id or inbound.external_id,
    )


def _bounced(office, parsed):
    """A delivery report on one of our messages: that message did not arrive."""
    if not parsed.bounced_ids:
        return
    Message.objects.filter(
        office=office, direction=Direction.OUT, external_id__in=parsed.bounced_ids
    ).update(
        state=MessageState.FAILED,
        error_code="bounce",
        error=(_("Returned by the receiving mail server") + f" ({parsed.bounce_status})")[:300],
    )


def _complaint_by_code(office, code):
    if not code:
        return None
    return Complaint.objects.filter(office=office, tracking_code=code).first()


# WhatsApp ---------------------------------------------------------------------------------

# Message types that carry a file the office can keep (images and documents).
WHATSAPP_MEDIA = ("image", "document")


def _process_whatsapp(inbound, *, as_person=False):
    office = inbound.office
    data = json.loads(inbound.raw)
    message = data.get("message") or {}
    profile_name = (data.get("contact") or {}).get("profile", {}).get("name", "")
    sender = message.get("from") or (data.get("contact") or {}).get("wa_id", "")
    if not sender:
        return _set_aside(inbound, InboundState.REJECTED, InboundKind.MALFORMED, "no sender")
    kind = message.get("type", "")
    text, files = "", []
    if kind == "text":
        text = (message.get("text") or {}).get("body", "")
    elif kind in WHATSAPP_MEDIA:
        medium = message.get(kind) or {}
        text = medium.get("caption", "")
        limit = settings.COMPLAINT_MAX_ATTACHMENT_MB * 1024 * 1024
        name = medium.get("filename") or f"whatsapp-{kind}"
        try:
            payload, _type = meta.whatsapp_media(office, medium.get("id", ""), max_bytes=limit)
            files.append((name, medium.get("mime_type", ""), payload))
        except meta.MetaError as exc:
            if exc.retryable:
                raise  # try again later: the media id lives 7 days
            text = (text + "\n\n" if text else "") + _(
                "[The file %(name)s could not be received: %(reason)s]"
            ) % {"name": name, "reason": exc.message}
    elif kind == "button":
        text = (message.get("button") or {}).get("text", "")
    elif kind == "interactive":
        reply = message.get("interactive") or {}
        text = (reply.get("button_reply") or reply.get("list_reply") or {}).get("title", "")
    elif kind == "reaction":
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.EMPTY)
    else:
        text = _("[A %(kind)s message: this type cannot be shown here; ask for text.]") % {
            "kind": kind or "?"
        }
    if not text.strip() and not files:
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.EMPTY)
    contact = Contact.get_or_create_for(office, Medium.WHATSAPP, sender, name=profile_name)
    complaint = _complaint_by_code(office, mail.find_tracking_code(text))
    conversation = None if complaint else _open_conversation(contact)
    if conversation is not None and conversation.complaint_id:
        complaint = conversation.complaint
    _land(
        inbound,
        contact=contact,
        text=text,
        files=files,
        complaint=complaint,
        conversation=conversation,
        external_id=inbound.external_id,
    )


def _open_conversation(contact):
    """The sender's latest conversation still open: an unfinished complaint or an inbox item."""
    for conversation in (
        Conversation.objects.filter(contact=contact)
        .select_related("complaint")
        .order_by("-last_message_at", "-id")[:5]
    ):
        if conversation.complaint_id:
            if conversation.complaint.status not in FINISHED:
                return conversation
        elif conversation.status == ConversationStatus.OPEN:
            return conversation
    return None


# Instagram --------------------------------------------------------------------------------


def _process_instagram(inbound, *, as_person=False):
    office = inbound.office
    event = json.loads(inbound.raw)
    message = event.get("message") or {}
    sender = (event.get("sender") or {}).get("id", "")
    if not sender:
        return _set_aside(inbound, InboundState.REJECTED, InboundKind.MALFORMED, "no sender")
    if message.get("is_deleted"):
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.EMPTY)
    text = message.get("text", "")
    files = []
    limit = settings.COMPLAINT_MAX_ATTACHMENT_MB * 1024 * 1024
    for number, attachment in enumerate(message.get("attachments") or [], start=1):
        url = (attachment.get("payload") or {}).get("url", "")
        kind = attachment.get("type", "file")
        if kind not in ("image", "file") or not url:
            text += "\n" + _("[A %(kind)s attachment: this type cannot be kept.]") % {"kind": kind}
            continue
        try:
            files.append(
                (f"instagram-{number}", "", meta.instagram_media(office, url, max_bytes=limit))
            )
        except meta.MetaError as exc:
            if exc.retryable:
                raise
            text += "\n" + _("[An attachment could not be received: %(reason)s]") % {
                "reason": exc.message
            }
    if message.get("is_unsupported") and not text:
        text = _("[A message type Instagram does not pass on; ask for text.]")
    text = text.strip()
    if not text and not files:
        return _set_aside(inbound, InboundState.IGNORED, InboundKind.EMPTY)
    contact = Contact.get_or_create_for(office, Medium.INSTAGRAM, sender)
    complaint = _complaint_by_code(office, mail.find_tracking_code(text))
    conversation = None if complaint else _open_conversation(contact)
    if conversation is not None and conversation.complaint_id:
        complaint = conversation.complaint
    _land(
        inbound,
        contact=contact,
        text=text,
        files=files,
        complaint=complaint,
        conversation=conversation,
        external_id=inbound.external_id,
    )


# Landing ----------------------------------------------------------------------------------


def _land(inbound, *, contact, text, files, complaint, conversation, external_id, subject=""):
    office = inbound.office
    now = timezone.now()
    Contact.objects.filter(pk=contact.pk).update(last_inbound_at=now)
    contact.last_inbound_at = now
    accepted, refused = _checked_attachments(files)
    body = text.strip() or PLACEHOLDER

    if complaint is not None:
        if conversation is None or conversation.complaint_id != complaint.pk:
            conversation = _conversation_for(contact, complaint=complaint, subject=subject)
        _record_in(conversation, contact, body, subject, external_id)
        complaint.receive_reply(body=body, attachments=accepted)
        _note_refused(complaint, refused)
        _reopen(conversation)
        inbound.kind = InboundKind.REPLY
    elif conversation is not None:
        message = _record_in(conversation, contact, body, subject, external_id)
        _attach(message, accepted)
        _note_refused_message(message, refused)
        _reopen(conversation)
        inbound.kind = InboundKind.INBOX
    else:
        channel_settings = ChannelSettings.for_office(office)
        conversation = Conversation.objects.create(
            office=office, contact=contact, medium=contact.medium, subject=subject[:200]
        )
        message = _record_in(conversation, contact, body, subject, external_id)
        if channel_settings.route(contact.medium) == Route.COMPLAINT:
            complaint = _new_complaint(conversation, contact, body, accepted, inbound)
            _note_refused(complaint, refused)
            inbound.kind = InboundKind.COMPLAINT
        else:
            _attach(message, accepted)
            _note_refused_message(message, refused)
            inbound.kind = InboundKind.INBOX
    inbound.message = conversation.messages.filter(direction=Direction.IN).last()
    inbound.state = InboundState.PROCESSED


def _conversation_for(contact, *, complaint, subject=""):
    conversation = (
        Conversation.objects.filter(contact=contact, complaint=complaint).order_by("-id").first()
    )
    if conversation is None:
        conversation = Conversation.objects.create(
            office=contact.office,
            contact=contact,
            medium=contact.medium,
            complaint=complaint,
            subject=subject[:200],
        )
    return conversation


def _record_in(conversation, contact, body, subject, external_id):
    message = Message.objects.create(
        office=conversation.office,
        contact=contact,
        conversation=conversation,
        direction=Direction.IN,
        state=MessageState.RECEIVED,
        subject=subject[:200],
        body=body,
        external_id=external_id[:255],
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    return message


def _reopen(conversation):
    if conversation.status != ConversationStatus.OPEN:
        Conversation.objects.filter(pk=conversation.pk).update(
            status=ConversationStatus.OPEN, closed_at=None, closed_by=None
        )


def _attach(message, accepted):
    for upload, content_type in accepted:
        MessageAttachment.objects.create(
            message=message,
            file=upload,
            original_name=upload.name[-200:],
            content_type=content_type,
            size=upload.size,
        )


def _note_refused(complaint, refused):
    if refused:
        complaint.add_note(
            by=None,
            body=_("Attachments not accepted: %(list)s") % {"list": "; ".join(refused)},
        )


def _note_refused_message(message, refused):
    if refused:
        message.body += (
            "\n\n[" + _("Attachments not accepted: %(list)s") % {"list": "; ".join(refused)} + "]"
        )
        message.save(update_fields=["body"])


def _new_complaint(conversation, contact, body, accepted, inbound):
    contact_fields = {}
    if contact.medium == Medium.EMAIL:
        contact_fields["contact_email"] = contact.address
    elif contact.medium == Medium.WHATSAPP:
        contact_fields["contact_whatsapp"] = "+" + contact.address
    token = current_conversation.set(conversation)
    try:
        complaint = complaint_services.submit_complaint(
            office=conversation.office,
            channel=conversation.register_channel,
            description=body,
            received_at=inbound.received_at,
            contact_name=contact.name,
            language=contact.language,
            attachments=accepted,
            **contact_fields,
        )
    finally:
        current_conversation.reset(token)
    conversation.complaint = complaint
    conversation.save(update_fields=["complaint"])
    return complaint


HANDLERS = {
    Medium.EMAIL: _process_email,
    Medium.WHATSAPP: _process_whatsapp,
    Medium.INSTAGRAM: _process_instagram,
}
