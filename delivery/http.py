"""Serving stamped copies over HTTP, with single byte-range support (RFC 9110)."""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from . import services

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class Unsatisfiable(Exception):
    pass


def parse_range(header, size):
    """``(start, end)`` (end exclusive) for one satisfiable range, or None for the whole file.

    Malformed headers and multiple ranges are ignored (the whole file is sent, as HTTP
    allows); a range that starts past the end raises Unsatisfiable (416).
    """
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            raise Unsatisfiable
        return max(0, size - length), size
    start = int(first)
    end = int(last) + 1 if last else size
    if last and end <= start:
        return None
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size)


def copy_response(request, record, *, attachment):
    size = services.copy_size(record)
    try:
        byte_range = parse_range(request.headers.get("Range"), size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    start, end = byte_range or (0, size)
    response = StreamingHttpResponse(
        services.stream_copy(record, start=start, end=end),
        status=206 if byte_range else 200,
        content_type="application/pdf",
    )
    response["Content-Length"] = str(end - start)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    filename = f"{slugify(record.title)[:80] or 'publikasi'}-{record.trace_code}.pdf"
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
