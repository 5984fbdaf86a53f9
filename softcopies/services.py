"""The flows of a softcopy request that cross models (STYLE.md 6).

Opening a request (a number, maybe a record on the visit), rejecting it (and telling the
user), delivering a file (built, prepared for stamping, counted on the visit) and the
requester's download. One request's own changes (assign, start, cancel, close) are its
transition methods (``models.SoftcopyRequest``). The user hears of what matters through
a ``Notification`` written in the same transaction and sent after commit.
"""

import datetime
import logging
import tempfile

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.transitions import lock
from delivery import services as delivery_services
from delivery import watermark
from offices.choices import Service
from offices.models import ServiceStandard
from offices.time import local_day
from offices.workdays import add_working_days
from visits.models import ServiceRecord

from . import files
from .choices import Action, Channel, Kind, Source, Status
from .models import Fulfilment, InternalNote, SoftcopyError, SoftcopyRequest, new_number
from .notify import notify_user

logger = logging.getLogger(__name__)

# Used when an office has no library service standard yet.
DEFAULT_TARGET_WORKING_DAYS = 3

__all__ = ["SoftcopyError", "create_request", "deliver", "reject", "start_download"]


def target_working_days(office):
    standard = ServiceStandard.objects.current_for(office, Service.LIBRARY)
    if standard is None:
        return DEFAULT_TARGET_WORKING_DAYS
    return standard.request_target_working_days


def due_date_for(office, received_at):
    """The due date: the office's target in working days after the local day of receipt."""
    return add_working_days(office, local_day(office, received_at), target_working_days(office))


def _record_on_visit(visit, *, officer, kind, quantity, item):
    """Count a service given during a visit in the visit's own record (visits.ServiceRecord)."""
    try:
        visit.record_service(by=officer, kind=kind, quantity=quantity, item=item[:250])
    except DomainError:
        # The service was given for this visit even if its clock is closed already.
        ServiceRecord.objects.create(
            visit=visit, kind=kind, quantity=quantity, item=item[:250], officer=officer
        )


def create_request(
    *,
    office,
    user,
    purpose,
    publication=None,
    description="",
    pages="",
    kind=Kind.SOFTCOPY,
    visit=None,
    by=None,
):
    """Open a request for ``user``: online (``by`` None) or taken by an officer on a visit."""
    if publication is None and not description.strip():
        raise SoftcopyError(
            _("Choose a publication or describe the material you need."), status=422
        )
    if by is None and not user.has_verified_email:
        raise SoftcopyError(
            _("Confirm your e-mail address before asking for a softcopy."), status=422
        )
    if publication is not None and publication.office_id != office.pk:
        raise SoftcopyError(_("This publication belongs to another office."), status=422)
    if visit is not None and (visit.office_id != office.pk or visit.visitor_id != user.pk):
        raise SoftcopyError(_("This visit is not the visitor's visit at this office."), status=422)
    if kind == Kind.SCAN and by is None:
        raise SoftcopyError(_("Scan jobs are logged by an officer on site."), status=422)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                softcopy_request = SoftcopyRequest.objects.create(
                    office=office,
                    number=new_number(office, now),
                    kind=kind,
                    channel=Channel.ON_SITE if by is not None else Channel.ONLINE,
                    user=user,
                    publication=publication,
                    description=description.strip(),
                    pages=pages.strip(),
                    purpose=purpose.strip(),
                    visit=visit,
                    created_by=by,
                    created_at=now,
                    due_date=due_date_for(office, now),
                )
                softcopy_request.log(Action.CREATED, actor=by or user)
                if visit is not None and kind == Kind.SOFTCOPY:
                    _record_on_visit(
                        visit,
                        officer=by,
                        kind="softcopy_request",
                        quantity=1,
                        item=f"{softcopy_request.number} {softcopy_request.subject}",
                    )
                if kind == Kind.SOFTCOPY:
                    notify_user(softcopy_request, "received")
            return softcopy_request
        except IntegrityError:
            # Two requests drew the same number: draw again.
            continue
    raise SoftcopyError(_("The request could not be numbered; please try again."), status=422)


def reject(softcopy_request, *, reason, by):
    """Ditolak: the request's transition, and the e-mail that tells the user why."""
    with transaction.atomic():
        softcopy_request.reject(reason=reason, by=by)
        notify_user(softcopy_request, "rejected")
    return softcopy_request


def add_note(softcopy_request, *, text, by):
    text = text.strip()
    if not text:
        raise SoftcopyError(_("The note is empty."))
    return InternalNote.objects.create(request=softcopy_request, author=by, text=text)


