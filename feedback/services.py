"""Survey workflows: invite someone who was served, answer once, and sum up a period.

``invite`` is the one entry point for every kind of service: walk-in visits (visits),
download sessions (delivery) and delivered requests (softcopies) all call it with the
object that was served. ``submit`` stores an answer once, under a row lock, and
``summarize`` turns a period's answers into the IKM (see ``feedback.ikm``).
"""

import calendar
import datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.choices import ConsentPurpose
from accounts.hooks import offer_notice
from accounts.models import Consent
from core.tasks import enqueue_email
from delivery.choices import Channel as DeliveryChannel
from delivery.models import DeliveryRecord
from offices.choices import Service
from offices.time import Period, local_day
from visits.models import Visit

from . import ikm
from .choices import ELEMENT_FIELDS, ELEMENTS, RESPONDENT_FIELDS, PeriodKind, SurveyChannel
from .models import (
    SETTINGS_FIELDS,
    TOKEN_SALT,
    FeedbackError,
    SurveyInvitation,
    SurveyResponse,
    SurveySettings,
    default_expiry,
    get_content_type,
)

LINK_INVALID = gettext_lazy("This survey link is not valid.")
LINK_EXPIRED = gettext_lazy("This survey link has expired.")


# Invitations -------------------------------------------------------------------------------


def invite(
    *,
    office,
    service,
    channel,
    user=None,
    source=None,
    served_by=None,
    session_day=None,
    email=False,
):
    """The invitation for one service given, created on first call (idempotent).

    ``source`` is the served object (a ``visits.Visit``, a ``delivery.DeliveryRecord``, a
    softcopy request…): one invitation per source. Download sessions pass no source but
    ``channel="download"``, the ``user`` and the ``session_day``: one per user, office and day.
    ``session_day`` is the day of service the answer is counted under (default: today).
    ``email=True`` also e-mails the link to ``user`` (once, after commit).
    """
    invitation = _get_or_create_invitation(
        office=office,
        service=service,
        channel=channel,
        user=user,
        source=source,
        served_by=served_by,
        session_day=session_day,
    )
    if email:
        email_invitation(invitation)
    return invitation


def _get_or_create_invitation(*, office, service, channel, user, source, served_by, session_day):
    if service not in Service.values:
        raise FeedbackError(_("Unknown service."))
    if channel not in SurveyChannel.values:
        raise FeedbackError(_("Unknown channel."))
    lookup = {}
    if source is not None:
        lookup = {"source_type": get_content_type(source), "source_id": source.pk}
    elif channel == SurveyChannel.DOWNLOAD and user is not None and session_day is not None:
        lookup = {"office": office, "user": user, "channel": channel, "session_day": session_day}
    else:
        raise FeedbackError(_("An invitation must name the service it is about."))
    found = SurveyInvitation.objects.filter(**lookup).first()
    if found is not None:
        return found
    now = timezone.now()
    fields = {
        "created_at": now,
        "office": office,
        "service": service,
        "channel": channel,
        "user": user,
        "served_by": served_by,
        "session_day": session_day,
        "expires_at": default_expiry(office, now),
        **lookup,
    }
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(**fields)
    except IntegrityError:
        # Two requests at once: the other one created it.
        return SurveyInvitation.objects.get(**lookup)


def invite_for_visit(visit):
    """The survey invitation of a finished walk-in visit (made when the service finishes:
    ``visits.hooks.visit_finished``)."""
    if visit.finished_at is None:
        raise FeedbackError(_("The visit can be rated once the service has finished."))
    return invite(
        office=visit.office,
        service=visit.service,
        channel=SurveyChannel.WALK_IN,
        user=visit.visitor,
        source=visit,
        served_by=visit.served_by,
        session_day=local_day(visit.office, visit.finished_at),
    )


def visit_survey_path(visit):
    """The survey path of a visit's invitation, or None (``visits.hooks.survey_path``)."""
    invitation = SurveyInvitation.objects.filter(
        source_type=get_content_type(visit), source_id=visit.pk
    ).first()
    return survey_path(invitation) if invitation is not None else None


def download_days(user, *, since):
    """(office, day) pairs on which ``user`` downloaded, newest first."""
    records = DeliveryRecord.objects.filter(
        user=user, channel=DeliveryChannel.DOWNLOAD, created_at__gte=since
    ).select_related("office")
    seen = {}
    for record in records.order_by("-created_at"):
        key = (record.office_id, local_day(record.office, record.created_at))
        seen.setdefault(key, (record.office, key[1]))
    return list(seen.values())


