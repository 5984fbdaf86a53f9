from django_tasks import task


@task()
def send_notification(*, notification_id):
    """Send one softcopy notification; a failure stays recorded for the retry command."""
    from .notify import deliver

    return deliver(notification_id)


@task()
def add_text_layer_to_scan(*, fulfilment_id, scan_name):
    """Recognise the text of delivered scans (OCR; see services.add_text_layer)."""
    from .services import add_text_layer

    return add_text_layer(fulfilment_id, scan_name)
