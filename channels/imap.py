"""The office mailbox over IMAP (imap-tools), with timeouts; UIDs only, never sequence numbers.

``open_mailbox`` logs in with the office's settings and the password from the environment
(``MAILBOX_PASSWORD_<code>`` or ``..._FILE``). ``list_messages`` gives the UID and size of
each message in the folder (headers only, nothing marked as seen), ``fetch_raw`` the
exact bytes of one message, and ``move_done`` moves processed messages to the done
folder with ``UID MOVE`` (or copy + flag, without expunging anyone else's mail).
"""

import contextlib
import imaplib
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings
from imap_tools import A, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage
from imap_tools.errors import MailboxLoginError, UnexpectedCommandStatusError

from .choices import MailSecurity

# Network and protocol failures that mean "the mailbox cannot be read now".
MAILBOX_ERRORS = (
    OSError,
    socket.timeout,
    ssl.SSLError,
    imaplib.IMAP4.error,
    MailboxLoginError,
    UnexpectedCommandStatusError,
)


class MailboxUnavailable(Exception):
    """The mailbox cannot be reached or read; the message is safe to show to an officer."""


class RawMailMessage(MailMessage):
    """imap-tools' message that also keeps the bytes exactly as the server sent them."""

    def __init__(self, fetch_data):
        super().__init__(fetch_data)
        raw, _uid, _flags = self._get_message_data_parts(fetch_data)
        self.raw = raw


@dataclass
class Listed:
    uid: str
    size: int
    message_id: str


def open_mailbox(channel_settings):
    """A logged-in mailbox on the folder to read (use as a context manager)."""
    timeout = settings.CHANNELS_MAILBOX_TIMEOUT
    host, port = channel_settings.imap_host, channel_settings.imap_port
    try:
        if channel_settings.imap_security == MailSecurity.SSL:
            mailbox = MailBox(host, port, timeout=timeout, ssl_context=ssl.create_default_context())
        elif channel_settings.imap_security == MailSecurity.STARTTLS:
            mailbox = MailBoxStartTls(
                host, port, timeout=timeout, ssl_context=ssl.create_default_context()
            )
        else:
            mailbox = MailBoxUnencrypted(host, port, timeout=timeout)
    except MAILBOX_ERRORS as exc:
        raise MailboxUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc
    mailbox.email_message_class = RawMailMessage
    try:
        mailbox.login(
            channel_settings.imap_user,
            channel_settings.imap_password(),
            initial_folder=channel_settings.imap_folder,
        )
        _refresh_capabilities(mailbox)
    except MailboxLoginError as exc:
        _close(mailbox)
        raise MailboxUnavailable("login refused (user name or password)") from exc
    except MAILBOX_ERRORS as exc:
        _close(mailbox)
        raise MailboxUnavailable(f"{type(exc).__name__}: {exc}"[:300]) from exc
    return mailbox


def _close(mailbox):
    with contextlib.suppress(OSError):
        mailbox.client.shutdown()


def _refresh_capabilities(mailbox):
    """Servers announce MOVE and UIDPLUS only after login; imaplib keeps the greeting's list."""
    typ, data = mailbox.client.capability()
    if typ == "OK" and data and data[-1]:
        mailbox.client.capabilities = tuple(data[-1].decode().upper().split())


def uidvalidity(mailbox, folder):
    return int(mailbox.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])


def list_messages(mailbox, *, limit):
    """UID, size and Message-ID of up to ``limit`` messages, oldest first (nothing marked seen)."""
    listed = []
    for message in mailbox.fetch(
        A(all=True), mark_seen=False, headers_only=True, limit=limit, bulk=True
    ):
        message_ids = message.headers.get("message-id", ("",))
        listed.append(
            Listed(
                uid=message.uid,
                size=message.size_rfc822,
                message_id=" ".join(message_ids[0].split()) if message_ids else "",
            )
        )
    return listed


def fetch_raw(mailbox, uid):
    """The message with this UID exactly as stored, or None when it is gone (another poller)."""
    for message in mailbox.fetch(A(uid=uid), mark_seen=False, limit=1):
        if message.uid == uid:
            return message.raw
    return None


def ensure_folder(mailbox, folder):
    if not mailbox.folder.exists(folder):
        try:
            mailbox.folder.create(folder)
        except UnexpectedCommandStatusError:
            if not mailbox.folder.exists(folder):  # created by another poller meanwhile
                raise


def move_done(mailbox, uids, folder):
    """Move processed messages out of the folder read into ``folder`` (never deleted).

    ``UID MOVE`` (RFC 6851) where the server has it; otherwise copy, flag ``\\Deleted`` and
    ``UID EXPUNGE`` (UIDPLUS) those UIDs only: a plain EXPUNGE would also remove mail
    another client had flagged.
    """
    if not uids:
        return
    capabilities = mailbox.client.capabilities
    if "MOVE" in capabilities:
        mailbox.move(uids, folder)
        return
    uid_set = ",".join(uids)
    mailbox.client.uid("COPY", uid_set, folder)
    mailbox.client.uid("STORE", uid_set, "+FLAGS", "(\\Deleted \\Seen)")
    if "UIDPLUS" in capabilities:
        mailbox.client.uid("EXPUNGE", uid_set)
