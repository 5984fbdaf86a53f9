"""Walk-in visits: one visit, one record (DESIGN.md section 4).

A ``QueueTicket`` is taken at the kiosk; the officer calls it, fills the
``GuestBookEntry`` with the visitor (which opens the ``Visit`` and starts its
service clock), hands out a locker against the identity card
(``LockerAssignment``), serves (``ServiceRecord`` rows) and checks the visitor
out. Each change of a ticket or a visit is a transition method here
(``ticket.call(counter, by=officer)``, ``visit.finish(by=officer)``; see
``core.transitions``) and writes a ``VisitEvent`` through the history spine
(``obj.log``). Durations are derived from the stored timestamps. Workflows across
models (issuing a number, the guest book, lockers) live in ``services``.
"""

import datetime
import hashlib
import math
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Publication
from core.errors import DomainError
from core.fields import EncryptedCharField, EncryptedEmailField
from core.transitions import TransitionMixin, lock, transition
from history.choices import AuditAction
from history.log import Entry, LogMixin, label
from offices.choices import Service

from . import hooks
from .choices import (
    CALLED_TICKET_STATES,
    DEVICE_ACTIONS,
    OPEN_TICKET_STATES,
    TICKET_TRANSITIONS,
    VISIT_TRANSITIONS,
    CardType,
    ClockColour,
    DeviceKind,
    EventAction,
    Priority,
    ServiceItemKind,
    TicketStatus,
    VisitPhase,
)


class VisitError(DomainError):
    """A visit workflow step that is not allowed now; the message is shown to the user."""

    status = 400


class VisitHistory(LogMixin):
    """Tickets, visits and devices keep their history in ``VisitEvent``.

    ``obj.log(action, actor=..., ticket=..., **detail)``: the event links the object
    (and a ticket or device named in the call); the other keywords are its detail. The
    central audit line reads ``action (key=value, ...)`` on the ticket, else the visit,
    else the device; device changes are settings lines.
    """

    def history_links(self):
        raise NotImplementedError

    def history_entry(self, action, *, actor, **detail):
        links = {name: detail.pop(name) for name in ("ticket", "visit", "device") if name in detail}
        links.update(self.history_links())
        event = VisitEvent.objects.create(
            office_id=self.office_id, action=action, actor=actor, detail=detail, **links
        )
        ticket, visit = links.get("ticket"), links.get("visit")
        if ticket is not None:
            target = label(ticket, f"{ticket.pk} {ticket.number}")
        elif visit is not None:
            target = label(visit)
        else:
            target = label(links["device"])
        extra = ", ".join(f"{key}={value}" for key, value in sorted(detail.items()))
        kind = AuditAction.SETTINGS if action in DEVICE_ACTIONS else AuditAction.STATE
        return Entry(event, target, f"{action} ({extra})" if extra else str(action), kind)


# How often a device's "last seen" time is written.
SEEN_EVERY = datetime.timedelta(minutes=1)


