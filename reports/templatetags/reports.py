from django import template
from django.utils.formats import number_format

from accounts.choices import Role

register = template.Library()


@register.filter
def report_value(value, unit=""):
    """A figure or cell as shown: "–" for no data, numbers in the current locale."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        text = number_format(value, 1, use_l10n=True)
    elif isinstance(value, int):
        text = number_format(value, 0, use_l10n=True, force_grouping=True)
    else:
        return str(value)
    if unit == "%":
        return f"{text} %"
    if unit == "min":
        return f"{text} mnt"
    if unit == "h":
        return f"{text} jam"
    return text


@register.filter
def is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def supervises(user, office):
    """True when the user may open the office's reports (a supervisor or an administrator)."""
    return user.is_authenticated and user.has_office_role(office, Role.SUPERVISOR)
