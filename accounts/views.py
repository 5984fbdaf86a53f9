from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from .forms import ApiTokenForm, ProfileForm
from .models import ApiToken


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            translation.activate(user.preferred_language)
            messages.success(request, _("Your profile has been saved."))
            response = redirect("accounts:profile")
            response.set_cookie(
                "django_language", user.preferred_language, samesite="Lax", httponly=True
            )
            return response
    else:
        form = ProfileForm(instance=user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "verified": user.has_verified_email,
            "memberships": user.memberships.select_related("office"),
        },
    )


# How many of a person's tokens the page lists (newest first; revoked and expired included).
TOKENS_SHOWN = 50


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    """The "Token API" page: create a token (its value shown once, in this answer only),
    list them with their last use, revoke one or all. Verified e-mail addresses only."""
    user = request.user
    verified = user.has_verified_email
    created = raw = None
    form = ApiTokenForm(request.POST or None) if verified else None
    if verified and request.method == "POST" and form.is_valid():
        created, raw = ApiToken.issue(
            user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            scope=form.cleaned_data["scope"],
        )
        form = ApiTokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {
            "verified": verified,
            "form": form,
            "created": created,
            "raw_token": raw,
            "tokens": user.api_tokens.all()[:TOKENS_SHOWN],
            "active_count": user.api_tokens.active().count(),
        },
    )
    # The raw token must not be kept by a browser cache or a proxy.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    if request.method == "POST":
        token.revoke(reason="revoked by owner", actor=request.user)
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"token": token})


@login_required
@require_http_methods(["GET", "POST"])
def tokens_revoke_all(request):
    active = request.user.api_tokens.active()
    if request.method == "POST":
        count = 0
        for token in active:
            count += token.revoke(reason="all revoked by owner", actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d token has been revoked.", "%(count)d tokens have been revoked.", count
            )
            % {"count": count},
        )
        return redirect("accounts:tokens")
    return render(request, "accounts/token_revoke.html", {"all": True, "count": active.count()})
