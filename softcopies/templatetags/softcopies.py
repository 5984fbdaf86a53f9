from django import template
from django.utils import timezone

from softcopies.models import SoftcopyRequest

register = template.Library()


@register.simple_tag
def overdue_softcopy_requests(office):
    """How many of the office's open requests are past their due date (back-office home)."""
    today = timezone.localdate(timezone=office.tzinfo)
    return SoftcopyRequest.objects.filter(office=office).overdue(today).count()
