"""Background jobs shared by every app."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def send_email(*, subject, body, to, from_email=None, html=None, reply_to=None):
    """Send one e-mail. Enqueued after the transaction that caused it commits."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
    return len(to)


def enqueue_email(message):
    """Queue a rendered ``EmailMessage`` for the worker, once the current transaction commits."""
    html = None
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    kwargs = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "from_email": message.from_email,
        "html": html,
        "reply_to": list(message.reply_to) or None,
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
