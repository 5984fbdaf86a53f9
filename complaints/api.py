"""``POST /api/v1/complaints`` and ``GET /api/v1/complaints/{tracking_code}``.

Anyone may file a complaint (no account needed) and follow it by its tracking
code. The answer carries the status, dates and public answers only: never internal
notes, officer names or the complainant's identity. Both operations are rate-limited
per client address; an unknown code is a plain 404.
"""

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from offices.choices import Service
from offices.models import Office
from offices.time import local_day

from . import services
from .choices import Channel, EventKind, MessageKind
from .forms import DESCRIPTION_MAX, WHATSAPP_RE
from .models import Complaint, normalise_tracking_code
from .views.public import lookup_limited, submit_limited

router = Router(tags=["complaints"])


class ComplaintIn(Schema):
    description: str = Field(..., min_length=10, max_length=DESCRIPTION_MAX)
    service: Service | None = None
    incident_date: date | None = None
    contact_name: str = Field("", max_length=150)
    contact_email: str = Field("", max_length=254)
    contact_whatsapp: str = Field("", max_length=20)
    office: str | None = Field(None, description="BPS office code; the default office if empty")
    language: str | None = Field(None, description="id or en: the language of the messages")


class AnswerOut(Schema):
    body: str
    created_at: datetime


class HistoryOut(Schema):
    status: str
    label: str
    at: datetime


class ComplaintOut(Schema):
    tracking_code: str
    tracking_url: str
    office: str
    channel: str
    service: str
    status: str
    status_label: str
    received_at: datetime
    due_date: date | None
    answered_at: datetime | None
    closed_at: datetime | None
    answers: list[AnswerOut]
    history: list[HistoryOut]


class DetailOut(Schema):
    detail: str


def _out(complaint):
    return {
        "tracking_code": complaint.tracking_code,
        "tracking_url": complaint.tracking_url,
        "office": complaint.office.code,
        "channel": complaint.channel,
        "service": complaint.service,
        "status": complaint.status,
        "status_label": str(complaint.get_status_display()),
        "received_at": complaint.received_at,
        "due_date": complaint.due_date,
        "answered_at": complaint.answered_at,
        "closed_at": complaint.closed_at,
        "answers": [
            {"body": m.body, "created_at": m.created_at}
            for m in complaint.messages.filter(kind=MessageKind.ANSWER)
        ],
        "history": [
            {"status": e.to_status, "label": str(e.get_to_status_display()), "at": e.at}
            for e in complaint.events.filter(kind=EventKind.STATUS)
        ],
    }


@router.post(
    "",
    response={201: ComplaintOut, 422: DetailOut, 429: DetailOut},
    auth=None,
    url_name="complaint-create",
)
def complaint_create(request, payload: ComplaintIn):
    """File a complaint; the answer holds its tracking code. Contact fields are optional."""
    office = get_object_or_404(
        Office, code=payload.office or settings.DEFAULT_OFFICE_CODE, is_active=True
    )
    description = payload.description.strip()
    if len(description) < 10:
        raise HttpError(422, _("Describe what happened in at least 10 characters."))
    email = payload.contact_email.strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise HttpError(422, _("Enter a valid e-mail address.")) from None
    whatsapp = payload.contact_whatsapp.strip()
    if whatsapp and not WHATSAPP_RE.match(whatsapp):
        raise HttpError(422, _("Enter a phone number such as 0812 3456 7890."))
    if payload.incident_date and payload.incident_date > local_day(office):
        raise HttpError(422, _("The date cannot be in the future."))
    languages = dict(settings.LANGUAGES)
    language = payload.language if payload.language in languages else request.LANGUAGE_CODE
    if submit_limited(request):
        raise HttpError(429, _("Too many requests. Please wait a while and try again."))
    complaint = services.submit_complaint(
        office=office,
        channel=Channel.WEB,
        description=description,
        service=payload.service or "",
        incident_date=payload.incident_date,
        contact_name=payload.contact_name,
        contact_email=email,
        contact_whatsapp=whatsapp,
        language=language if language in languages else "id",
    )
    return Status(201, _out(complaint))


@router.get(
    "/{tracking_code}",
    response={200: ComplaintOut, 404: DetailOut, 429: DetailOut},
    auth=None,
    url_name="complaint-detail",
)
def complaint_detail(request, tracking_code: str):
    """Status, dates and public answers of a complaint; 404 for an unknown code."""
    if lookup_limited(request):
        raise HttpError(429, _("Too many requests. Please wait a while and try again."))
    code = normalise_tracking_code(tracking_code)
    if code is None:
        raise Http404
    return _out(get_object_or_404(Complaint.objects.select_related("office"), tracking_code=code))
