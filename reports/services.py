"""Writes of the reports app: the search log and the export audit log."""

import re

from django.conf import settings
from django.db.models import Subquery
from django.utils import timezone

from offices.models import Office

from .models import ExportLog, SearchLog

SPACES = re.compile(r"\s+")
MAX_QUERY = SearchLog._meta.get_field("query").max_length


def normalise_query(text):
    """Lower case, single spaces, trimmed, at most 200 characters."""
    return SPACES.sub(" ", (text or "").strip().lower())[:MAX_QUERY].strip()


def record_search(text, result_count, *, office_code=None):
    """Log one catalogue search (called by the catalogue's search page, first page only).

    Blank searches (browsing) are not logged. One INSERT: the office is looked up
    inside it, so a search page costs one query more, whatever the office.
    """
    query = normalise_query(text)
    if not query:
        return None
    code = office_code or settings.DEFAULT_OFFICE_CODE
    return SearchLog.objects.create(
        office_id=Subquery(Office.objects.filter(code=code).values("pk")[:1]),
        query=query,
        result_count=result_count,
        day=timezone.localdate(),
    )


def client_ip(request):
    return request.META.get("REMOTE_ADDR") or None


def record_export(office, *, actor, kind, file_format, period, with_personal_data, rows, ip):
    return ExportLog.objects.create(
        office=office,
        actor=actor,
        kind=kind,
        file_format=file_format,
        start=period.start,
        end=period.end,
        with_personal_data=with_personal_data,
        row_count=rows,
        ip_address=ip,
    )
