import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    MINOR_AGE_GROUPS,
    AgeGroup,
    ConsentPurpose,
    Education,
    InstitutionCategory,
    Occupation,
    Purpose,
    Role,
    Sex,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: online user, officer, supervisor or administrator.

    The e-mail address is the login. The profile fields are the respondent block
    BPS uses in its data-needs survey (SKD), so reports can describe users the way
    BPS does. No identity-card number or photo is ever stored.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    education = models.CharField(
        _("highest education"), max_length=12, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("main occupation"), max_length=20, choices=Occupation.choices, blank=True
    )
    institution_category = models.CharField(
        _("institution category"), max_length=20, choices=InstitutionCategory.choices, blank=True
    )
    institution_name = models.CharField(_("institution name"), max_length=200, blank=True)
    purpose = models.CharField(
        _("main purpose of data use"), max_length=12, choices=Purpose.choices, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="id"
    )
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("May sign in to the Django administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_minor(self):
        return self.age_group in MINOR_AGE_GROUPS

    @property
    def is_administrator(self):
        return self.is_superuser

    @property
    def has_verified_email(self):
        """True when allauth has confirmed the primary address (needed to read or download)."""
        return self.emailaddress_set.filter(email__iexact=self.email, verified=True).exists()

    def role_at(self, office):
        """The user's role at an office, or None for a visitor there."""
        for membership in self.memberships.all():
            if membership.office_id == office.pk:
                return membership.role
        return None

    def has_office_role(self, office, role=Role.OFFICER):
        """Officers and supervisors pass an officer check; only supervisors a supervisor check."""
        if self.is_superuser:
            return True
        current = self.role_at(office)
        if current is None:
            return False
        return role == Role.OFFICER or current == Role.SUPERVISOR


class Membership(models.Model):
    """An officer or supervisor's place at one office."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(
        "offices.Office", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="one_membership_per_office")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.office_id}"


def _hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A bearer token for a device (kiosk, display board) or an integration.

    Only a SHA-256 digest of the token is stored; the raw value is shown once.
    """

    PREFIX = "pst_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, user, *, name, days=None):
        """Create a token and return ``(token, raw_value)``; the raw value is not kept."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        days = days or settings.API_TOKEN_DAYS
        token = cls.objects.create(
            user=user,
            name=name,
            digest=_hash_token(raw),
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw):
        """Return the active token's user, or None. Lookup is by digest, so timing is safe."""
        if not raw or not raw.startswith(cls.PREFIX):
            return None
        token = cls.objects.active().select_related("user").filter(digest=_hash_token(raw)).first()
        if token is None or not token.user.is_active:
            return None
        cls.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


# The version of the privacy notice users consent to; raise it when the notice changes.
NOTICE_VERSION = "2026-11"


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """A recorded consent to the privacy notice of a given version, and its withdrawal.

    Given where a service starts (sign-up, the guest book); withdrawn on "Data saya"
    (``privacy.services.withdraw_consent``), which stops the processing for that purpose
    from then on (UU 27/2022 art. 40) without erasing what was processed before. The
    table keeps its first name (``privacy_consent``): the model moved here from
    ``privacy`` without moving data.
    """

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("notice version"), max_length=20, default=NOTICE_VERSION)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    guardian_consent = models.BooleanField(
        _("consent given by a parent or guardian"), default=False
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        db_table = "privacy_consent"
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} v{self.notice_version}"

    @property
    def is_active(self):
        return self.withdrawn_at is None

    def withdraw(self):
        if self.withdrawn_at is None:
            self.withdrawn_at = timezone.now()
            self.save(update_fields=["withdrawn_at"])

    @classmethod
    def holds(cls, user, purpose):
        """Whether ``user`` may be processed for ``purpose`` now (an active account, consented)."""
        return (
            user is not None
            and user.is_active
            and cls.objects.active().filter(user=user, purpose=purpose).exists()
        )
