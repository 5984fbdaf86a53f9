from django_tasks import task


@task()
def send_notification(*, notification_id):
    """Send one softcopy notification; a failure stays recorded for the retry command."""
    from .notify import deliver

    return deliver(notification_id)
