import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.mail import EmailMessage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.choices import OPTIONAL_PURPOSES, ConsentPurpose
from accounts.models import NOTICE_VERSION, Consent, User
from core.tasks import enqueue_email
from offices.models import Office

from .. import services
from ..models import PrivacySettings


def notice(request):
    office = get_object_or_404(Office, code=settings.DEFAULT_OFFICE_CODE)
    return render(
        request,
        "privacy/public/notice.html",
        {"office": office, "policy": PrivacySettings.for_office(office), "version": NOTICE_VERSION},
    )


@login_required
def my_data(request):
    return render(
        request,
        "privacy/public/my_data.html",
        {
            "data": services.export_user_data(request.user),
            "consents": Consent.objects.filter(user=request.user),
        },
    )


@login_required
def my_data_json(request):
    body = json.dumps(services.export_user_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def deletion_request(request):
    """Mail a one-time link; the account is erased only when it is opened and confirmed."""
    user = request.user
    uid = urlsafe_base64_encode(str(user.pk).encode())
    link = settings.SITE_URL + reverse(
        "privacy:deletion-confirm", args=[uid, services.deletion_tokens.make_token(user)]
    )
    with translation.override(user.preferred_language or "id"):
        message = EmailMessage(
            subject=_("[PST] Confirm the deletion of your account"),
            body=render_to_string(
                "privacy/public/deletion_email.txt", {"user": user, "link": link}
            ),
            to=[user.email],
        )
    enqueue_email(message)
    messages.success(
        request, _("We sent a confirmation link to your e-mail address. It is valid for 3 days.")
    )
    return redirect("privacy:my-data")


def deletion_confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64)))
    except (ValueError, User.DoesNotExist):
        raise Http404 from None
    if not services.deletion_tokens.check_token(user, token):
        return render(request, "privacy/public/deletion_invalid.html", status=400)
    if request.method == "POST":
        services.erase_user(user, request=request, by=user)
        if request.user.is_authenticated:
            logout(request)
        return render(request, "privacy/public/deletion_done.html")
    return render(request, "privacy/public/deletion_confirm.html", {"account": user})


# What withdrawing each purpose means for the user, shown before they confirm.
WITHDRAWAL_EFFECTS = {
    ConsentPurpose.ACCOUNT: gettext_lazy(
        "Your account can no longer be used for online services: you are signed out on "
        "every device, cannot sign in again, and no longer receive survey e-mails. Your data "
        "are not deleted by this; ask for the deletion link first if you also want that."
    ),
    ConsentPurpose.GUEST_BOOK: gettext_lazy(
        "The names and contact details in your guest-book entries are replaced by a "
        "pseudonym. The visits stay counted in the office's statistics. You give this "
        "consent again when you next fill in the guest book."
    ),
    ConsentPurpose.SURVEY_EMAIL: gettext_lazy(
        "We no longer e-mail you survey invitations. You can give this consent again on "
        "this page at any time."
    ),
    ConsentPurpose.WHATSAPP_NOTICES: gettext_lazy(
        "We no longer send you notices on WhatsApp (queue, softcopies, complaints, surveys): "
        "they go by e-mail again. You can give this consent again on this page at any time."
    ),
}


@login_required
def consent_list(request):
    """The user's consents: the latest one of each purpose, with what can be given again."""
    latest = {}
    for consent in Consent.objects.filter(user=request.user).order_by("-given_at", "-pk"):
        if consent.purpose not in latest or (
            consent.is_active and not latest[consent.purpose].is_active
        ):
            latest[consent.purpose] = consent
    consents = sorted(latest.values(), key=lambda c: ConsentPurpose.values.index(c.purpose))
    optional = [
        (purpose, ConsentPurpose(purpose).label)
        for purpose in OPTIONAL_PURPOSES
        if purpose not in latest or not latest[purpose].is_active
    ]
    return render(
        request,
        "privacy/public/consent_list.html",
        {"consents": consents, "optional": optional},
    )


@login_required
def consent_withdraw(request, pk):
    """GET explains what withdrawing means; POST withdraws every consent of that purpose."""
    consent = get_object_or_404(Consent, pk=pk, user=request.user)
    purpose = ConsentPurpose(consent.purpose)
    if not Consent.objects.active().filter(user=request.user, purpose=purpose).exists():
        messages.info(request, _("This consent is already withdrawn."))
        return redirect("privacy:consent-list")
    if request.method == "POST":
        if not services.withdraw_consent(request.user, purpose, request=request):
            # A doubled request that lost the race: the first one withdrew it.
            messages.info(request, _("This consent is already withdrawn."))
            return redirect("privacy:consent-list")
        if purpose == ConsentPurpose.ACCOUNT:
            logout(request)
            return render(request, "privacy/public/consent_withdrawn.html")
        messages.success(
            request,
            _("Consent withdrawn: %(purpose)s.") % {"purpose": purpose.label},
        )
        return redirect("privacy:consent-list")
    return render(
        request,
        "privacy/public/consent_withdraw.html",
        {"consent": consent, "effect": WITHDRAWAL_EFFECTS[purpose]},
    )


@login_required
@require_POST
def consent_give(request, purpose):
    if purpose not in OPTIONAL_PURPOSES:
        raise Http404
    try:
        _consent, given = services.give_consent(request.user, purpose, request=request)
    except services.ConsentError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:consent-list")
    if given:
        messages.success(
            request, _("Consent given: %(purpose)s.") % {"purpose": ConsentPurpose(purpose).label}
        )
    return redirect("privacy:consent-list")
