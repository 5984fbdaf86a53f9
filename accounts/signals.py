"""Removal from an office revokes the person's API tokens.

A ``post_delete`` receiver rather than a method, because memberships also go away in bulk
(a queryset delete, the admin, an office deleted with its memberships) and every path must
revoke. Role checks read the current memberships on every request anyway, so the token
loses the office at once; revoking makes the owner create a new token for what remains.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete
from django.dispatch import receiver

from history.context import current_request

from .models import ApiToken, Membership, User


@receiver(post_delete, sender=Membership, dispatch_uid="accounts.membership_removed")
def membership_removed(sender, instance, origin=None, **kwargs):
    # A deleted account takes its tokens with it (and must not gain audit lines meanwhile).
    origin_model = getattr(origin, "model", type(origin))
    if origin_model is User:
        return
    try:
        office = instance.office.code
    except ObjectDoesNotExist:
        office = instance.office_id
    request = current_request()
    actor = getattr(request, "user", None)
    ApiToken.objects.filter(user_id=instance.user_id).revoke(
        reason=f"removed from office {office}",
        actor=actor if actor is not None and actor.is_authenticated else None,
    )
