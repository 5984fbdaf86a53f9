"""Profile categories as BPS asks its users (the SKD respondent block), roles and consents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    AGE_18_24 = "18_24", _("18–24")
    AGE_25_34 = "25_34", _("25–34")
    AGE_35_44 = "35_44", _("35–44")
    AGE_45_54 = "45_54", _("45–54")
    AGE_55_64 = "55_64", _("55–64")
    AGE_65_PLUS = "65_plus", _("65 and over")


# Age groups whose members are minors (their data needs a guardian's consent).
MINOR_AGE_GROUPS = frozenset({AgeGroup.UNDER_18})


class Education(models.TextChoices):
    SECONDARY_OR_LOWER = "secondary", _("Senior high school (SLTA) or lower")
    DIPLOMA = "diploma", _("D1/D2/D3")
    BACHELOR = "bachelor", _("D4/S1")
    MASTER = "master", _("S2")
    DOCTORATE = "doctorate", _("S3")


class Occupation(models.TextChoices):
    STUDENT = "student", _("Student (pelajar/mahasiswa)")
    RESEARCHER = "researcher", _("Researcher or lecturer")
    CIVIL_SERVANT = "civil_servant", _("Civil servant, TNI or Polri")
    STATE_ENTERPRISE = "state_enterprise", _("BUMN/BUMD employee")
    PRIVATE_EMPLOYEE = "private_employee", _("Private employee")
    ENTREPRENEUR = "entrepreneur", _("Entrepreneur")
    OTHER = "other", pgettext_lazy("occupation", "Other")


class InstitutionCategory(models.TextChoices):
    """BPS's SKD institution categories."""

    STATE_INSTITUTION = "state_institution", _("State institution")
    MINISTRY = "ministry", _("Ministry or government agency")
    SECURITY = "security", _("TNI, Polri, BIN or Attorney's Office")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    INTERNATIONAL = "international", _("International organisation")
    RESEARCH_EDUCATION = "research_education", _("Research or education institution")
    STATE_ENTERPRISE = "state_enterprise", _("BUMN/BUMD")
    PRIVATE = "private", _("Private sector")
    OTHER = "other", pgettext_lazy("institution", "Other")


class Purpose(models.TextChoices):
    SCHOOL = "school", _("School or college assignment")
    GOVERNMENT = "government", _("Government planning and evaluation")
    RESEARCH = "research", _("Research")
    COMMERCIAL = "commercial", _("Commercial")
    OTHER = "other", pgettext_lazy("purpose", "Other")


class Role(models.TextChoices):
    """A user's role at one office. Supervisors can do everything officers can."""

    OFFICER = "officer", _("Officer")
    SUPERVISOR = "supervisor", _("Supervisor")


class TokenScope(models.TextChoices):
    """What an API token may do: read only (GET, HEAD, OPTIONS) or everything its owner may."""

    READ = "read", _("Read only")
    FULL = "full", _("Full (read and write)")


# The profile categories an account holds besides name and phone (the SKD respondent
# block): the sign-up and profile forms, the guest book and the reports use this list.
PROFILE_FIELDS = (
    "sex",
    "age_group",
    "education",
    "occupation",
    "institution_category",
    "institution_name",
    "purpose",
)


class ConsentPurpose(models.TextChoices):
    ACCOUNT = "account", _("Account and online library services")
    GUEST_BOOK = "guest_book", _("Guest book of a walk-in visit")
    SURVEY_EMAIL = "survey_email", _("Satisfaction survey invitations by e-mail")
    WHATSAPP_NOTICES = "whatsapp_notices", _("Notices on WhatsApp")


# Purposes a user may give or withdraw at any time without losing a service.
OPTIONAL_PURPOSES = (ConsentPurpose.SURVEY_EMAIL, ConsentPurpose.WHATSAPP_NOTICES)
# Purposes that need the phone number of the account.
PHONE_PURPOSES = (ConsentPurpose.WHATSAPP_NOTICES,)
