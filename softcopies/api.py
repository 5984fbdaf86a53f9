"""``/api/v1/softcopy-requests``: the requester's operations and the officers' queue.

Users create, list and read their own requests and cancel one still received; another
user's number is a 404. Officer operations (queue, start, assign, reject) need the
officer role at the request's office.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja import Status as HttpStatus
from ninja.errors import HttpError

from accounts.api import session_or_token
from accounts.choices import Role
from accounts.models import User
from catalog.models import Publication
from offices.models import Office
from offices.time import local_day

from . import services
from .choices import PUBLIC_ACTIONS, Source, Status
from .files import in_name_order
from .models import SoftcopyRequest
from .views.public import default_office

router = Router(tags=["softcopy requests"], auth=session_or_token)


class RequestIn(Schema):
    publication_id: int | None = None
    description: str = Field("", max_length=2000)
    pages: str = Field("", max_length=200)
    purpose: str = Field(..., min_length=1, max_length=1000)
    office: str | None = Field(None, description="BPS office code for a free description")


class EventOut(Schema):
    action: str
    label: str
    status: str
    note: str
    at: datetime


class RequestOut(Schema):
    number: str
    office: str
    kind: str
    channel: str
    status: str
    status_label: str
    publication_id: int | None
    subject: str
    description: str
    pages: str
    file_format: str
    purpose: str
    created_at: datetime
    due_date: date
    delivered_at: datetime | None
    rejection_reason: str
    download_url: str | None
    history: list[EventOut]


class QueueItemOut(Schema):
    number: str
    status: str
    subject: str
    user_email: str
    assignee_email: str | None
    due_date: date
    overdue: bool


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class AssignIn(Schema):
    officer_email: str


def _out(softcopy_request, *, officer=False):
    events = softcopy_request.events.all()
    download = None
    if softcopy_request.is_downloadable and not officer:
        download = reverse("softcopies:request-download", args=[softcopy_request.number])
    return {
        "number": softcopy_request.number,
        "office": softcopy_request.office.code,
        "kind": softcopy_request.kind,
        "channel": softcopy_request.channel,
        "status": softcopy_request.status,
        "status_label": str(softcopy_request.get_status_display()),
        "publication_id": softcopy_request.publication_id,
        "subject": softcopy_request.subject,
        "description": softcopy_request.description,
        "pages": softcopy_request.pages,
        "file_format": softcopy_request.file_format,
        "purpose": softcopy_request.purpose,
        "created_at": softcopy_request.created_at,
        "due_date": softcopy_request.due_date,
        "delivered_at": softcopy_request.delivered_at,
        "rejection_reason": softcopy_request.rejection_reason,
        "download_url": download,
        "history": [
            {
                "action": event.action,
                "label": str(event.get_action_display()),
                "status": event.status,
                "note": event.note,
                "at": event.at,
            }
            for event in events
            if officer or event.action in PUBLIC_ACTIONS
        ],
    }


def _queryset():
    return SoftcopyRequest.objects.select_related("office", "publication").prefetch_related(
        "events"
    )


def _own(user, number):
    return get_object_or_404(_queryset(), user=user, number=number)


def _for_officer(user, number):
    softcopy_request = get_object_or_404(_queryset(), number=number)
    if not user.has_office_role(softcopy_request.office, Role.OFFICER):
        raise PermissionDenied
    return softcopy_request


@router.post("", response={201: RequestOut}, url_name="softcopy-create")
def create(request, payload: RequestIn):
    """Ask for a softcopy: a catalogue publication (``publication_id``) or a description."""
    publication = None
    if payload.publication_id is not None:
        publication = get_object_or_404(
            Publication.objects.published().select_related("office"), pk=payload.publication_id
        )
        office = publication.office
    elif payload.office:
        office = get_object_or_404(Office, code=payload.office)
    else:
        office = default_office(request)
    created = services.create_request(
        office=office,
        user=request.auth,
        publication=publication,
        description=payload.description,
        pages=payload.pages,
        purpose=payload.purpose,
    )
    return HttpStatus(201, _out(_own(request.auth, created.number)))


@router.get("", response=list[RequestOut], url_name="softcopy-list")
def list_own(request, status: Status | None = None):
    """The authenticated user's requests, newest first (at most 100)."""
    requests = _queryset().filter(user=request.auth).order_by("-created_at")
    if status:
        requests = requests.filter(status=status)
    return [_out(item) for item in requests[:100]]


