"""Checks on complaint attachments: images (PNG, JPEG, WebP) or PDF, judged by content."""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MAX_ATTACHMENTS = 5
ACCEPT = "image/png,image/jpeg,image/webp,application/pdf"
PILLOW_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


def _sniff(head):
    """The content type the first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _opens_as_image(upload, expected):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt = image.format
                image.verify()
    except (
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        return False
    return PILLOW_FORMATS.get(fmt) == expected


def _opens_as_pdf(upload):
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            return False
        return len(reader.pages) > 0
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        return False


def check_attachment(upload):
    """Return the content type of a valid attachment, or raise ``ValidationError``."""
    limit_mb = settings.COMPLAINT_MAX_ATTACHMENT_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("%(name)s is larger than %(limit)d MB."),
            params={"name": upload.name, "limit": limit_mb},
            code="too_large",
        )
    upload.seek(0)
    content_type = _sniff(upload.read(16))
    upload.seek(0)
    ok = False
    if content_type == "application/pdf":
        ok = _opens_as_pdf(upload)
    elif content_type is not None:
        ok = _opens_as_image(upload, content_type)
    upload.seek(0)
    if not ok:
        raise ValidationError(
            _("%(name)s is not a PNG, JPEG or WebP image or a PDF document."),
            params={"name": upload.name},
            code="bad_type",
        )
    return content_type
