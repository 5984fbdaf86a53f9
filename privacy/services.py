"""Data-subject rights and retention: export, erase (pseudonymise), expire.

Each domain's personal data is listed here in one place, so a new field holding
personal data is added to ``export_user_data``, ``erase_user`` and ``apply_retention``
together.
"""

import datetime
import logging

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from accounts.choices import OPTIONAL_PURPOSES, PHONE_PURPOSES, ConsentPurpose
from accounts.models import Consent
from complaints.models import Complaint
from core.errors import DomainError
from delivery.models import DeliveryRecord
from history.choices import AuditAction
from history.context import current_request
from history.log import label, record
from offices.models import Office, site_office
from visits.models import GuestBookEntry, LockerAssignment, Visit

from .models import PrivacySettings

logger = logging.getLogger(__name__)


class DeletionTokenGenerator(PasswordResetTokenGenerator):
    """One-time, expiring links that confirm an account deletion (invalid once used)."""

    key_salt = "privacy.DeletionTokenGenerator"


deletion_tokens = DeletionTokenGenerator()


def export_user_data(user):
    """Everything the application holds about ``user``, as plain data (JSON-ready)."""
    data = {
        "profile": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "sex": user.get_sex_display(),
            "age_group": user.get_age_group_display(),
            "education": user.get_education_display(),
            "occupation": user.get_occupation_display(),
            "institution_category": user.get_institution_category_display(),
            "institution_name": user.institution_name,
            "purpose": user.get_purpose_display(),
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
        },
        "consents": [
            {
                "purpose": c.get_purpose_display(),
                "notice_version": c.notice_version,
                "given_at": c.given_at.isoformat(),
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in Consent.objects.filter(user=user)
        ],
    }
    data["reads_and_downloads"] = [
        {
            "publication": r.publication.title,
            "channel": r.get_channel_display(),
            "time": r.created_at.isoformat(),
            "trace_code": r.trace_code,
            "ip_address": r.ip_address,
        }
        for r in DeliveryRecord.objects.filter(user=user).select_related("publication")
    ]
    data["complaints"] = [
        {
            "tracking_code": c.tracking_code,
            "status": c.get_status_display(),
            "received_at": c.received_at.isoformat() if c.received_at else None,
            "description": c.description,
        }
        for c in Complaint.objects.filter(complainant=user)
    ]
    data["visits"] = [
        {
            "date": v.guest_book_at.isoformat() if v.guest_book_at else None,
            "office": v.office.name,
        }
        for v in Visit.objects.filter(visitor=user).select_related("office")
    ]
    return data


def pseudonym_email(user):
    return f"deleted-{user.pk}@pseudonym.invalid"


@transaction.atomic
def erase_user(user, *, request=None, by=None):
    """Remove or pseudonymise ``user``'s personal data, keeping records the office must keep.

    The account becomes "Pengguna terhapus <id>": its download log (trace codes),
    visits and complaints stay, linked to the pseudonym, so statistics do not change.
    """
    old_email = user.email
    old_name = user.full_name
    user.email = pseudonym_email(user)
    user.full_name = f"Pengguna terhapus {user.pk}"
    user.phone = ""
    user.institution_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    user.api_tokens.all().delete()
    _drop_sessions(user)
    _scrub_elsewhere(user, old_email, old_name)
    record(
        f"user {user.pk}",
        AuditAction.DELETION,
        actor=by if by is not None else getattr(request or current_request(), "user", None),
        detail="account erased",
    )
    return user


def _drop_sessions(user):
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


def _scrub_elsewhere(user, old_email, old_name):
    """Copies of the name and e-mail kept by other apps and libraries."""
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=old_email).delete()
    for complaint in Complaint.objects.filter(complainant=user):
        complaint.contact_name = ""
        complaint.contact_email = ""
        complaint.contact_whatsapp = ""
        complaint.save(update_fields=["contact_name", "contact_email", "contact_whatsapp"])
    entries = GuestBookEntry.objects.filter(visit__visitor=user)
    entries.update(full_name=user.full_name, email=user.email, phone="")
    LockerAssignment.objects.filter(visit__visitor=user).update(holder_name=user.full_name)
    # Finished e-mail jobs keep their arguments (recipient, text); drop this person's.
    for field in ("args_kwargs", "return_value"):
        DBTaskResult.objects.filter(**{f"{field}__icontains": old_email}).delete()
        if old_name:
            DBTaskResult.objects.filter(**{f"{field}__icontains": old_name}).delete()


def pseudonymise_guest_book_entry(entry):
    entry.full_name = f"Pengunjung {entry.pk}"
    entry.email = f"visitor-{entry.pk}@pseudonym.invalid"
    entry.phone = ""
    entry.save(update_fields=["full_name", "email", "phone"])