def hash_device_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class DeviceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class Device(VisitHistory, models.Model):
    """A registered kiosk or display board of one office.

    A kiosk may issue tickets with its key (``Authorization: Bearer dev_…``);
    only a SHA-256 digest of the key is stored and the raw key is shown once.
    """

    KEY_PREFIX = "dev_"

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="devices")
    kind = models.CharField(_("kind"), max_length=10, choices=DeviceKind.choices)
    name = models.CharField(_("name"), max_length=60)
    offers_priority_lane = models.BooleanField(
        _("offers the priority lane"),
        default=True,
        help_text=_("Show the priority lane (disability, elderly, pregnant) on this kiosk."),
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["office", "kind", "name"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}"

    @classmethod
    def register(cls, office, *, kind, name, by, offers_priority_lane=True):
        """Create a device and return ``(device, raw_key)``; the raw key is not kept."""
        raw = cls.KEY_PREFIX + secrets.token_urlsafe(32)
        device = cls.objects.create(
            office=office,
            kind=kind,
            name=name,
            created_by=by,
            offers_priority_lane=offers_priority_lane,
            digest=hash_device_key(raw),
        )
        device.log(EventAction.DEVICE_REGISTERED, actor=by)
        return device, raw

    @classmethod
    def authenticate(cls, raw):
        """The active device with this key, or None (lookup by digest: timing-safe)."""
        if not raw or not raw.startswith(cls.KEY_PREFIX):
            return None
        device = (
            cls.objects.active()
            .select_related("office")
            .filter(digest=hash_device_key(raw))
            .first()
        )
        now = timezone.now()
        if device is not None and (
            device.last_seen_at is None or now - device.last_seen_at > SEEN_EVERY
        ):
            # A write at most once a minute: busy kiosks should not queue up on this row.
            cls.objects.filter(pk=device.pk).update(last_seen_at=now)
        return device

    def revoke(self, *, by):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
            self.log(EventAction.DEVICE_REVOKED, actor=by)

    def history_links(self):
        return {"device": self}


class TicketSequence(models.Model):
    """The last ticket number given per office, service and local day.

    ``services.issue_ticket`` locks this row (select_for_update) so numbers are
    gap-free and unique under concurrent kiosks.
    """

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    service = models.CharField(max_length=20, choices=Service.choices)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "service", "day"], name="unique_ticket_sequence"
            )
        ]

    def __str__(self):
        return f"{self.office_id} {self.service} {self.day}: {self.last_number}"


class QueueTicketQuerySet(models.QuerySet):
    def for_day(self, office, day):
        return self.filter(office=office, day=day)

    def waiting(self):
        return self.filter(status=TicketStatus.WAITING)

    def open(self):
        return self.filter(status__in=OPEN_TICKET_STATES)

    def queue_order(self):
        """Priority lane first, then by ticket order (the officer console and positions)."""
        return self.order_by(
            models.Case(models.When(priority="", then=1), default=0), "issued_at", "pk"
        )


