"""What Meta posts to the webhook: WhatsApp messages and statuses, Instagram direct messages.

Payload shapes (Meta's documentation): WhatsApp under ``object: whatsapp_business_account``,
``entry[].changes[].value`` with ``metadata.phone_number_id``, ``contacts[]``,
``messages[]`` and ``statuses[]``; Instagram under ``object: instagram``,
``entry[].messaging[]`` (or ``entry[].changes[].value`` for Instagram Login apps) with
``sender``, ``recipient`` and ``message`` (``mid``, ``text``, ``attachments``, ``is_echo``).

Messages are stored once each (wamid / mid are unique) and processed by a worker after the
answer; statuses are applied at once (one small update each). The webhook must answer
quickly, and delivery is at least once: a replay changes nothing.
"""

import datetime
import json
import logging

from django.utils import timezone

from . import intake, outbound
from .choices import InboundKind, InboundState, Medium
from .models import ChannelSettings

logger = logging.getLogger(__name__)


def _when(timestamp):
    try:
        return datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def receive(payload):
    """Store and apply one webhook payload; returns counts for the answer and the tests."""
    counts = {"messages": 0, "duplicates": 0, "statuses": 0, "unknown": 0}
    if not isinstance(payload, dict):
        return counts
    kind = payload.get("object")
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        if kind == "whatsapp_business_account":
            for change in entry.get("changes") or []:
                if change.get("field") == "messages":
                    _whatsapp(change.get("value") or {}, counts)
        elif kind == "instagram":
            events = list(entry.get("messaging") or [])
            events += [
                change.get("value") or {}
                for change in entry.get("changes") or []
                if change.get("field") == "messages"
            ]
            for event in events:
                _instagram(str(entry.get("id", "")), event, counts)
    return counts


def _store(medium, office, external_id, data, counts, *, received_at):
    if not external_id:
        return
    if office is None:
        # A number or account no office has connected: acknowledged (Meta would retry for
        # days otherwise), recorded without its content, never processed.
        stored = intake.store(
            office=None,
            medium=medium,
            external_id=external_id,
            state=InboundState.IGNORED,
            kind=InboundKind.UNKNOWN_NUMBER,
            received_at=received_at,
        )
        counts["unknown"] += 1
        if stored:
            logger.warning("channels: %s message for an unknown number or account", medium)
        return
    inbound = intake.store(
        office=office,
        medium=medium,
        external_id=external_id,
        raw=json.dumps(data, ensure_ascii=False).encode(),
        received_at=received_at,
    )
    if inbound is None:
        counts["duplicates"] += 1
        return
    counts["messages"] += 1
    intake.enqueue_processing(inbound)


def _whatsapp(value, counts):
    phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
    row = (
        ChannelSettings.objects.select_related("office")
        .filter(whatsapp_phone_number_id=phone_number_id)
        .exclude(whatsapp_phone_number_id="")
        .first()
    )
    office = row.office if row else None
    contacts = {c.get("wa_id"): c for c in value.get("contacts") or [] if isinstance(c, dict)}
    for message in value.get("messages") or []:
        if not isinstance(message, dict):
            continue
        data = {
            "message": message,
            "contact": contacts.get(message.get("from")) or {},
            "phone_number_id": phone_number_id,
        }
        _store(
            Medium.WHATSAPP,
            office,
            str(message.get("id", "")),
            data,
            counts,
            received_at=_when(message.get("timestamp")),
        )
    for status in value.get("statuses") or []:
        if not isinstance(status, dict):
            continue
        errors = status.get("errors") or [{}]
        applied = outbound.record_status(
            str(status.get("id", "")),
            str(status.get("status", "")),
            at=_when(status.get("timestamp")),
            error_code=str(errors[0].get("code", "")),
            error_text=str(errors[0].get("title") or errors[0].get("message") or ""),
        )
        counts["statuses"] += 1 if applied else 0
    for error in value.get("errors") or []:
        logger.warning("channels: WhatsApp reports error %s", (error or {}).get("code"))


def _instagram(account_id, event, counts):
    if not isinstance(event, dict):
        return
    recipient = str((event.get("recipient") or {}).get("id", "")) or account_id
    row = (
        ChannelSettings.objects.select_related("office")
        .filter(instagram_account_id__in=[recipient, account_id])
        .exclude(instagram_account_id="")
        .first()
    )
    office = row.office if row else None
    if "read" in event:  # messaging_seen: the person read our messages
        mid = str((event.get("read") or {}).get("mid", ""))
        if mid and outbound.record_status(mid, "read", at=_when(event.get("timestamp"))):
            counts["statuses"] += 1
        return
    message = event.get("message")
    if not isinstance(message, dict) or message.get("is_echo"):
        return  # our own message coming back, or not a message (reactions, postbacks)
    timestamp = event.get("timestamp")
    if isinstance(timestamp, int) and timestamp > 10**11:
        timestamp //= 1000  # Instagram sends milliseconds
    _store(
        Medium.INSTAGRAM,
        office,
        str(message.get("mid", "")),
        event,
        counts,
        received_at=_when(timestamp),
    )
