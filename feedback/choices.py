"""The survey's fixed vocabulary: channels, elements U1–U9 with the regulation's wording,
answer labels, periods and grades."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyChannel(models.TextChoices):
    """How the respondent was served."""

    WALK_IN = "walk_in", _("Walk-in visit")
    DOWNLOAD = "download", _("Online download session")
    DELIVERED = "delivered", _("Delivered request")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    SEMESTER = "semester", _("Semester")
    YEAR = "year", _("Year")


GRADE_LABELS = {
    "A": _("Very good"),
    "B": _("Good"),
    "C": _("Less than good"),
    "D": _("Not good"),
}

OVERALL_CHOICES = [
    (1, _("1 — very poor")),
    (2, _("2 — poor")),
    (3, _("3 — fair")),
    (4, _("4 — good")),
    (5, _("5 — very good")),
]


class Element:
    """One of the nine IKM elements: code, short name, question and the four answers."""

    def __init__(self, code, name, question, answers):
        self.code = code
        self.name = name
        self.question = question
        self.answers = answers  # labels for scores 1, 2, 3, 4

    @property
    def field(self):
        return self.code.lower()

    @property
    def choices(self):
        return [(score, label) for score, label in enumerate(self.answers, start=1)]


# In the order of PermenPANRB No. 14/2017 (Lampiran), with its questions and answer labels.
ELEMENTS = (
    Element(
        "U1",
        _("Requirements"),
        _("How well do the service requirements match the kind of service?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "U2",
        _("Systems, mechanisms and procedures"),
        _("How easy are the service procedures at this unit?"),
        (_("Not easy"), _("Less easy"), _("Easy"), _("Very easy")),
    ),
    Element(
        "U3",
        _("Completion time"),
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Less fast"), _("Fast"), _("Very fast")),
    ),
    Element(
        "U4",
        _("Cost/tariff"),
        _("How fair is the cost or tariff of the service?"),
        (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free of charge")),
    ),
    Element(
        "U5",
        _("Product specification of the type of service"),
        _("How well does the product you received match what the service standard promises?"),
        (_("Not suitable"), _("Less suitable"), _("Suitable"), _("Very suitable")),
    ),
    Element(
        "U6",
        _("Staff competence"),
        _("How competent were the officers who served you?"),
        (_("Not competent"), _("Less competent"), _("Competent"), _("Very competent")),
    ),
    Element(
        "U7",
        _("Staff behaviour"),
        _("How polite and friendly were the officers who served you?"),
        (
            _("Not polite and friendly"),
            _("Less polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
    ),
    Element(
        "U8",
        _("Handling of complaints, suggestions and input"),
        _("How are complaints from service users handled?"),
        (
            pgettext_lazy("complaint handling", "None"),
            _("Exists but does not work"),
            _("Works but not fully"),
            _("Well managed"),
        ),
    ),
    Element(
        "U9",
        _("Facilities and infrastructure"),
        _("What is the quality of the facilities and infrastructure?"),
        (_("Poor"), _("Adequate"), pgettext_lazy("facilities", "Good"), _("Very good")),
    ),
)

ELEMENT_FIELDS = tuple(element.field for element in ELEMENTS)
# The respondent block of the survey (PermenPANRB 14/2017): four of the account's profile
# categories (``accounts.choices.PROFILE_FIELDS``), asked when the account lacks them.
RESPONDENT_FIELDS = ("sex", "age_group", "education", "occupation")