@router.get("/office/{code}", response=list[QueueItemOut], url_name="softcopy-queue")
def office_queue(request, code: str, overdue: bool = False):
    """An office's open requests, earliest due first (officers of that office)."""
    office = get_object_or_404(Office, code=code)
    if not request.auth.has_office_role(office, Role.OFFICER):
        raise PermissionDenied
    today = local_day(office)
    requests = SoftcopyRequest.objects.filter(office=office).open()
    if overdue:
        requests = requests.overdue(today)
    requests = requests.select_related("user", "publication", "assignee").order_by("due_date")
    return [
        {
            "number": item.number,
            "status": item.status,
            "subject": item.subject,
            "user_email": item.user.email,
            "assignee_email": item.assignee.email if item.assignee else None,
            "due_date": item.due_date,
            "overdue": item.due_date < today,
        }
        for item in requests[:200]
    ]


@router.get("/office/{code}/{number}", response=RequestOut, url_name="softcopy-office-detail")
def office_detail(request, code: str, number: str):
    """Officer: one request of the office, with its full history."""
    office = get_object_or_404(Office, code=code)
    if not request.auth.has_office_role(office, Role.OFFICER):
        raise PermissionDenied
    return _out(get_object_or_404(_queryset(), office=office, number=number), officer=True)


@router.get("/{number}", response=RequestOut, url_name="softcopy-detail")
def detail(request, number: str):
    """One of the user's requests with its history (404 for anyone else's)."""
    return _out(_own(request.auth, number))


@router.post("/{number}/cancel", response=RequestOut, url_name="softcopy-cancel")
def cancel(request, number: str):
    """Cancel a request no officer has started on."""
    softcopy_request = _own(request.auth, number)
    softcopy_request.cancel(by=request.auth)
    return _out(_own(request.auth, number))


@router.post("/{number}/start", response=RequestOut, url_name="softcopy-start")
def start(request, number: str):
    """Officer: Diterima → Diproses."""
    softcopy_request = _for_officer(request.auth, number)
    softcopy_request.start(by=request.auth)
    return _out(_for_officer(request.auth, number), officer=True)


@router.post("/{number}/assign", response=RequestOut, url_name="softcopy-assign")
def assign(request, number: str, payload: AssignIn):
    """Officer: give the request to an officer of the same office."""
    softcopy_request = _for_officer(request.auth, number)
    officer = User.objects.filter(email__iexact=payload.officer_email, is_active=True).first()
    if officer is None:
        raise HttpError(422, _("No account has this e-mail address."))
    softcopy_request.assign(to=officer, by=request.auth)
    return _out(_for_officer(request.auth, number), officer=True)


@router.post("/{number}/reject", response=RequestOut, url_name="softcopy-reject")
def reject(request, number: str, payload: RejectIn):
    """Officer: reject with a reason the user reads."""
    softcopy_request = _for_officer(request.auth, number)
    services.reject(softcopy_request, reason=payload.reason, by=request.auth)
    return _out(_for_officer(request.auth, number), officer=True)


@router.post("/{number}/deliver", response=RequestOut, url_name="softcopy-deliver")
def deliver(
    request,
    number: str,
    source: Form[Source],
    page_range: Form[str] = "",
    scans: File[list[UploadedFile]] = None,
):
    """Officer: send the file (multipart): ``source`` whole, pages (with ``page_range``) or
    upload (``scans``: PDF/JPEG/PNG files, joined in the order of their names)."""
    softcopy_request = _for_officer(request.auth, number)
    services.deliver(
        softcopy_request,
        by=request.auth,
        source=source,
        page_range=page_range,
        uploads=in_name_order(scans or []),
    )
    return _out(_for_officer(request.auth, number), officer=True)
