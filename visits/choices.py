"""States and categories of walk-in visits (STYLE.md 7: readable values, state groups)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from offices.choices import Service

# The letter in front of a ticket number, per service ("A-007").
SERVICE_PREFIX = {
    Service.LIBRARY: "A",
    Service.CONSULTATION: "B",
    Service.SALES: "C",
    Service.RECOMMENDATION: "D",
}

# Spoken by the display board: the letter as Indonesians read it.
SPOKEN_LETTER = {"A": "A", "B": "B", "C": "C", "D": "D"}


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("Did not come")
    EXPIRED = "expired", _("Expired")


# Tickets still in the queue (waiting or called but not yet served).
OPEN_TICKET_STATES = (TicketStatus.WAITING, TicketStatus.CALLED)
# Tickets that have been called to a counter and show on the board.
CALLED_TICKET_STATES = (TicketStatus.CALLED, TicketStatus.SERVING)

# QueueTicket's transitions and the states each may start from.
TICKET_TRANSITIONS = {
    "call": (TicketStatus.WAITING,),
    "recall": (TicketStatus.CALLED,),
    "no_show": (TicketStatus.CALLED,),
    "transfer": OPEN_TICKET_STATES,
    # The visit's service starts (the ticket was called, or sent back to a queue).
    "serve": OPEN_TICKET_STATES,
    # The visit's service finished: whatever the ticket went through, it is done.
    "finish": (
        TicketStatus.WAITING,
        TicketStatus.CALLED,
        TicketStatus.SERVING,
        TicketStatus.NO_SHOW,
    ),
    # The day closed before anyone served it.
    "expire": OPEN_TICKET_STATES,
}


class VisitPhase(models.TextChoices):
    """Where a visit stands, derived from its timestamps (``Visit.phase``; not stored)."""

    WAITING = "waiting", _("Waiting for service")
    SERVING = "serving", _("Being served")
    FINISHED = "finished", _("Finished, to check out")
    CHECKED_OUT = "checked_out", _("Checked out")


# Visit's transitions and the phases each may start from.
VISIT_TRANSITIONS = {
    "start": (VisitPhase.WAITING,),
    "record": (VisitPhase.SERVING, VisitPhase.FINISHED),
    "finish": (VisitPhase.SERVING,),
    "check_out": (VisitPhase.FINISHED,),
    "locker": (VisitPhase.WAITING, VisitPhase.SERVING, VisitPhase.FINISHED),
    "rate": (VisitPhase.FINISHED, VisitPhase.CHECKED_OUT),
}


class Priority(models.TextChoices):
    """The priority lane (UU 25/2009 art. 29: special treatment for vulnerable groups)."""

    NONE = "", pgettext_lazy("priority", "None")
    DISABILITY = "disability", _("Person with a disability")
    ELDERLY = "elderly", _("Elderly")
    PREGNANT = "pregnant", _("Pregnant woman")


class DeviceKind(models.TextChoices):
    KIOSK = "kiosk", _("Ticket kiosk")
    BOARD = "board", _("Display board")
    GUEST_BOOK = "guest_book", _("Guest-book tablet")


class CardType(models.TextChoices):
    """Only the TYPE of identity card is recorded, never its number or a photo (UU 27/2022)."""

    KTP = "ktp", _("KTP (identity card)")
    SIM = "sim", _("SIM (driving licence)")
    PASSPORT = "passport", _("Passport")
    STUDENT = "student", _("Student card")
    OTHER = "other", pgettext_lazy("card", "Other")


class ServiceItemKind(models.TextChoices):
    """What an officer records as given during a visit."""

    HARDCOPY_READ = "hardcopy_read", _("Hardcopy read in the reading room")
    PAGES_SCANNED = "pages_scanned", _("Pages scanned")
    DIGITAL_READING = "digital_reading", _("Digital reading")
    SOFTCOPY_REQUEST = "softcopy_request", _("Softcopy request opened")
    CONSULTATION = "consultation", _("Statistical consultation")
    SALES = "sales", _("Statistical product sold")
    RECOMMENDATION = "recommendation", _("Statistical recommendation")


class ClockColour(models.TextChoices):
    """The service clock against the target: green below 70 %, amber to 100 %, red beyond."""

    GREEN = "green", _("On time")
    AMBER = "amber", _("Close to the target")
    RED = "red", _("Past the target")


class EventAction(models.TextChoices):
    TICKET_ISSUED = "ticket_issued", _("Ticket issued")
    TICKET_CALLED = "ticket_called", _("Ticket called")
    TICKET_RECALLED = "ticket_recalled", _("Ticket called again")
    TICKET_NO_SHOW = "ticket_no_show", _("Ticket marked as no-show")
    TICKET_TRANSFERRED = "ticket_transferred", _("Ticket transferred")
    TICKET_EXPIRED = "ticket_expired", _("Ticket expired at day close")
    TICKET_SERVING = "ticket_serving", _("Ticket being served")
    TICKET_DONE = "ticket_done", _("Ticket done")
    GUEST_BOOK_FILLED = "guest_book_filled", _("Guest book filled")
    ACCOUNT_INVITED = "account_invited", _("Account created and invitation sent")
    LOCKER_ASSIGNED = "locker_assigned", _("Locker and identity card taken")
    LOCKER_RETURNED = "locker_returned", _("Locker and identity card returned")
    SERVICE_STARTED = "service_started", _("Service started")
    SERVICE_RECORDED = "service_recorded", _("Service recorded")
    SERVICE_FINISHED = "service_finished", _("Service finished")
    RATED = "rated", _("Visit rated")
    CHECKED_OUT = "checked_out", _("Checked out")
    OVERDUE_ALERTED = "overdue_alerted", _("Service-time alert sent")
    DEVICE_REGISTERED = "device_registered", _("Device registered")
    DEVICE_REVOKED = "device_revoked", _("Device revoked")


# Device events change the office's settings; the central audit log files them as such.
DEVICE_ACTIONS = (EventAction.DEVICE_REGISTERED, EventAction.DEVICE_REVOKED)
