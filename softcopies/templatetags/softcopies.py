from django import template

from offices.time import local_day
from softcopies.models import SoftcopyRequest

register = template.Library()


@register.simple_tag
def overdue_softcopy_requests(office):
    """How many of the office's open requests are past their due date (back-office home)."""
    today = local_day(office)
    return SoftcopyRequest.objects.filter(office=office).overdue(today).count()
