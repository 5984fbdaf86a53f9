from django import template

from accounts.choices import Role

from ..choices import GRADE_LABELS

register = template.Library()


@register.filter
def grade_label(grade):
    """ "Sangat Baik" for A, and so on (PermenPANRB 14/2017)."""
    return GRADE_LABELS.get(grade, "")


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def supervises(user, office):
    """True when ``user`` is a supervisor of ``office`` (to hide links they may not open)."""
    return bool(user and user.is_authenticated and user.has_office_role(office, Role.SUPERVISOR))