def invite_download_session(user, office, day):
    return invite(
        office=office,
        service=Service.LIBRARY,
        channel=SurveyChannel.DOWNLOAD,
        user=user,
        session_day=day,
    )


def pending_download_invitations(user, *, now=None):
    """Open invitations for the user's recent download days (creating missing ones)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.FEEDBACK_LINK_DAYS)
    invitations = []
    for office, day in download_days(user, since=since):
        invitation = invite_download_session(user, office, day)
        if not invitation.is_answered and not invitation.is_expired(now):
            invitations.append(invitation)
    return invitations


def survey_path(invitation):
    return reverse("feedback:survey", args=[invitation.token])


def survey_url(invitation):
    return settings.SITE_URL + survey_path(invitation)


def email_invitation(invitation, *, now=None):
    """E-mail the survey link to the invited user, once (after commit)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        user = invitation.user
        if invitation.emailed_at or invitation.is_answered or user is None or not user.email:
            return False
        by_email = Consent.holds(user, ConsentPurpose.SURVEY_EMAIL)
        with translation.override(user.preferred_language or "id"):
            context = {
                "user": user,
                "invitation": invitation,
                "office": invitation.office,
                "url": survey_url(invitation),
            }
            message = EmailMessage(
                subject=_("[PST BPS] How was our service? A two-minute survey"),
                body=render_to_string("feedback/email/invitation.txt", context),
                to=[user.email],
            )
        # WhatsApp for a user who opted in to WhatsApp notices (channels app), with this
        # e-mail as the fallback only if survey e-mails are consented to as well.
        offered = any(
            offer_notice(
                user=user,
                office=invitation.office,
                kind="survey_invitation",
                subject=str(message.subject),
                body=message.body,
                url=context["url"],
                email_fallback=by_email,
            )
        )
        if not offered:
            if not by_email:
                return False  # never asked for, or withdrawn: the link stays on their pages only
            enqueue_email(message)
        invitation.emailed_at = now
        invitation.save(update_fields=["emailed_at"])
    return True


