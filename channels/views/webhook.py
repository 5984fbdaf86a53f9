"""The Meta webhook (WhatsApp Cloud API and Instagram messaging): one URL for both.

``GET`` is Meta's verification handshake: ``hub.mode=subscribe`` with our
``META_VERIFY_TOKEN`` is answered with the ``hub.challenge`` as plain text, anything else
with 403. ``POST`` carries events; the raw body must be signed
(``X-Hub-Signature-256``, HMAC-SHA256 under the app secret) or it is refused with 403
before it is read as JSON. A plain Django view, outside the JSON API.
"""

import hmac
import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import meta, webhooks


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request):
    if request.method == "GET":
        return _handshake(request)
    try:
        body = request.body  # the raw bytes, before anything parses them
    except RequestDataTooBig:
        return HttpResponse("too large", status=413, content_type="text/plain")
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not meta.signature_valid(body, signature, meta.app_secrets()):
        return HttpResponse("invalid signature", status=403, content_type="text/plain")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse("not JSON", status=400, content_type="text/plain")
    with transaction.atomic():
        counts = webhooks.receive(payload)
    return JsonResponse(counts)


def _handshake(request):
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    expected = settings.META_VERIFY_TOKEN
    if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return HttpResponse(challenge, content_type="text/plain")
    return HttpResponse("verification failed", status=403, content_type="text/plain")
