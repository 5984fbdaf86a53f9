import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.choices import Role
from core.errors import DomainError
from history.choices import AuditAction
from history.log import Entry, LogMixin, label

from .choices import Service, Weekday
from .time import local_time

bps_code_validator = RegexValidator(r"^\d{4}$", _("A BPS office code has four digits, e.g. 3324."))


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


def validate_services(value):
    if not isinstance(value, list) or any(code not in Service.values for code in value):
        raise ValidationError(
            _("Services must be a list of: %(codes)s"), params={"codes": ", ".join(Service.values)}
        )


class OfficeQuerySet(models.QuerySet):
    def with_role(self, user, role=Role.OFFICER):
        """The offices where ``user`` has ``role`` (a supervisor also passes an officer check)."""
        if user.is_superuser:
            return self.all()
        roles = [Role.SUPERVISOR] if role == Role.SUPERVISOR else [Role.OFFICER, Role.SUPERVISOR]
        return self.filter(memberships__user=user, memberships__role__in=roles)


class Office(models.Model):
    """A BPS office (province or regency) running a PST front office."""

    code = models.CharField(
        _("BPS code"), max_length=4, unique=True, validators=[bps_code_validator]
    )
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    address = models.TextField(_("address"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    whatsapp = models.CharField(_("WhatsApp number"), max_length=40, blank=True)
    whatsapp_url = models.URLField(_("WhatsApp service link"), blank=True)
    complaint_url = models.URLField(_("complaint website"), blank=True)
    social_media = models.CharField(
        _("social-media handle"), max_length=100, blank=True, help_text=_("e.g. @bpskendal")
    )
    website = models.URLField(_("website"), blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=40, default="Asia/Jakarta", validators=[validate_timezone]
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def social_media_url(self):
        handle = self.social_media.lstrip("@")
        return f"https://www.instagram.com/{handle}/" if handle else ""

    def offered_services(self):
        """The services the office's active counters handle, in the contract's order."""
        handled = {
            code
            for counter in self.counters.all()
            if counter.is_active
            for code in counter.services
        }
        return [code for code in Service.values if code in handled]

    def hours_on(self, weekday):
        return [h for h in self.opening_hours.all() if h.weekday == weekday]

    def is_open_at(self, moment=None):
        local = local_time(self, moment or timezone.now())
        return any(h.opens <= local.time() < h.closes for h in self.hours_on(local.weekday()))


class OpeningHours(models.Model):
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["office", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="opening_before_closing"
            )
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"


class Counter(models.Model):
    """A service counter (loket) and the services it handles."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=60)
    services = models.JSONField(
        _("services"),
        default=list,
        validators=[validate_services],
        help_text=_("Service codes handled here: library, consultation, sales, recommendation."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["office", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="unique_counter_number")
        ]

    def __str__(self):
        return self.name

    def handles(self, service):
        return service in self.services

    def get_services_display(self):
        labels = dict(Service.choices)
        return [labels[code] for code in self.services if code in labels]


class Locker(models.Model):
    """A locker where walk-in visitors leave their bags (its use belongs to visits)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="lockers")
    label = models.CharField(_("label"), max_length=10)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("locker")
        verbose_name_plural = _("lockers")
        ordering = ["office", "label"]
        constraints = [
            models.UniqueConstraint(fields=["office", "label"], name="unique_locker_label")
        ]

    def __str__(self):
        return self.label


class ServiceStandardQuerySet(models.QuerySet):
    def current(self):
        """The newest version of each (office, service) standard."""
        newer = ServiceStandard.objects.filter(
            office=models.OuterRef("office"),
            service=models.OuterRef("service"),
            version__gt=models.OuterRef("version"),
        )
        return self.filter(~models.Exists(newer))

    def in_service_order(self):
        """Library first, then the other services in the order of ``Service``."""
        order = models.Case(
            *[models.When(service=code, then=index) for index, code in enumerate(Service.values)]
        )
        return self.order_by(order)

    def current_for(self, office, service):
        return self.filter(office=office, service=service).order_by("-version").first()


class ServiceStandard(LogMixin, models.Model):
    """One version of an office's service standard (PermenPANRB 15/2014) for one service.

    Versions are never edited: a change is a new row with the next version
    number (``revise``), so every earlier text stays on record. Delivery
    components have a walk-in and an online variant, as the PST standards do.
    Multi-line text fields hold one item per line.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="standards")
    service = models.CharField(_("service"), max_length=20, choices=Service.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saved by"),
    )
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)

    # Service delivery components.
    requirements_walk_in = models.TextField(_("requirements (walk-in)"))
    requirements_online = models.TextField(_("requirements (online)"), blank=True)
    procedure_walk_in = models.TextField(_("procedure (walk-in)"))
    procedure_online = models.TextField(_("procedure (online)"), blank=True)
    service_time_walk_in = models.TextField(_("service time (walk-in)"))
    service_time_online = models.TextField(_("service time (online)"), blank=True)
    walk_in_target_minutes = models.PositiveSmallIntegerField(
        _("walk-in time target (minutes after the guest book)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "Visitors must be served within this many minutes of filling in the guest book."
        ),
    )
    request_target_working_days = models.PositiveSmallIntegerField(
        _("softcopy request target (working days)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    cost_walk_in = models.TextField(_("cost (walk-in)"))
    cost_online = models.TextField(_("cost (online)"), blank=True)
    products_walk_in = models.TextField(_("products (walk-in)"))
    products_online = models.TextField(_("products (online)"), blank=True)
    complaint_handling = models.TextField(_("complaint handling"))

    # Service management components.
    legal_basis = models.TextField(_("legal basis"))
    facilities = models.TextField(_("facilities, including for vulnerable groups"))
    staff_competence = models.TextField(_("staff competence"))
    internal_supervision = models.TextField(_("internal supervision"))
    staff_count = models.TextField(_("number of staff"))
    service_guarantee = models.TextField(_("service guarantee"))
    security_guarantee = models.TextField(_("security and safety guarantee"))
    performance_evaluation = models.TextField(_("staff performance evaluation"))
    pledge = models.TextField(_("service pledge (maklumat)"))

    objects = ServiceStandardQuerySet.as_manager()

    CONTENT_FIELDS = [
        "requirements_walk_in",
        "requirements_online",
        "procedure_walk_in",
        "procedure_online",
        "service_time_walk_in",
        "service_time_online",
        "walk_in_target_minutes",
        "request_target_working_days",
        "cost_walk_in",
        "cost_online",
        "products_walk_in",
        "products_online",
        "complaint_handling",
        "legal_basis",
        "facilities",
        "staff_competence",
        "internal_supervision",
        "staff_count",
        "service_guarantee",
        "security_guarantee",
        "performance_evaluation",
        "pledge",
    ]

    class Meta:
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        ordering = ["office", "service", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "service", "version"], name="unique_standard_version"
            )
        ]

    def __str__(self):
        return f"{self.office} — {self.get_service_display()} v{self.version}"

    @property
    def has_online_variant(self):
        return bool(self.requirements_online or self.procedure_online)

    def history_entry(self, action, *, actor, previous, changed):
        """A new version is its own record: only the settings line of the audit log."""
        return Entry(
            None,
            label(self, f"{self.service} v{self.version}"),
            f"v{previous} → v{self.version}: {', '.join(changed) or '—'}",
            AuditAction.SETTINGS,
        )

    def revise(self, *, by, change_note="", **changes):
        """Save ``changes`` as the next version and return it; this version stays as it was.

        The office and service rows are locked so that two supervisors saving at
        once get consecutive versions instead of a constraint error.
        """
        unknown = set(changes) - set(self.CONTENT_FIELDS)
        if unknown:
            raise ValueError(f"Not standard content: {', '.join(sorted(unknown))}")
        with transaction.atomic():
            Office.objects.select_for_update().filter(pk=self.office_id).get()
            latest = ServiceStandard.objects.filter(
                office_id=self.office_id, service=self.service
            ).aggregate(latest=Max("version"))["latest"]
            if latest != self.version:
                raise StandardConflict(latest)
            new = ServiceStandard(
                office_id=self.office_id,
                service=self.service,
                version=latest + 1,
                created_by=by,
                change_note=change_note,
                **{name: getattr(self, name) for name in self.CONTENT_FIELDS},
            )
            for name, value in changes.items():
                setattr(new, name, value)
            new.full_clean()
            new.save()
            changed = [name for name in changes if getattr(self, name) != getattr(new, name)]
            new.log("revised", actor=by, previous=self.version, changed=changed)
        return new


class StandardConflict(DomainError):
    """Somebody saved a newer version since the editor opened this one."""

    code = "stale_version"

    def __init__(self, latest_version):
        super().__init__(
            _(
                "Someone saved a newer version while you were editing. "
                "Review the current text and save again."
            )
        )
        self.latest_version = latest_version


class LeaveDay(models.Model):
    """A day the office is closed besides weekends and national holidays (cuti bersama).

    National holidays come from the ``holidays`` package (see ``offices.workdays``);
    collective leave days are decided each year by joint ministerial decree, so each
    office enters them here.
    """

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="leave_days")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Cuti bersama Idul Fitri"))

    class Meta:
        verbose_name = _("leave day")
        verbose_name_plural = _("leave days")
        ordering = ["office", "date"]
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="unique_leave_day")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


def site_office(request=None):
    """The office the public site speaks for (``DEFAULT_OFFICE_CODE``), once per request."""
    if request is not None and hasattr(request, "_site_office"):
        return request._site_office
    office = Office.objects.filter(code=settings.DEFAULT_OFFICE_CODE).first()
    if request is not None:
        request._site_office = office
    return office
