"""Channels, statuses and classifications of complaints (pengaduan)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    """How the complaint reached the office (the channels of the service standard)."""

    WEB = "web", _("Complaint website")
    BOX = "box", _("Suggestion and complaint box")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL_MEDIA = "social_media", _("Social media")
    LAPOR = "lapor", _("LAPOR!")
    IN_PERSON = "in_person", _("In person")


# Channels an officer registers by hand (the website registers itself).
OFFICER_CHANNELS = [c for c in Channel if c != Channel.WEB]


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint status", "Received")
    VERIFIED = "verified", pgettext_lazy("complaint status", "Verified")
    ON_HOLD = "on_hold", pgettext_lazy("complaint status", "On hold")
    NOT_OURS = "not_ours", pgettext_lazy("complaint status", "Not our competence")
    IN_PROGRESS = "in_progress", pgettext_lazy("complaint status", "Being handled")
    ANSWERED = "answered", pgettext_lazy("complaint status", "Answered")
    CLOSED = "closed", pgettext_lazy("complaint status", "Closed")


# The settlement clock runs in these states; on hold pauses it, the others stop it.
CLOCK_RUNNING = (Status.RECEIVED, Status.VERIFIED, Status.IN_PROGRESS)
# May be put on hold or declared not ours.
HOLDABLE = CLOCK_RUNNING
# May be answered (a second answer keeps the complaint answered).
ANSWERABLE = (Status.VERIFIED, Status.IN_PROGRESS, Status.ANSWERED)
# May be assigned to an officer.
ASSIGNABLE = (Status.VERIFIED, Status.IN_PROGRESS)
FINISHED = (Status.NOT_OURS, Status.CLOSED)
NOT_FINISHED = tuple(status for status in Status if status not in FINISHED)

# Complaint's transitions and the statuses each may start from.
COMPLAINT_TRANSITIONS = {
    "verify": (Status.RECEIVED,),
    "classify": NOT_FINISHED,
    "hold": HOLDABLE,
    "resume": (Status.ON_HOLD,),
    "not_ours": (*HOLDABLE, Status.ON_HOLD),
    "assign": ASSIGNABLE,
    "answer": ANSWERABLE,
    "note": tuple(Status),
    "close": (Status.ANSWERED,),
    # The complainant may write again at any time; the reply joins the thread.
    "reply": tuple(Status),
}


class Severity(models.TextChoices):
    """Settlement tiers; each office sets the working days of each (``ComplaintPolicy``)."""

    LIGHT = "light", _("Light")
    NORMAL = "normal", _("Normal")
    INVESTIGATION = "investigation", _("Needs investigation")
    AUDIT = "audit", _("Needs audit")


class Category(models.TextChoices):
    SERVICE = "service", _("Service delivery")
    STAFF = "staff", _("Staff conduct")
    DATA = "data", _("Data and publications")
    FACILITIES = "facilities", _("Facilities")
    APPLICATION = "application", _("Application and website")
    SUGGESTION = "suggestion", _("Suggestion")
    OTHER = "other", pgettext_lazy("complaint category", "Other")


class IkmElement(models.TextChoices):
    """The nine elements (unsur) of the public satisfaction index, PermenPANRB 14/2017."""

    U1 = "U1", _("U1 Requirements")
    U2 = "U2", _("U2 Systems, mechanisms and procedures")
    U3 = "U3", _("U3 Completion time")
    U4 = "U4", _("U4 Cost or tariff")
    U5 = "U5", _("U5 Products by type of service")
    U6 = "U6", _("U6 Staff competence")
    U7 = "U7", _("U7 Staff behaviour")
    U8 = "U8", _("U8 Handling of complaints, suggestions and feedback")
    U9 = "U9", _("U9 Facilities and infrastructure")


class LaporClassification(models.TextChoices):
    """Report classes of SP4N-LAPOR!."""

    ASPIRATION = "aspiration", _("Aspiration")
    COMPLAINT = "complaint", _("Complaint")
    INFORMATION_REQUEST = "information_request", _("Request for information")


class MessageKind(models.TextChoices):
    ANSWER = "answer", _("Answer to the complainant")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply from the complainant")


class EventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    CLASSIFIED = "classified", _("Classified")
    NOTE = "note", _("Internal note added")
    ANSWER = "answer", _("Answer sent")
    REMINDER = "reminder", _("Reminder sent")
    ESCALATION = "escalation", _("Escalated to the supervisors")
    REPLY = "reply", _("Reply from the complainant")
