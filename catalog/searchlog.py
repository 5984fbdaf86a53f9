"""The search log: what people search for, for the reports (no identity kept)."""

import re

from django.utils import timezone

from offices.time import local_day

from .models import SearchLog

SPACES = re.compile(r"\s+")
MAX_QUERY = SearchLog._meta.get_field("query").max_length


def normalise_query(text):
    """Lower case, single spaces, trimmed, at most 200 characters."""
    return SPACES.sub(" ", (text or "").strip().lower())[:MAX_QUERY].strip()


def record_search(text, result_count, *, office):
    """Log one catalogue search (the search page, first page only) on the office's day.

    Blank searches (browsing) are not logged. ``office`` is the office the search was
    scoped to, or the site's office; without any office (none configured) the day is the
    installation's.
    """
    query = normalise_query(text)
    if not query:
        return None
    return SearchLog.objects.create(
        office=office,
        query=query,
        result_count=result_count,
        day=local_day(office) if office is not None else timezone.localdate(),
    )
