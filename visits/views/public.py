"""Pages without login: the kiosk, the display board, a ticket's live status, the rating."""

import segno
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.errors import DomainError
from offices.choices import Service
from offices.models import Office
from offices.time import activate, local_day

from .. import hooks, services
from ..choices import DeviceKind, Priority, TicketStatus
from ..forms import TabletGuestBookForm
from ..models import Device, QueueTicket


def _render(request, template, context):
    """Render with the office's local time (an office may be in WITA or WIT)."""
    with activate(context["office"]):
        return render(request, template, context)


def _office(code):
    return get_object_or_404(Office.objects.prefetch_related("counters"), code=code, is_active=True)


def qr_svg(url, title):
    return segno.make(url, error="m").svg_inline(scale=4, title=title, dark="#000", light="#fff")


def kiosk(request, code, device_id):
    """The touch kiosk. It issues tickets with the device key kept in the browser.

    The key arrives once in the URL fragment (never sent to the server in a
    URL, never logged) and is kept in localStorage; the API checks it.
    """
    office = _office(code)
    device = get_object_or_404(
        Device.objects.active(), pk=device_id, office=office, kind=DeviceKind.KIOSK
    )
    labels = dict(Service.choices)
    return _render(
        request,
        "visits/public/kiosk.html",
        {
            "office": office,
            "device": device,
            "services": [(code, labels[code]) for code in office.offered_services()],
            "priorities": [p for p in Priority if p.value],
            "api_url": reverse("api:ticket-create", args=[office.code]),
        },
    )


@never_cache
def ticket_status(request, pk):
    ticket = get_object_or_404(QueueTicket.objects.select_related("office", "counter"), pk=pk)
    position = ticket.position()
    return _render(
        request,
        "visits/public/ticket_status.html",
        {
            "ticket": ticket,
            "office": ticket.office,
            "position": position,
            "estimate": services.estimated_wait_minutes(ticket, position),
            "api_url": reverse("api:ticket-detail", args=[ticket.pk]),
            "statuses": TicketStatus.choices,
            # Fragments of higher apps (the channels: "tell me on WhatsApp").
            "panels": hooks.ticket_panels(ticket=ticket, request=request),
        },
    )


@never_cache
def ticket_print(request, pk):
    """The printable ticket (58/80 mm thermal paper through the browser's print)."""
    ticket = get_object_or_404(QueueTicket.objects.select_related("office", "counter"), pk=pk)
    position = ticket.position()
    status_url = request.build_absolute_uri(reverse("visits:ticket-status", args=[ticket.pk]))
    back = request.GET.get("back", "")
    if not back.startswith("/kiosk/"):
        back = ""
    return _render(
        request,
        "visits/public/ticket_print.html",
        {
            "ticket": ticket,
            "office": ticket.office,
            "position": position,
            "estimate": services.estimated_wait_minutes(ticket, position),
            "qr": qr_svg(status_url, _("QR code to follow your ticket")),
            "status_url": status_url,
            "back": back,
        },
    )


@never_cache
def board(request, code):
    """The TV board: public and read-only (it shows what the waiting room sees anyway)."""
    office = _office(code)
    template = "visits/public/board.html"
    if request.GET.get("live"):
        template += "#live"
    return _render(
        request,
        template,
        {
            **services.board_state(office),
            "live_url": reverse("visits:board", args=[office.code]) + "?live=1",
        },
    )


def rate(request, token):
    """Rating links of older visit pages: they now open the visit's IKM survey."""
    try:
        visit = services.visit_from_rating_token(token)
    except DomainError as exc:
        raise Http404(str(exc)) from exc
    survey = visit.survey_path()
    if not survey:
        raise Http404(_("The visit can be rated once the service has finished."))
    return redirect(survey)


def guest_book_tablet(request, code, device_id):
    """The guest book filled by the visitor on a registered tablet at the front office.

    Like the kiosk, the tablet's key comes once in the URL fragment and is kept in
    localStorage; the page's script puts it in the form, and the server checks it.
    """
    office = _office(code)
    device = get_object_or_404(
        Device.objects.active(), pk=device_id, office=office, kind=DeviceKind.GUEST_BOOK
    )
    form = TabletGuestBookForm(request.POST or None, services=office.offered_services())
    if request.method == "POST" and form.is_valid():
        keyed = Device.authenticate(form.cleaned_data["device_key"])
        ticket = QueueTicket.objects.filter(
            office=office, day=local_day(office), number=form.cleaned_data["ticket_number"]
        ).first()
        if keyed is None or keyed.pk != device.pk:
            form.add_error(None, _("This tablet has no valid device key. Please ask an officer."))
        elif ticket is None:
            form.add_error("ticket_number", _("No ticket with this number today."))
        else:
            try:
                visit = services.fill_guest_book(
                    office, officer=None, data=form.cleaned_data, ticket=ticket
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return _render(
                    request,
                    "visits/public/guest_book_done.html",
                    {
                        "office": office,
                        "visit": visit,
                        "device": device,
                    },
                )
    return _render(
        request,
        "visits/public/guest_book_tablet.html",
        {
            "office": office,
            "device": device,
            "form": form,
        },
    )
