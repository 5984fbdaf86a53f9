"""Queue tickets and the display board in the JSON API (DESIGN.md section 5).

``POST /offices/{code}/tickets`` needs a registered kiosk of that office
(``Authorization: Bearer dev_…``) or an officer of the office (session or API
token). A ticket's status and the board are public: they hold no personal data.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from accounts.api import BearerTokenAuth, VerifiedSessionAuth
from offices.choices import Service
from offices.models import Office

from . import services
from .choices import DeviceKind
from .models import Device, QueueTicket

router = Router(tags=["visits"])


class DeviceOrTokenAuth(BearerTokenAuth):
    """A registered device's key (``dev_…``, then ``request.device`` is set) or a
    person's API token (``pst_…``), judged alone like every bearer token."""

    def authenticate(self, request, token):
        if token.startswith(Device.KEY_PREFIX):
            device = Device.authenticate(token)
            if device is not None:
                request.device = device
            return device
        return super().authenticate(request, token)


kiosk_or_officer = [DeviceOrTokenAuth(), VerifiedSessionAuth()]


class TicketIn(Schema):
    service: str
    priority: str = ""
    # One value per tap on the kiosk: a repeated request returns the same ticket.
    request_key: str = ""


class TicketOut(Schema):
    id: int
    number: str
    service: str
    priority: str
    status: str
    issued_at: datetime
    position: int
    estimated_wait_minutes: int
    counter: int | None
    office: str
    status_url: str


class CallOut(Schema):
    number: str
    service: str
    counter: int
    counter_name: str
    called_at: datetime
    spoken: str


class CounterCallOut(Schema):
    number: int
    name: str
    ticket: str | None


class WaitingOut(Schema):
    service: str
    count: int


class BoardOut(Schema):
    office: str
    name: str
    counters: list[CounterCallOut]
    last_calls: list[CallOut]
    waiting: list[WaitingOut]
    call_key: str


def ticket_out(ticket):
    position = ticket.position()
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "service": ticket.service,
        "priority": ticket.priority,
        "status": ticket.status,
        "issued_at": ticket.issued_at,
        "position": position,
        "estimated_wait_minutes": services.estimated_wait_minutes(ticket, position),
        "counter": ticket.counter.number if ticket.counter else None,
        "office": ticket.office.code,
        "status_url": reverse("visits:ticket-status", args=[ticket.pk]),
    }


@router.post(
    "/offices/{code}/tickets",
    response={201: TicketOut},
    auth=kiosk_or_officer,
    url_name="ticket-create",
)
def ticket_create(request, code: str, payload: TicketIn):
    """Take a ticket: for a kiosk of this office or an officer of this office."""
    office = get_object_or_404(Office, code=code, is_active=True)
    device = getattr(request, "device", None)
    officer = None
    if device is not None:
        if device.office_id != office.pk or device.kind != DeviceKind.KIOSK:
            raise HttpError(403, _("This device may not issue tickets for this office."))
        if payload.priority and not device.offers_priority_lane:
            raise HttpError(400, _("This kiosk does not offer the priority lane."))
    else:
        officer = request.auth
        if not officer.has_office_role(office):
            raise HttpError(403, _("You do not have permission to do this."))
    if payload.service not in Service.values:
        raise HttpError(400, _("Unknown service: %(service)s") % {"service": payload.service})
    ticket = services.issue_ticket(
        office,
        payload.service,
        priority=payload.priority,
        device=device,
        officer=officer,
        request_key=payload.request_key,
    )
    return Status(201, ticket_out(ticket))


@router.get("/tickets/{ticket_id}", response=TicketOut, auth=None, url_name="ticket-detail")
def ticket_detail(request, ticket_id: int):
    """A ticket's status and place in the queue (public: no personal data)."""
    ticket = get_object_or_404(
        QueueTicket.objects.select_related("office", "counter"), pk=ticket_id
    )
    return ticket_out(ticket)


@router.get("/offices/{code}/board", response=BoardOut, auth=None, url_name="board")
def board(request, code: str):
    """What the office's display board shows."""
    office = get_object_or_404(Office, code=code, is_active=True)
    state = services.board_state(office)
    return {
        "office": office.code,
        "name": office.name,
        "counters": [
            {
                "number": row["counter"].number,
                "name": row["counter"].name,
                "ticket": row["ticket"].number if row["ticket"] else None,
            }
            for row in state["counters"]
        ],
        "last_calls": [
            {
                "number": t.number,
                "service": t.service,
                "counter": t.counter.number,
                "counter_name": t.counter.name,
                "called_at": t.called_at,
                "spoken": t.spoken_number,
            }
            for t in state["last_calls"]
        ],
        "waiting": [{"service": w["service"], "count": w["count"]} for w in state["waiting"]],
        "call_key": state["call_key"],
    }