class QueueTicket(TransitionMixin, VisitHistory, models.Model):
    """A number in today's queue of one service; its ``status`` changes by the transitions
    below (``TICKET_TRANSITIONS`` names the states each may start from)."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="tickets")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    day = models.DateField(_("day"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=10)
    priority = models.CharField(
        _("priority lane"), max_length=12, choices=Priority.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="tickets"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A kiosk sends one key per tap; a second request with the same key gets the same ticket.
    request_key = models.CharField(max_length=64, blank=True, default="")
    # Only tickets transferred to one counter have a target counter.
    target_counter = models.ForeignKey(
        "offices.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transferred to counter"),
    )
    counter = models.ForeignKey(
        "offices.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("counter"),
    )
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    call_count = models.PositiveSmallIntegerField(_("times called"), default=0)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = QueueTicketQuerySet.as_manager()

    transitions = TICKET_TRANSITIONS
    error_class = VisitError

    class Meta:
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        ordering = ["-day", "service", "sequence"]
        constraints = [
            # The number carries the service letter of issue; a transfer changes the service
            # (the queue the ticket waits in) but never the number.
            models.UniqueConstraint(
                fields=["office", "day", "number"], name="unique_ticket_number"
            ),
            models.UniqueConstraint(
                fields=["office", "request_key"],
                condition=~models.Q(request_key=""),
                name="unique_ticket_request_key",
            ),
        ]
        indexes = [
            # The officer console, the board and the positions read today's waiting tickets.
            models.Index(
                fields=["office", "day", "service"],
                condition=models.Q(status="waiting"),
                name="ticket_waiting_idx",
            ),
        ]

    def __str__(self):
        return self.number

    def history_links(self):
        return {"ticket": self}

    def allowed_actions(self, user=None):
        """What the counter console offers for this ticket now (the guest book once called)."""
        actions = super().allowed_actions(user)
        if self.status == TicketStatus.CALLED and not hasattr(self, "visit"):
            actions.add("guest_book")
        return actions

    # Transitions ---------------------------------------------------------------------------

    @transition(
        "call",
        refuse=lambda ticket: (
            _("Ticket %(number)s has already been called or closed.") % {"number": ticket.number}
        ),
    )
    def call(self, counter, *, by):
        """Call this waiting ticket to ``counter``."""
        if counter.office_id != self.office_id or not counter.is_active:
            raise VisitError(_("That counter does not belong to this office."))
        self.status = TicketStatus.CALLED
        self.counter = counter
        self.called_at = timezone.now()
        self.called_by = by
        self.call_count = 1
        self.target_counter = None
        self.save(
            update_fields=[
                "status",
                "counter",
                "called_at",
                "called_by",
                "call_count",
                "target_counter",
            ]
        )
        self.log(EventAction.TICKET_CALLED, actor=by, counter=counter.number)
        # Higher apps may tell the people now near the front (channels: "3 nomor lagi").
        hooks.ticket_called(ticket=self)
        return self

    @transition("recall", refuse=_("Only a called ticket can be called again."))
    def recall(self, *, by):
        self.call_count += 1
        self.called_at = timezone.now()
        self.save(update_fields=["call_count", "called_at"])
        self.log(EventAction.TICKET_RECALLED, actor=by)
        return self

    @transition("no_show", refuse=_("Only a called ticket can be marked as no-show."))
    def no_show(self, *, by):
        self.status = TicketStatus.NO_SHOW
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at"])
        self.log(EventAction.TICKET_NO_SHOW, actor=by)
        return self

    @transition("transfer", refuse=_("Only a ticket in the queue can be transferred."))
    def transfer(self, *, by, service=None, counter=None):
        """Send the ticket back to the queue of another service and/or counter.

        The ticket keeps its number and its place (its issue time) in the new queue.
        """
        if not service and counter is None:
            raise VisitError(_("Choose a service or a counter to transfer to."))
        new_service = service or self.service
        if new_service not in self.office.offered_services():
            raise VisitError(_("This office does not offer that service."))
        if counter is not None and (
            counter.office_id != self.office_id or not counter.handles(new_service)
        ):
            raise VisitError(_("That counter does not handle this service."))
        old = {"service": self.service, "counter": self.counter.number if self.counter else None}
        self.service = new_service
        self.target_counter = counter
        self.status = TicketStatus.WAITING
        self.counter = None
        self.called_at = None
        self.call_count = 0
        self.save(
            update_fields=[
                "service",
                "target_counter",
                "status",
                "counter",
                "called_at",
                "call_count",
            ]
        )
        self.log(
            EventAction.TICKET_TRANSFERRED,
            actor=by,
            old=old,
            service=new_service,
            counter=counter.number if counter else None,
        )
        return self

    @transition("serve", refuse=_("Only a ticket in the queue can be served."))
    def serve(self, *, by):
        """Its visit's service has started."""
        self.status = TicketStatus.SERVING
        self.save(update_fields=["status"])
        self.log(EventAction.TICKET_SERVING, actor=by)
        return self

    @transition("finish", refuse=_("This ticket is already closed."))
    def finish(self, *, by, at=None):
        """Its visit's service has finished."""
        self.status = TicketStatus.DONE
        self.closed_at = at or timezone.now()
        self.save(update_fields=["status", "closed_at"])
        self.log(EventAction.TICKET_DONE, actor=by)
        return self

    @transition("expire", refuse=_("Only a ticket in the queue can expire."))
    def expire(self, *, by=None, at=None):
        """The day closed before the ticket was served."""
        self.status = TicketStatus.EXPIRED
        self.closed_at = at or timezone.now()
        self.save(update_fields=["status", "closed_at"])
        self.log(EventAction.TICKET_EXPIRED, actor=by)
        return self

    @property
    def is_open(self):
        return self.status in OPEN_TICKET_STATES

    @property
    def is_called(self):
        return self.status in CALLED_TICKET_STATES

    @property
    def spoken_number(self):
        """How the board reads the number: "A nol nol tiga"."""
        digits = [
            "nol",
            "satu",
            "dua",
            "tiga",
            "empat",
            "lima",
            "enam",
            "tujuh",
            "delapan",
            "sembilan",
        ]
        letter, _sep, figures = self.number.partition("-")
        return " ".join([letter, *(digits[int(d)] for d in figures)])

    def waiting_minutes(self, now=None):
        end = self.called_at or now or timezone.now()
        return max(0, int((end - self.issued_at).total_seconds() // 60))

    def position(self):
        """1 for the next ticket to be called in this service; 0 when no longer waiting."""
        if self.status != TicketStatus.WAITING:
            return 0
        ahead = (
            QueueTicket.objects.for_day(self.office_id, self.day)
            .waiting()
            .filter(service=self.service)
        )
        if self.priority:
            ahead = ahead.exclude(priority="").filter(
                models.Q(issued_at__lt=self.issued_at)
                | models.Q(issued_at=self.issued_at, pk__lt=self.pk)
            )
        else:
            ahead = ahead.filter(
                ~models.Q(priority="")
                | models.Q(issued_at__lt=self.issued_at)
                | models.Q(issued_at=self.issued_at, pk__lt=self.pk)
            )
        return ahead.count() + 1


def _started_or(message):
    """A refusal: "not started yet" before the service starts, else ``message``."""
    return lambda visit: (
        message
        if visit.service_started_at
        else _("The service cannot finish before it has started.")
    )


def catalogue_match(office, item):
    """The office's publication an officer's note names by catalogue number or exact title."""
    text = (item or "").strip()
    if not text:
        return None
    return (
        Publication.objects.filter(office=office)
        .filter(
            models.Q(catalog_number__iexact=text)
            | models.Q(publication_number__iexact=text)
            | models.Q(title__iexact=text)
        )
        .order_by("-year")
        .first()
    )


# What was given that uses the library's collection (counted as in-house use).
COLLECTION_KINDS = {
    ServiceItemKind.HARDCOPY_READ,
    ServiceItemKind.PAGES_SCANNED,
    ServiceItemKind.DIGITAL_READING,
}


class Visit(TransitionMixin, VisitHistory, models.Model):
    """One walk-in visit: ticket, guest book, locker and card, services given, rating.

    Its ``phase`` is derived from the timestamps; the transitions below move it
    (``VISIT_TRANSITIONS`` names the phases each may start from).
    """

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="visits")
    ticket = models.OneToOneField(
        QueueTicket, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit"
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("visitor"),
    )
    day = models.DateField(_("day"))
    service = models.CharField(_("main service"), max_length=20, choices=Service.choices)
    # The target in force when the guest book was filled (the standard may change later).
    target_minutes = models.PositiveSmallIntegerField(_("service-time target (minutes)"))
    guest_book_at = models.DateTimeField(_("guest book filled"))
    counter = models.ForeignKey(
        "offices.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter"),
    )
    service_started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    finished_at = models.DateTimeField(_("service finished"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-guest_book_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="visit_rating_1_to_5",
            ),
        ]
        indexes = [
            # The service-time watch and the dashboard read the office's visits not yet served.
            models.Index(
                fields=["office", "guest_book_at"],
                condition=models.Q(service_started_at__isnull=True),
                name="visit_unserved_idx",
            ),
        ]

    transitions = VISIT_TRANSITIONS
    state_field = "phase"
    error_class = VisitError

    def __str__(self):
        return f"{self.visitor} — {self.guest_book_at:%Y-%m-%d %H:%M}"

    def history_links(self):
        return {"visit": self}

    @property
    def phase(self):
        if self.checked_out_at:
            return VisitPhase.CHECKED_OUT
        if self.finished_at:
            return VisitPhase.FINISHED
        if self.service_started_at:
            return VisitPhase.SERVING
        return VisitPhase.WAITING

    @property
    def stage(self):
        return VisitPhase(self.phase).label

    @property
    def is_open(self):
        return self.checked_out_at is None

    # Transitions ---------------------------------------------------------------------------

    @transition(
        "start",
        refuse=lambda visit: (
            _("This visit has already been checked out.")
            if visit.checked_out_at and not visit.service_started_at
            else _("The service of this visit has already started.")
        ),
    )
    def start(self, *, by, counter=None):
        """Stop the service clock: waiting time = now − guest-book time."""
        self.service_started_at = timezone.now()
        self.served_by = by
        fields = ["service_started_at", "served_by"]
        if counter is not None:
            self.counter = counter
            fields.append("counter")
        self.save(update_fields=fields)
        if self.ticket is not None and self.ticket.can("serve"):
            self.ticket.serve(by=by)
        self.log(EventAction.SERVICE_STARTED, actor=by, wait_seconds=round(self.wait_seconds()))
        return self

    @transition(
        "record",
        refuse=lambda visit: (
            _("This visit has already been checked out.")
            if visit.checked_out_at
            else _("Start the service before recording what was given.")
        ),
    )
    def record_service(self, *, by, kind, quantity=1, item=""):
        """One thing given during the visit (a catalogue entry it names is linked)."""
        publication = catalogue_match(self.office, item) if kind in COLLECTION_KINDS else None
        record = ServiceRecord.objects.create(
            visit=self, kind=kind, quantity=quantity, item=item, publication=publication, officer=by
        )
        self.log(EventAction.SERVICE_RECORDED, actor=by, kind=kind, quantity=quantity)
        return record

    @transition("finish", refuse=_started_or(_("The service of this visit has already finished.")))
    def finish(self, *, by):
        """The service is over; the ticket is done and the survey invitation is made."""
        self.finished_at = timezone.now()
        self.save(update_fields=["finished_at"])
        if self.ticket is not None and self.ticket.can("finish"):
            self.ticket.finish(by=by, at=self.finished_at)
        self.log(EventAction.SERVICE_FINISHED, actor=by)
        hooks.visit_finished(self)
        return self

    @transition(
        "check_out",
        refuse=lambda visit: (
            _("This visit has already been checked out.")
            if visit.checked_out_at
            else _("Finish the service before checking the visitor out.")
        ),
    )
    def check_out(self, *, by):
        """End the visit: the locker is emptied and the identity card handed back."""
        for assignment in self.locker_assignments.filter(returned_at__isnull=True):
            assignment.mark_returned(by=by)
        self.checked_out_at = timezone.now()
        self.save(update_fields=["checked_out_at"])
        self.log(EventAction.CHECKED_OUT, actor=by)
        return self

    @transition("rate", refuse=_("The visit can be rated once the service has finished."))
    def rate(self, *, rating, comment=""):
        """The visitor's 1–5 rating; once per visit."""
        if self.rated_at is not None:
            raise VisitError(_("This visit has already been rated. Thank you!"))
        if not 1 <= rating <= 5:
            raise VisitError(_("Choose a rating from 1 to 5."))
        self.rating = rating
        self.rating_comment = comment
        self.rated_at = timezone.now()
        self.save(update_fields=["rating", "rating_comment", "rated_at"])
        self.log(EventAction.RATED, rating=rating)
        return self

    def allowed_actions(self, user=None):
        """What the visit page offers now: the transitions, and a locker while none is open."""
        actions = super().allowed_actions(user)
        actions.discard("rate")  # the visitor rates through the survey
        if "locker" in actions and any(a.is_open for a in self.locker_assignments.all()):
            actions.discard("locker")
        return actions

    def survey_path(self):
        """The path of this visit's survey (from the feedback app), or "" before it exists."""
        return hooks.survey_path.first(self) or ""

    def wait_seconds(self, now=None):
        """Service start − guest-book time; running while the visitor waits."""
        end = self.service_started_at or now or timezone.now()
        return max(0.0, (end - self.guest_book_at).total_seconds())

    @property
    def wait_minutes(self):
        """Whole minutes waited, once service has started (None before)."""
        if self.service_started_at is None:
            return None
        return math.floor(self.wait_seconds() / 60)

    def within_target(self):
        return (
            self.service_started_at is not None and self.wait_seconds() <= self.target_minutes * 60
        )

    def clock_colour(self, now=None):
        share = self.wait_seconds(now) / (self.target_minutes * 60)
        if share < 0.7:
            return ClockColour.GREEN
        if share <= 1:
            return ClockColour.AMBER
        return ClockColour.RED

    def is_overdue(self, now=None):
        return self.service_started_at is None and self.wait_seconds(now) > self.target_minutes * 60


