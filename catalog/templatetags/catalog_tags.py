from urllib.parse import parse_qsl

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

register = template.Library()

# The reader belongs to the delivery app; until it exists, page links open the publication page.
READER_URL_NAMES = ("delivery:publication-read", "delivery:reader")


@register.simple_tag
def reader_url(publication, page):
    for name in READER_URL_NAMES:
        try:
            return f"{reverse(name, args=[publication.pk])}?{urlencode({'page': int(page)})}"
        except NoReverseMatch:
            continue
    return f"{publication.get_absolute_url()}?{urlencode({'page': int(page)})}"


@register.simple_tag
def query_with(base_query, **changes):
    """The current search parameters (an encoded string) with some changed or removed."""
    params = dict(parse_qsl(base_query))
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params)


@register.simple_tag
def facet_url(base_query, name, value):
    """The current search with one filter set (or removed, for None), back on page 1."""
    return query_with(base_query, **{name: value})
