from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core.tasks import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    """allauth glue: e-mails go out through the background worker, after commit."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        enqueue_email(message)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = translation.get_language() or "id"
        if commit:
            user.save()
        return user