def deliver(softcopy_request, *, by, source, page_range="", uploads=()):
    """Build the file, prepare it for stamping and send it: → Terkirim, e-mail the user.

    ``source`` is Source.WHOLE or Source.PAGES (the request's catalogue PDF) or
    Source.UPLOAD (``uploads``: PDF/JPEG/PNG files in page order). Nothing is saved
    when the file cannot be made or the request is no longer open.
    """
    if not softcopy_request.can("deliver"):
        raise SoftcopyError(_("A closed, rejected or cancelled request cannot be delivered."))
    publication = softcopy_request.publication
    if source in (Source.WHOLE, Source.PAGES):
        if publication is None or not publication.has_softcopy:
            raise SoftcopyError(
                _("This request has no catalogue PDF to send; upload the scan instead.")
            )
    elif source != Source.UPLOAD:
        raise SoftcopyError(_("Choose what to send."))
    stored_name = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = f"{folder}/delivered.pdf"
            try:
                if source == Source.UPLOAD:
                    page_count = files.scans_pdf(list(uploads), path)
                else:
                    page_count = files.publication_pdf(
                        publication,
                        path,
                        page_range=page_range if source == Source.PAGES else "",
                    )
            except files.FileProblem as problem:
                raise SoftcopyError(str(problem)) from None
            with transaction.atomic():
                lock(softcopy_request)
                if not softcopy_request.can("deliver"):
                    raise SoftcopyError(
                        _("A closed, rejected or cancelled request cannot be delivered.")
                    )
                title = softcopy_request.subject or softcopy_request.number
                name = (
                    f"softcopies/{softcopy_request.office.code}/"
                    f"{softcopy_request.number}-{slugify(title)[:40]}.pdf"
                )
                try:
                    delivered_file = delivery_services.prepare_delivered_file(
                        softcopy_request.office, path, title=title, name=name
                    )
                except watermark.WatermarkError as exc:
                    raise SoftcopyError(
                        _("The file cannot be prepared for delivery: %(reason)s.") % {"reason": exc}
                    ) from None
                stored_name = delivered_file.file.name
                Fulfilment.objects.create(
                    request=softcopy_request,
                    source=source,
                    page_range=page_range if source == Source.PAGES else "",
                    delivered_file=delivered_file,
                    delivered_by=by,
                )
                if softcopy_request.status == Status.RECEIVED:
                    # Sent at once (a scan on site): the request still passes through Diproses.
                    softcopy_request.status = Status.IN_PROGRESS
                    softcopy_request.log(Action.STARTED, actor=by)
                now = timezone.now()
                softcopy_request.status = Status.DELIVERED
                softcopy_request.delivered_at = now
                fields = ["status", "delivered_at"]
                if softcopy_request.assignee_id is None:
                    softcopy_request.assignee = by
                    fields.append("assignee")
                softcopy_request.save(update_fields=fields)
                softcopy_request.log(
                    Action.DELIVERED, actor=by, note=_("%(count)d pages") % {"count": page_count}
                )
                if softcopy_request.visit is not None and softcopy_request.kind == Kind.SCAN:
                    _record_on_visit(
                        softcopy_request.visit,
                        officer=by,
                        kind="pages_scanned",
                        quantity=page_count,
                        item=f"{softcopy_request.number} {title}",
                    )
                notify_user(softcopy_request, "delivered")
    except Exception:
        if stored_name:
            default_storage.delete(stored_name)
        raise
    return softcopy_request


def start_download(softcopy_request, user, *, request=None):
    """A stamped copy of the delivered file for its requester; closes a delivered request."""
    if softcopy_request.user_id != user.pk:
        raise SoftcopyError(_("This file was sent to another user."))
    if not softcopy_request.is_downloadable:
        raise SoftcopyError(_("The file of this request has not been sent yet."))
    fulfilment = softcopy_request.fulfilment
    with transaction.atomic():
        record = delivery_services.start_file_delivery(
            fulfilment.delivered_file,
            user,
            publication=softcopy_request.publication,
            request=request,
            by=fulfilment.delivered_by,
        )
        # Selesai after the first download (under the row lock: one close per request).
        lock(softcopy_request)
        if softcopy_request.can("close"):
            softcopy_request.close(by=user, note=_("Downloaded by the user."))
    return record


def close_stale(*, days, now=None):
    """Close requests delivered more than ``days`` days ago and never downloaded."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    closed = 0
    for softcopy_request in SoftcopyRequest.objects.filter(
        status=Status.DELIVERED, delivered_at__lt=cutoff
    ):
        with transaction.atomic():
            lock(softcopy_request)
            if softcopy_request.can("close"):
                softcopy_request.close(
                    note=_("Closed automatically after %(days)d days.") % {"days": days}, at=now
                )
                closed += 1
    return closed