def send_download_invitations(*, now=None, quiet_minutes=60):
    """Invite by e-mail every user with a finished day of downloads, one per session.

    A session counts as finished when the user has not downloaded for ``quiet_minutes``.
    Returns the number of e-mails queued.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.FEEDBACK_LINK_DAYS)
    quiet = now - datetime.timedelta(minutes=quiet_minutes)
    sessions = {}
    records = DeliveryRecord.objects.filter(
        channel=DeliveryChannel.DOWNLOAD, created_at__gte=since
    ).select_related("office", "user")
    for record in records.order_by("created_at"):
        key = (record.user_id, record.office_id, local_day(record.office, record.created_at))
        sessions[key] = record  # the last download of the session
    sent = 0
    for record in sessions.values():
        if record.created_at > quiet:
            continue
        invitation = invite_download_session(
            record.user, record.office, local_day(record.office, record.created_at)
        )
        if email_invitation(invitation, now=now):
            sent += 1
    return sent


def invitation_from_token(token):
    """The open invitation a survey link names, or FeedbackError with the reason."""
    try:
        pk = int(signing.Signer(salt=TOKEN_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise FeedbackError(str(LINK_INVALID)) from exc
    invitation = (
        SurveyInvitation.objects.select_related("office", "user", "served_by").filter(pk=pk).first()
    )
    if invitation is None:
        raise FeedbackError(str(LINK_INVALID))
    return invitation


def check_open(invitation, *, now=None):
    if invitation.is_answered:
        raise FeedbackError(_("This survey has already been answered. Thank you!"))
    if invitation.is_expired(now):
        raise FeedbackError(str(LINK_EXPIRED))


# Answers -------------------------------------------------------------------------------------


def profile_from_user(user):
    """The profile categories an account already holds (blank where unknown)."""
    if user is None:
        return dict.fromkeys(RESPONDENT_FIELDS, "")
    return {field: getattr(user, field, "") or "" for field in RESPONDENT_FIELDS}


def submit(invitation, *, scores, overall, comment="", profile=None, language=""):
    """Store the answer to an invitation, once.

    ``scores`` maps "u1".."u9" to 1–4. The invitation row is locked, so two submissions
    of the same link at once store one answer. A walk-in visit also gets its 1–5 rating.
    """
    missing = [field for field in ELEMENT_FIELDS if scores.get(field) is None]
    if missing:
        raise FeedbackError(_("Answer every question of the survey."))
    if any(not 1 <= int(scores[field]) <= 4 for field in ELEMENT_FIELDS):
        raise FeedbackError(_("Each answer must be a score from 1 to 4."))
    if not 1 <= int(overall) <= 5:
        raise FeedbackError(_("Choose an overall rating from 1 to 5."))
    profile = {
        **profile_from_user(invitation.user),
        **{k: v for k, v in (profile or {}).items() if v},
    }
    with transaction.atomic():
        invitation = (
            SurveyInvitation.objects.select_for_update()
            .select_related("office")
            .get(pk=invitation.pk)
        )
        check_open(invitation)
        anonymous = SurveySettings.for_office(invitation.office).anonymous
        now = timezone.now()
        response = SurveyResponse.objects.create(
            office=invitation.office,
            service=invitation.service,
            channel=invitation.channel,
            day=invitation.service_day,
            served_by=invitation.served_by,
            invitation=None if anonymous else invitation,
            respondent=None if anonymous else invitation.user,
            overall=int(overall),
            comment=comment.strip(),
            language=language[:5],
            **{field: int(scores[field]) for field in ELEMENT_FIELDS},
            **{field: profile.get(field, "") for field in RESPONDENT_FIELDS},
        )
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
        _rate_visit(invitation, overall=int(overall), comment="" if anonymous else comment)
    return response


def _rate_visit(invitation, *, overall, comment):
    """Give the walk-in visit its 1–5 rating, which its officer sees on the visit."""
    visit = invitation.source
    if isinstance(visit, Visit) and visit.rated_at is None:
        visit.rate(rating=overall, comment=comment.strip())


# Periods and figures ---------------------------------------------------------------------


def period_bounds(kind, year, index=1):
    """[start, end) dates of a month (index 1–12), semester (1–2) or year."""
    if kind == PeriodKind.MONTH:
        if not 1 <= index <= 12:
            raise FeedbackError(_("A month is numbered 1 to 12."))
        start = datetime.date(year, index, 1)
        end = start + datetime.timedelta(days=calendar.monthrange(year, index)[1])
    elif kind == PeriodKind.SEMESTER:
        if index not in (1, 2):
            raise FeedbackError(_("A semester is numbered 1 or 2."))
        start = datetime.date(year, 1 if index == 1 else 7, 1)
        end = datetime.date(year, 7, 1) if index == 1 else datetime.date(year + 1, 1, 1)
    elif kind == PeriodKind.YEAR:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    else:
        raise FeedbackError(_("Unknown period."))
    return start, end


def current_period(kind, today):
    """(year, index) of the period holding ``today`` (the office's day: ``local_day``)."""
    if kind == PeriodKind.MONTH:
        return today.year, today.month
    if kind == PeriodKind.SEMESTER:
        return today.year, 1 if today.month <= 6 else 2
    return today.year, 1


def previous_periods(kind, year, index, count):
    """The ``count`` periods up to and including (year, index), oldest first."""
    periods = []
    for _step in range(count):
        periods.append((year, index))
        if kind == PeriodKind.MONTH:
            year, index = (year, index - 1) if index > 1 else (year - 1, 12)
        elif kind == PeriodKind.SEMESTER:
            year, index = (year, 1) if index == 2 else (year - 1, 2)
        else:
            year -= 1
    return list(reversed(periods))


def period_label(kind, year, index):
    if kind == PeriodKind.MONTH:
        return f"{index:02d}/{year}"
    if kind == PeriodKind.SEMESTER:
        return _("Semester %(index)s %(year)s") % {"index": index, "year": year}
    return str(year)


def served_count(office, start, end, service=None):
    """People served in [start, end): finished visits, download sessions, delivered requests.

    Days are the office's (``offices.time``). Download sessions and deliveries count once
    per user and local day (library service only).
    """
    period = Period(start, end - datetime.timedelta(days=1), office.tzinfo)
    since, until = period.since, period.until
    visits = Visit.objects.filter(office=office, finished_at__gte=since, finished_at__lt=until)
    if service:
        visits = visits.filter(service=service)
    counts = {"visits": visits.count(), "download_sessions": 0, "delivered": 0}
    if service in (None, "", Service.LIBRARY):
        records = DeliveryRecord.objects.filter(
            office=office, created_at__gte=since, created_at__lt=until
        )
        for channel, key in (
            (DeliveryChannel.DOWNLOAD, "download_sessions"),
            (DeliveryChannel.DELIVERED, "delivered"),
        ):
            # One per user and local day, counted by the database.
            counts[key] = (
                records.filter(channel=channel)
                .annotate(day=TruncDate("created_at", tzinfo=office.tzinfo))
                .values("user_id", "day")
                .distinct()
                .count()
            )
    counts["total"] = sum(counts.values())
    return counts


def element_sums(responses):
    """(respondents, nine sums) of a queryset of answers, in one query."""
    totals = responses.aggregate(
        n=models.Count("pk"), **{field: models.Sum(field) for field in ELEMENT_FIELDS}
    )
    return totals["n"], [totals[field] or 0 for field in ELEMENT_FIELDS]


def compute_ikm(responses):
    respondents, sums = element_sums(responses)
    return ikm.compute(sums, respondents)


def summarize(office, start, end, *, service=None):
    """The IKM of an office for service days in [start, end), optionally for one service."""
    responses = SurveyResponse.objects.filter(office=office).between(start, end)
    if service:
        responses = responses.filter(service=service)
    result = compute_ikm(responses)
    served = served_count(office, start, end, service=service)
    needed = ikm.sample_size(served["total"])
    respondents = result.respondents if result else 0
    return {
        "start": start,
        "end": end,
        "service": service,
        "result": result,
        "respondents": respondents,
        "served": served,
        "sample_needed": needed,
        "sample_sufficient": respondents > 0 and respondents >= needed,
        "responses": responses,
    }


def profile_breakdown(responses):
    """Respondent counts per profile category: {field: [(value, label, count), ...]}."""
    breakdown = {}
    for field in RESPONDENT_FIELDS:
        model_field = SurveyResponse._meta.get_field(field)
        labels = dict(model_field.choices)
        rows = responses.order_by().values(field).annotate(n=models.Count("pk"))
        counts = {row[field]: row["n"] for row in rows}
        breakdown[field] = [(value, label, counts.get(value, 0)) for value, label in labels.items()]
        if counts.get(""):
            breakdown[field].append(("", _("Not stated"), counts[""]))
    return breakdown


def ikm_by(responses, field):
    """IKM grouped by ``field`` (service or served_by): {value: IkmResult}."""
    rows = (
        responses.order_by()
        .values(field)
        .annotate(n=models.Count("pk"), **{f: models.Sum(f) for f in ELEMENT_FIELDS})
    )
    return {row[field]: ikm.compute([row[f] for f in ELEMENT_FIELDS], row["n"]) for row in rows}


def update_settings(office, *, by, anonymous, link_days, publish_summary):
    """Change the office's survey settings and keep a history row of the change."""
    with transaction.atomic():
        current, _created = SurveySettings.objects.select_for_update().get_or_create(office=office)
        before = {field: getattr(current, field) for field in SETTINGS_FIELDS}
        current.anonymous = anonymous
        current.link_days = link_days
        current.publish_summary = publish_summary
        current.updated_by = by
        current.save(
            update_fields=["anonymous", "link_days", "publish_summary", "updated_by", "updated_at"]
        )
        after = {field: getattr(current, field) for field in SETTINGS_FIELDS}
        current.log("changed", actor=by, before=before, after=after)
    return current


def element_rows(result, priorities=3):
    """Rows for tables and bars: element, NRR and NRR × 25 to two decimals, priority flag."""
    if result is None:
        return []
    lowest = set(result.lowest_elements(priorities))
    return [
        {
            "element": element,
            "nrr": ikm.to_two_places(nrr),
            "score": ikm.to_two_places(nrr * ikm.SCALE_FACTOR),
            "priority": index in lowest,
        }
        for index, (element, nrr) in enumerate(zip(ELEMENTS, result.nrr, strict=True))
    ]


def trend(office, kind, year, index, *, count, service=None):
    """The IKM of the ``count`` periods up to (year, index), oldest first."""
    rows = []
    for y, i in previous_periods(kind, year, index, count):
        start, end = period_bounds(kind, y, i)
        responses = SurveyResponse.objects.filter(office=office).between(start, end)
        if service:
            responses = responses.filter(service=service)
        rows.append({"label": period_label(kind, y, i), "result": compute_ikm(responses)})
    return rows
