"""Background jobs of the complaints app."""

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task


@task()
def send_whatsapp(*, to, body):
    """Hand one WhatsApp message to the configured sender (COMPLAINT_WHATSAPP_SENDER)."""
    sender = import_string(settings.COMPLAINT_WHATSAPP_SENDER)
    sender(to=to, body=body)
    return 1
