from django import template

register = template.Library()


@register.filter
def lines(value):
    """Split multi-line standard text into its items, dropping blank lines and list markers."""
    items = []
    for line in (value or "").splitlines():
        stripped = line.strip().lstrip("-•*").strip()
        if stripped:
            items.append(stripped)
    return items