class ConsentError(DomainError):
    """A consent change that is not possible; the message is shown to the user."""


def _record_consent(user, detail):
    # The office whose privacy notice users consent to: its DPO sees the audit line.
    record(label(user), AuditAction.CONSENT, actor=user, office=site_office(), detail=detail)


@transaction.atomic
def withdraw_consent(user, purpose, *, request=None):
    """Withdraw ``user``'s consent for ``purpose`` and stop that processing; return the count.

    - account: the account can no longer be used (inactive, signed out everywhere, API
      tokens revoked) and survey e-mails stop with it; the data stay until the user asks
      for deletion, which remains a separate choice;
    - guest book: the names and contacts in the user's guest-book entries are
      pseudonymised (the visits stay, for the counts the office must report);
    - survey e-mails: no more invitations by e-mail;
    - WhatsApp notices: notices go by e-mail again (queue, softcopy, complaint, survey).

    Withdrawing what is already withdrawn changes nothing and returns 0.
    """
    purposes = [purpose]
    if purpose == ConsentPurpose.ACCOUNT:
        purposes.extend(OPTIONAL_PURPOSES)
    active = Consent.objects.select_for_update().active().filter(user=user, purpose__in=purposes)
    withdrawn = [c.purpose for c in active if c.purpose == purpose]
    if not withdrawn:
        return 0
    active.update(withdrawn_at=timezone.now())
    if purpose == ConsentPurpose.ACCOUNT:
        user.is_active = False
        user.save(update_fields=["is_active"])
        user.api_tokens.all().delete()
        _drop_sessions(user)
    elif purpose == ConsentPurpose.GUEST_BOOK:
        for entry in GuestBookEntry.objects.filter(visit__visitor=user):
            pseudonymise_guest_book_entry(entry)
    _record_consent(user, f"withdrawn: {purpose}")
    return len(withdrawn)


@transaction.atomic
def give_consent(user, purpose, *, request=None):
    """Give an optional consent again (nothing changes if it is already given)."""
    if purpose not in OPTIONAL_PURPOSES:
        raise ConsentError(_("This consent is given where the service starts."))
    if purpose in PHONE_PURPOSES and not user.phone:
        raise ConsentError(
            _("Add your WhatsApp number to your profile first, then turn on WhatsApp notices.")
        )
    # Lock the user's row so that a doubled request cannot give the consent twice.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    consent = Consent.objects.active().filter(user=user, purpose=purpose).first()
    if consent is not None:
        return consent, False
    consent = Consent.objects.create(user=user, purpose=purpose)
    _record_consent(user, f"given: {purpose}")
    return consent, True


def apply_retention(*, now=None, dry_run=False):
    """Pseudonymise what has outlived each office's retention periods; return the counts.

    Aggregate fields (service, dates, profile categories) stay, so statistics are kept.
    The audit log is never touched.
    """
    now = now or timezone.now()
    counts = {"download_logs": 0, "complaint_identities": 0, "guest_book_entries": 0}
    for office in Office.objects.all():
        policy = PrivacySettings.for_office(office)
        old = DeliveryRecord.objects.filter(
            office=office,
            created_at__lt=now - datetime.timedelta(days=policy.download_log_days),
        ).exclude(ip_address__isnull=True, user_agent="")
        counts["download_logs"] += old.count()
        if not dry_run:
            old.update(ip_address=None, user_agent="")
        cutoff = now - datetime.timedelta(days=policy.complaint_identity_days)
        closed = Complaint.objects.filter(office=office, closed_at__lt=cutoff)
        for complaint in closed.iterator():
            if not (
                complaint.contact_name
                or complaint.contact_email
                or complaint.contact_whatsapp
                or complaint.complainant_id
            ):
                continue
            counts["complaint_identities"] += 1
            if not dry_run:
                complaint.contact_name = complaint.contact_email = ""
                complaint.contact_whatsapp = ""
                complaint.complainant = None
                complaint.save(
                    update_fields=[
                        "contact_name",
                        "contact_email",
                        "contact_whatsapp",
                        "complainant",
                    ]
                )
        old = GuestBookEntry.objects.filter(
            visit__office=office,
            created_at__lt=now - datetime.timedelta(days=policy.guest_book_days),
        )
        for entry in old.iterator():
            if entry.email.endswith("@pseudonym.invalid") and not entry.phone:
                continue  # already done (encrypted fields cannot be filtered on)
            counts["guest_book_entries"] += 1
            if not dry_run:
                pseudonymise_guest_book_entry(entry)
    if not dry_run and any(counts.values()):
        record("retention", AuditAction.RETENTION, detail=str(counts))
    return counts
