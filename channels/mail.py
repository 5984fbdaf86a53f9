"""Reading an e-mail as received and writing a threaded answer (Python's ``email`` package).

``parse`` turns raw bytes into what intake needs: who wrote, the text (an HTML-only mail is
reduced to text: scripts, styles and markup dropped), the attachments, the thread
references, and whether it is automatic mail that must never become a complaint:
a delivery report (bounce, RFC 3464), an automatic reply (RFC 3834 ``Auto-Submitted``,
``X-Autoreply``, an empty ``Return-Path``) or list/bulk mail (``List-Id``,
``List-Unsubscribe``, ``Precedence``).
"""

import email
import email.policy
import email.utils
import re
import uuid
from dataclasses import dataclass, field

from bs4 import BeautifulSoup

from .choices import InboundKind

# A complaint's tracking code (complaints.models: 10 symbols from 31, shown as XXXX-XXXX-XX).
CODE_RE = re.compile(
    r"(?<![0-9A-Za-z])([2-9A-HJKMNP-Za-hjkmnp-z]{4})[\s\-]?([2-9A-HJKMNP-Za-hjkmnp-z]{4})"
    r"[\s\-]?([2-9A-HJKMNP-Za-hjkmnp-z]{2})(?![0-9A-Za-z])"
)
MESSAGE_ID_RE = re.compile(r"<[^<>\s]+>")
# Where a quoted earlier message starts in a reply (clients in Indonesian and English).
QUOTE_MARKERS = re.compile(
    r"^(On .+ wrote:|Pada .+ menulis:|-{2,}\s*(Original Message|Pesan Asli)\s*-{2,}|"
    r"From: .+|Dari: .+)\s*$",
    re.IGNORECASE,
)
DROP_TAGS = ("script", "style", "head", "template", "noscript", "iframe", "object", "svg")
# Paragraph-like elements end with a blank line, line-like ones with a line break.
PARAGRAPH_TAGS = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol")
LINE_TAGS = ("br", "li", "tr")


@dataclass
class ParsedMail:
    message_id: str = ""
    subject: str = ""
    from_address: str = ""
    from_name: str = ""
    text: str = ""
    in_reply_to: str = ""
    references: list = field(default_factory=list)
    attachments: list = field(default_factory=list)  # (filename, content_type, payload)
    automatic: str = ""  # an InboundKind when the mail must not become a complaint
    bounced_ids: list = field(default_factory=list)  # Message-IDs a bounce reports on
    bounce_status: str = ""

    @property
    def thread_ids(self):
        ids = list(self.references)
        if self.in_reply_to and self.in_reply_to not in ids:
            ids.append(self.in_reply_to)
        return ids


class MalformedMail(Exception):
    pass


def _header(message, name):
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, AttributeError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def html_to_text(html):
    """Visible text of an HTML body: no scripts, styles or markup, paragraphs kept."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(PARAGRAPH_TAGS):
        tag.insert_after("\n\n")
    for tag in soup.find_all(LINE_TAGS):
        tag.insert_after("\n")
    text = soup.get_text()
    return tidy(text)


def tidy(text):
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def strip_quoted(text):
    """A reply without the quoted earlier messages (``>`` lines and what follows a marker)."""
    kept = []
    for line in text.split("\n"):
        if QUOTE_MARKERS.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    stripped = tidy("\n".join(kept))
    return stripped or text


def find_tracking_code(*texts):
    """The first candidate tracking code in the texts, normalised (``K7QX-94MT-PR``), or ''."""
    for text in texts:
        for match in CODE_RE.finditer(text or ""):
            code = "".join(match.groups()).upper()
            if any(ch.isdigit() for ch in code) and any(ch.isalpha() for ch in code):
                return f"{code[:4]}-{code[4:8]}-{code[8:]}"
    return ""


def _message_ids(value):
    return MESSAGE_ID_RE.findall(value or "")


def _classify(message):
    content_type = message.get_content_type()
    params = dict(message.get_params() or [])
    if content_type == "multipart/report" and params.get("report-type", "").lower() in (
        "delivery-status",
        "disposition-notification",
    ):
        return InboundKind.BOUNCE
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return InboundKind.AUTO_REPLY
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond"):
        return InboundKind.AUTO_REPLY
    if _header(message, "Return-Path").replace(" ", "") == "<>":
        return InboundKind.AUTO_REPLY
    if _header(message, "List-Id") or _header(message, "List-Unsubscribe"):
        return InboundKind.LIST
    if _header(message, "Precedence").lower() in ("bulk", "junk", "list"):
        return InboundKind.LIST
    return ""


def _bounce_details(message):
    """The Message-IDs of the original messages a DSN reports on, and its Status."""
    ids, status = [], ""
    for part in message.walk():
        part_type = part.get_content_type()
        if part_type == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else []
            for block in blocks:
                if not status and block.get("Status"):
                    status = f"{block.get('Action', '')} {block.get('Status')}".strip()
        elif part_type in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            if isinstance(payload, list) and payload:
                ids.extend(_message_ids(payload[0].get("Message-ID", "")))
            elif isinstance(payload, str):
                match = re.search(r"^Message-ID:\s*(<[^>]+>)", payload, re.I | re.M)
                if match:
                    ids.append(match.group(1))
    return ids, status


def _text_of(message):
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except (KeyError, LookupError, AttributeError):
        body = None
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError, AttributeError, ValueError):
        raw = body.get_payload(decode=True) or b""
        content = raw.decode("utf-8", errors="replace")
    if body.get_content_type() == "text/html":
        return html_to_text(content)
    return tidy(content)


def _attachments(message):
    found = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename() or ""
        if disposition not in ("attachment", "inline") and not filename:
            continue
        if part.get_content_maintype() == "text" and disposition != "attachment" and not filename:
            continue  # a body part
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        name = filename or f"lampiran-{len(found) + 1}"
        found.append((name[-200:], part.get_content_type(), payload))
    return found


def parse(raw):
    """A ``ParsedMail``; raises ``MalformedMail`` when the bytes are not a readable message."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except (ValueError, TypeError, IndexError, LookupError) as exc:
        raise MalformedMail(str(exc)) from exc
    from_header = _header(message, "From")
    if not from_header and not _header(message, "Subject") and not message.get_payload():
        raise MalformedMail("no headers")
    name, address = email.utils.parseaddr(from_header)
    if "@" not in address:
        address = ""
    parsed = ParsedMail(
        message_id=(_message_ids(_header(message, "Message-ID")) or [""])[0],
        subject=_header(message, "Subject")[:200],
        from_address=address.strip().lower(),
        from_name=name.strip()[:150],
        in_reply_to=(_message_ids(_header(message, "In-Reply-To")) or [""])[0],
        references=_message_ids(_header(message, "References")),
        automatic=_classify(message),
    )
    try:
        parsed.text = _text_of(message)
        parsed.attachments = _attachments(message)
    except (ValueError, TypeError, LookupError, AttributeError) as exc:
        raise MalformedMail(str(exc)) from exc
    if parsed.automatic == InboundKind.BOUNCE:
        parsed.bounced_ids, parsed.bounce_status = _bounce_details(message)
    return parsed


def new_message_id(domain):
    return f"<pst.{uuid.uuid4().hex}@{domain}>"


def reply_subject(subject, code):
    """The subject of an answer: carries the tracking code (so a reply finds the complaint)."""
    subject = " ".join((subject or "").split())
    if code and code not in subject:
        subject = f"{subject} [{code}]" if subject else f"[{code}]"
    return subject[:200]
