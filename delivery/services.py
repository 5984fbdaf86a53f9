"""Reading, downloading and tracing stamped copies."""

import datetime
import logging
import tempfile

from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.choices import Role
from catalog.choices import AccessLevel, EventAction
from catalog.services import open_original
from core.errors import DomainError
from core.storage import StorageUnavailable, open_stream
from core.tasks import enqueue_email
from offices.time import local_time

from . import watermark
from .choices import Channel
from .models import DeliveredFile, DeliveryRecord, DownloadPolicy, PreparedCopy

logger = logging.getLogger(__name__)

TIMEZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


class DeliveryError(DomainError):
    """A copy cannot be given; the message is for the user (``status``: 403 unless said)."""

    status = 403


def check_access(publication, user, channel):
    """Raise DeliveryError unless ``user`` may receive ``publication`` through ``channel``."""
    if not publication.is_published or not publication.has_softcopy:
        raise DeliveryError(_("This publication has no softcopy to read or download."), status=404)
    if not user.is_authenticated:
        raise DeliveryError(_("Log in to read or download publications."), status=401)
    if not user.has_verified_email:
        raise DeliveryError(
            _(
                "Confirm your e-mail address first: open the link we sent you, or send it again "
                "from your account page."
            )
        )
    if channel == Channel.READ and publication.access_level == AccessLevel.ON_REQUEST:
        raise DeliveryError(_("This publication is available on request only."))
    if channel == Channel.DOWNLOAD and publication.access_level != AccessLevel.DOWNLOADABLE:
        if publication.access_level == AccessLevel.READ_ONLINE:
            raise DeliveryError(_("This publication can be read online but not downloaded."))
        raise DeliveryError(_("This publication is available on request only."))


def check_limits(publication, user, *, policy=None):
    policy = policy or DownloadPolicy.for_office(publication.office)
    now = timezone.now()
    counts = DeliveryRecord.objects.downloads_since(
        user, now - datetime.timedelta(days=1)
    ).aggregate(
        day=Count("pk"),
        hour=Count("pk", filter=Q(created_at__gte=now - datetime.timedelta(hours=1))),
    )
    if counts["hour"] >= policy.downloads_per_hour:
        raise DeliveryError(
            _("You have reached the limit of %(count)d downloads per hour. Please try again later.")
            % {"count": policy.downloads_per_hour},
            status=429,
        )
    if counts["day"] >= policy.downloads_per_day:
        raise DeliveryError(
            _(
                "You have reached the limit of %(count)d downloads per day. Please try again tomorrow."
            )
            % {"count": policy.downloads_per_day},
            status=429,
        )


def _current(copy, publication, policy):
    """True when ``copy`` was prepared from the publication's PDF as the office now wants."""
    if copy is None or copy.source_name != publication.original_pdf.name:
        return False
    plan = copy.plan
    if plan.get("version", 1) != watermark.PLAN_VERSION:
        return False  # prepared before stamps followed the page geometry: prepare again
    restricted = plan.get("restrictions") is not None
    return not restricted or plan.get("keep_permissions") == policy.keep_pdf_permissions


def ensure_prepared(publication, *, policy=None):
    """The publication's prepared copy, made now if missing or stale.

    Raises DeliveryError (and alerts the office's officers) when the original is damaged.
    """
    policy = policy or DownloadPolicy.for_office(publication.office)
    existing = PreparedCopy.objects.filter(publication=publication).first()
    if _current(existing, publication, policy):
        return existing
    failure = None
    with transaction.atomic():
        # One preparation at a time per publication; the second caller finds it done.
        type(publication).objects.select_for_update().filter(pk=publication.pk).get()
        existing = PreparedCopy.objects.filter(publication=publication).first()
        if _current(existing, publication, policy):
            return existing
        try:
            existing = _prepare(publication, policy)
        except StorageUnavailable:
            raise  # the store is down, the original is fine: no alert (ops middleware: 503)
        except (watermark.WatermarkError, OSError) as exc:
            failure = exc
    if failure is not None:
        _alert_officers(publication, str(failure))
        raise DeliveryError(
            _(
                "This publication cannot be delivered right now. The officers have been told "
                "and will fix it; please try again later."
            ),
            status=503,
        ) from failure
    return existing