class GuestBookEntry(models.Model):
    """What the visitor wrote in the guest book. No identity-card number, no photo."""

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="guest_book")
    full_name = models.CharField(_("full name"), max_length=150)
    # Contact details encrypted at rest (core.fields); the account holds the working copy.
    email = EncryptedEmailField(_("e-mail address"))
    phone = EncryptedCharField(_("phone number"), max_length=20, blank=True)
    card_type = models.CharField(_("identity card type"), max_length=10, choices=CardType.choices)
    services = models.JSONField(_("services wanted"), default=list)
    purpose = models.TextField(_("purpose of the visit"))
    created_at = models.DateTimeField(_("filled"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filled by"),
    )

    class Meta:
        verbose_name = _("guest-book entry")
        verbose_name_plural = _("guest-book entries")

    def __str__(self):
        return self.full_name

    def get_services_display(self):
        labels = dict(Service.choices)
        return [labels[code] for code in self.services if code in labels]


class LockerAssignment(models.Model):
    """A locker given against an identity card held by the office (the card TYPE only)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="locker_assignments")
    locker = models.ForeignKey(
        "offices.Locker",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("locker"),
    )
    card_type = models.CharField(_("identity card type"), max_length=10, choices=CardType.choices)
    holder_name = models.CharField(_("card holder"), max_length=150)
    assigned_at = models.DateTimeField(_("given"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("given by"),
    )
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("returned to"),
    )

    class Meta:
        verbose_name = _("locker assignment")
        verbose_name_plural = _("locker assignments")
        ordering = ["-assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["locker"],
                condition=models.Q(returned_at__isnull=True),
                name="one_open_assignment_per_locker",
            ),
            models.UniqueConstraint(
                fields=["visit"],
                condition=models.Q(returned_at__isnull=True),
                name="one_open_locker_per_visit",
            ),
        ]

    def __str__(self):
        return f"{self.locker} — {self.holder_name}"

    @property
    def is_open(self):
        return self.returned_at is None

    def mark_returned(self, *, by):
        """The locker is emptied and the identity card handed back (once)."""
        with transaction.atomic():
            lock(self)
            if self.returned_at is not None:
                raise VisitError(
                    _("Locker %(label)s and the card have already been returned.")
                    % {"label": self.locker.label}
                )
            self.returned_at = timezone.now()
            self.returned_by = by
            self.save(update_fields=["returned_at", "returned_by"])
            self.visit.log(EventAction.LOCKER_RETURNED, actor=by, locker=self.locker.label)
        return self


class ServiceRecord(models.Model):
    """One thing given during a visit, with the officer and the time."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="service_records")
    kind = models.CharField(_("what"), max_length=20, choices=ServiceItemKind.choices)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    item = models.CharField(
        _("publication or subject"),
        max_length=250,
        blank=True,
        help_text=_("Catalogue title or number, or the subject of the consultation."),
    )
    # The catalogue entry the item names, when it names one: in-house use of the collection.
    publication = models.ForeignKey(
        "catalog.Publication",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="in_house_uses",
        verbose_name=_("publication"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("officer"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("service given")
        verbose_name_plural = _("services given")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="service_quantity_positive"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} × {self.quantity}"


class VisitEvent(models.Model):
    """The audit trail of tickets, visits, lockers and devices: who did what, when."""

    office = models.ForeignKey("offices.Office", on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("action"), max_length=24, choices=EventAction.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    device = models.ForeignKey(
        Device, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ticket = models.ForeignKey(
        QueueTicket, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} @ {self.at:%Y-%m-%d %H:%M}"
