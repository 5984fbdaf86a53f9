from django.shortcuts import get_object_or_404
from ninja import Router

from accounts.api import session_or_token
from catalog.models import Publication

from . import services
from .choices import Channel
from .http import copy_response

router = Router(tags=["publications"])


@router.get(
    "/{publication_id}/download",
    auth=session_or_token,
    url_name="publication-download",
    response={200: bytes},
    openapi_extra={
        "responses": {
            200: {"description": "The watermarked PDF", "content": {"application/pdf": {}}},
            403: {"description": "Not allowed (unverified e-mail, read-only or on request)"},
            429: {"description": "Download limit reached"},
        }
    },
)
def publication_download(request, publication_id: int):
    """A copy of the publication stamped for the authenticated, verified user."""
    publication = get_object_or_404(
        Publication.objects.published().select_related("office"), pk=publication_id
    )
    record = services.start_delivery(publication, request.auth, Channel.DOWNLOAD, request=request)
    return copy_response(request, record, attachment=True)