def _prepare(publication, policy):
    with tempfile.TemporaryDirectory() as folder:
        original = f"{folder}/original.pdf"
        prepared = f"{folder}/prepared.pdf"
        with open_original(publication) as source, open(original, "wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                target.write(chunk)
        plan = watermark.prepare(original, prepared, keep_permissions=policy.keep_pdf_permissions)
        name = f"delivery/prepared/{publication.office.code}/{publication.pk}.pdf"
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(prepared, "rb") as handle:
            stored = default_storage.save(name, File(handle))
    copy, _created = PreparedCopy.objects.update_or_create(
        publication=publication,
        defaults={
            "source_name": publication.original_pdf.name,
            "file": stored,
            "plan": plan,
            "size": plan["size"],
            "prepared_at": timezone.now(),
            "notes": "\n".join(plan["notes"]),
        },
    )
    publication.log(
        EventAction.COPIES_PREPARED,
        note=" ".join(plan["notes"]) or _("%(pages)d pages.") % {"pages": plan["pages"]},
    )
    return copy


def _alert_officers(publication, reason):
    logger.error("delivery: cannot prepare publication %s: %s", publication.pk, reason)
    key = f"delivery-alert-{publication.pk}"
    if not cache.add(key, True, timeout=6 * 3600):
        return
    officers = publication.office.memberships.filter(role__in=[Role.OFFICER, Role.SUPERVISOR])
    recipients = sorted({m.user.email for m in officers.select_related("user")})
    if not recipients:
        return
    with override("id"):
        message = EmailMessage(
            subject=_("[PST] A publication's PDF cannot be delivered"),
            body=_(
                "The softcopy of %(title)s (id %(id)s) could not be prepared for "
                "readers: %(reason)s.\nPlease upload the PDF again in the back office."
            )
            % {"title": publication.title, "id": publication.pk, "reason": reason},
            to=recipients,
        )
    enqueue_email(message)


def start_delivery(publication, user, channel, *, request=None, by=None):
    """Check the rules and record a copy leaving the server; return the record."""
    if channel != Channel.DELIVERED:
        check_access(publication, user, channel)
    # Read once for this request: the limits, the preparation and the stamp's notice.
    policy = DownloadPolicy.for_office(publication.office)
    if channel == Channel.DOWNLOAD:
        check_limits(publication, user, policy=policy)
    publication.prepared_copy = ensure_prepared(publication, policy=policy)
    meta = request.META if request is not None else {}
    record = DeliveryRecord.objects.create(
        user=user,
        publication=publication,
        office=publication.office,
        channel=channel,
        ip_address=meta.get("REMOTE_ADDR") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        delivered_by=by,
    )
    record.policy = policy
    return record


def prepare_delivered_file(office, pdf_path, *, title, name):
    """Prepare an officer's file (a PDF on disk) for stamped delivery; store it as ``name``.

    Raises watermark.WatermarkError for a PDF that cannot be prepared.
    """
    policy = DownloadPolicy.for_office(office)
    with tempfile.TemporaryDirectory() as folder:
        prepared = f"{folder}/prepared.pdf"
        plan = watermark.prepare(pdf_path, prepared, keep_permissions=policy.keep_pdf_permissions)
        with open(prepared, "rb") as handle:
            stored = default_storage.save(name, File(handle))
    return DeliveredFile.objects.create(
        office=office,
        title=title[:300],
        file=stored,
        plan=plan,
        size=plan["size"],
        page_count=plan["pages"],
    )


def start_file_delivery(delivered_file, user, *, publication=None, request=None, by=None):
    """Record one download of an officer's delivered file (channel "delivered")."""
    meta = request.META if request is not None else {}
    return DeliveryRecord.objects.create(
        user=user,
        publication=publication,
        delivered_file=delivered_file,
        office=delivered_file.office,
        channel=Channel.DELIVERED,
        ip_address=meta.get("REMOTE_ADDR") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
        delivered_by=by,
    )


def stamp_fields(record):
    office = record.office
    local = local_time(office, record.created_at)
    zone = TIMEZONE_LABELS.get(office.timezone, office.timezone)
    verb = {
        Channel.READ: "Dibaca oleh",
        Channel.DOWNLOAD: "Diunduh oleh",
        Channel.DELIVERED: "Dikirim kepada",
    }[record.channel]
    user = record.user
    website = office.website.replace("https://", "").replace("http://", "")
    # Long names and addresses are shortened so the trace code always fits the line.
    name, email = _short(user.full_name or user.email, 50), _short(user.email, 80)
    line1 = (
        f"{verb} {name} <{email}> | {local:%d/%m/%Y %H:%M} {zone} | "
        f"Kode jejak {record.trace_code} | {website}"
    )
    policy = getattr(record, "policy", None) or DownloadPolicy.for_office(office)
    return watermark.StampFields(
        line1=line1, line2=policy.copyright_notice, trace_code=record.trace_code
    )


def _short(text, length):
    return text if len(text) <= length else text[: length - 1] + "…"


def copy_size(record):
    return record.prepared.size


def stream_copy(record, *, start=0, end=None):
    """The bytes of this record's stamped copy; counts what was actually sent.

    The stored copy is checked before the response starts, so an unreachable object store
    fails the request cleanly (StorageUnavailable: a 503 page) instead of cutting a 200
    short. From S3 the copy is read by ranges, one chunk at a time (core.storage.open_stream).
    """
    prepared = record.prepared
    open_stream(prepared.file.name).close()
    return _stamped(record, prepared, start=start, end=end)


def _stamped(record, prepared, *, start, end):
    fields = stamp_fields(record)
    expected = (prepared.size if end is None else min(end, prepared.size)) - start
    sent = 0
    counted = False
    try:
        with open_stream(prepared.file.name) as handle:
            for chunk in watermark.stamped_chunks(
                handle, prepared.plan, fields, start=start, end=end
            ):
                sent += len(chunk)
                if sent >= expected:
                    # Count before the last chunk leaves: a server stopped right after
                    # sending it would never run the ``finally`` below.
                    _count_bytes(record, sent)
                    counted = True
                yield chunk
    finally:
        if sent and not counted:
            _count_bytes(record, sent)


def _count_bytes(record, sent):
    DeliveryRecord.objects.filter(pk=record.pk).update(bytes_served=F("bytes_served") + sent)


def trace_file(path, *, office=None):
    """The delivery records behind a PDF's trace codes (empty when there is none)."""
    codes = watermark.find_trace_codes(path)
    records = DeliveryRecord.objects.filter(trace_code__in=codes).select_related(
        "user", "publication", "delivered_file", "office"
    )
    if office is not None:
        records = records.filter(office=office)
    return codes, list(records)
