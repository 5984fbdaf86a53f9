"""Reading the office mailboxes: each message is stored once, then moved out of the folder.

Order matters for "nothing lost, nothing twice": a message is first stored (its raw bytes,
encrypted, under its Message-ID), and only then moved to the done folder. If the move
fails, the next poll finds it again, the store says "already have it", and it is moved.
Two pollers at once both try to store the same Message-ID; the unique constraint lets one
win, and only the winner moves it (a MOVE of the same message by two sessions at once
could leave two copies in the done folder); a copy stored before this poll began is a
leftover of a failed move and is moved now. A message larger than ``CHANNELS_MAX_MAIL_MB`` is recorded as
refused (headers only) and moved like the others, so it stays in the mailbox for the
officer and does not block the folder.
"""

import logging
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from imap_tools import A
from imap_tools.errors import UnexpectedCommandStatusError

from offices.models import Office

from . import imap, intake
from .choices import InboundKind, InboundState, Medium
from .mail import MESSAGE_ID_RE
from .models import ChannelSettings, InboundMessage

logger = logging.getLogger(__name__)

MB = 1024 * 1024


@dataclass
class PollResult:
    office: str
    listed: int = 0
    stored: list = field(default_factory=list)
    duplicates: int = 0
    too_large: int = 0
    moved: int = 0
    error: str = ""

    def as_dict(self):
        return asdict(self)


def poll_all():
    """Poll every active office that has a mailbox configured."""
    results = []
    for channel_settings in ChannelSettings.objects.filter(office__is_active=True).exclude(
        imap_host=""
    ):
        results.append(poll_office(channel_settings.office_id))
    return results


@task()
def poll_mailbox(*, office_id):
    """Read an office's mailbox now (the "check now" button; poll_mailboxes does the same)."""
    return poll_office(office_id).as_dict()


def poll_office(office_id, *, process=True):
    """Store the new messages of the office's mailbox and hand each to a processing job."""
    office = Office.objects.get(pk=office_id)
    channel_settings = ChannelSettings.for_office(office)
    result = PollResult(office=office.code)
    if not channel_settings.mailbox_configured:
        result.error = "not configured"
        return result
    try:
        with imap.open_mailbox(channel_settings) as mailbox:
            _poll(mailbox, channel_settings, result)
    except imap.MailboxUnavailable as exc:
        result.error = str(exc)
    except imap.MAILBOX_ERRORS as exc:
        result.error = f"{type(exc).__name__}: {exc}"[:300]
    now = timezone.now()
    updates = {"last_poll_at": now, "last_poll_error": result.error[:300]}
    if not result.error:
        updates.update(last_poll_ok_at=now, last_poll_count=len(result.stored))
    ChannelSettings.objects.filter(pk=channel_settings.pk).update(**updates)
    if result.error:
        logger.warning("channels: mailbox of %s unavailable: %s", office.code, result.error)
    if process:
        for pk in result.stored:
            intake.process_inbound.enqueue(inbound_id=pk)
    return result


def _poll(mailbox, channel_settings, result):
    office = channel_settings.office
    folder, done_folder = channel_settings.imap_folder, channel_settings.imap_done_folder
    validity = imap.uidvalidity(mailbox, folder)
    imap.ensure_folder(mailbox, done_folder)
    limit = settings.CHANNELS_MAX_MAIL_MB * MB
    started = timezone.now()
    done = []
    listed = imap.list_messages(mailbox, limit=settings.CHANNELS_POLL_BATCH)
    result.listed = len(listed)
    for item in listed:
        message_id = (MESSAGE_ID_RE.findall(item.message_id) or [""])[0]
        common = {
            "office": office,
            "medium": Medium.EMAIL,
            "mailbox_uid": item.uid,
            "mailbox_uidvalidity": validity,
        }
        if item.size > limit:
            inbound = intake.store(
                external_id=message_id or f"too-large:{validity}:{item.uid}",
                state=InboundState.REJECTED,
                kind=InboundKind.TOO_LARGE,
                raw_size=item.size,
                error=f"{item.size // MB} MB > {settings.CHANNELS_MAX_MAIL_MB} MB",
                **common,
            )
            if inbound is not None:
                result.too_large += 1
                done.append(item.uid)
            elif _leftover(office, message_id or f"too-large:{validity}:{item.uid}", started):
                done.append(item.uid)
            continue
        raw = imap.fetch_raw(mailbox, item.uid)
        if raw is None:
            continue  # moved away meanwhile (another poller)
        key = intake.email_key(raw, message_id)
        inbound = intake.store(external_id=key, raw=raw, **common)
        if inbound is not None:
            result.stored.append(inbound.pk)
            done.append(item.uid)
            continue
        result.duplicates += 1
        if _leftover(office, key, started):
            done.append(item.uid)
    _move(mailbox, done, done_folder)
    result.moved = len(done)


def _leftover(office, key, started):
    """A copy stored before this poll began (its move failed): move it now. One stored
    during this poll belongs to another poller at work, which moves it itself."""
    return InboundMessage.objects.filter(
        office=office, medium=Medium.EMAIL, external_id=key[:255], received_at__lt=started
    ).exists()


def _move(mailbox, uids, folder):
    try:
        imap.move_done(mailbox, uids, folder)
    except UnexpectedCommandStatusError:
        # Another poller moved some of them first: move what is still here.
        remaining = set(mailbox.uids(A(uid=",".join(uids)))) if uids else set()
        imap.move_done(mailbox, [uid for uid in uids if uid in remaining], folder)
