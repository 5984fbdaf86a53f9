from django import template

from ..choices import GRADE_LABELS

register = template.Library()


@register.filter
def grade_label(grade):
    """ "Sangat Baik" for A, and so on (PermenPANRB 14/2017)."""
    return GRADE_LABELS.get(grade, "")


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
