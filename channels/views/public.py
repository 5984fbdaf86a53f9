"""The visitor's side: "tell me on WhatsApp when my ticket is near the front"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from visits.choices import TicketStatus
from visits.models import QueueTicket

from ..choices import TICKET_NEAR_AHEAD
from ..models import TicketWatch
from ..notices import notify_if_near, wants_whatsapp


@login_required
@require_POST
def ticket_watch(request, pk):
    ticket = get_object_or_404(QueueTicket.objects.select_related("office"), pk=pk)
    if ticket.status != TicketStatus.WAITING:
        messages.error(request, _("This ticket is no longer waiting."))
    elif not wants_whatsapp(request.user):
        messages.error(
            request,
            _("Turn on WhatsApp notices in My data (with your number in your profile) first."),
        )
    else:
        try:
            with transaction.atomic():
                watch = TicketWatch.objects.create(ticket=ticket, user=request.user)
        except IntegrityError:
            messages.error(request, _("Someone already follows this ticket on WhatsApp."))
        else:
            notify_if_near(watch)
            messages.success(
                request,
                _("We will tell you on WhatsApp when %(count)d or fewer people are before you.")
                % {"count": TICKET_NEAR_AHEAD},
            )
    return redirect("visits:ticket-status", ticket.pk)
