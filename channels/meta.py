"""A small client for Meta's Graph API: WhatsApp Cloud API and Instagram messaging.

Every call has a timeout (``CHANNELS_HTTP_TIMEOUT``). Failures become ``MetaError`` with
the Graph error ``code`` (logic is built on the code, never on the message text, as Meta
advises) and whether trying again later can help (rate limits 4, 80007, 130429, 131056,
HTTP 429 and 5xx, network errors) or not (131047 outside the 24-hour window, 190 expired
token, 100 bad parameter, template errors...).

Also here: the webhook signature (``X-Hub-Signature-256``, HMAC-SHA256 of the raw body
with the app secret, compared in constant time).
"""

import hashlib
import hmac
import logging

import httpx
from django.conf import settings

from core.env import envstr

logger = logging.getLogger(__name__)

# Graph error codes worth trying again later (throughput, pair rate, app/WABA rate limits,
# temporary service errors).
RETRYABLE_CODES = {
    "1",
    "2",
    "4",
    "17",
    "341",
    "80007",
    "130429",
    "131000",
    "131016",
    "131056",
    "133004",
}
# The free-text message was refused because the 24-hour window is closed: send a template.
WINDOW_CLOSED_CODE = "131047"
# Instagram: "This message is sent outside of allowed window" (Messenger Platform 10/2018278).
INSTAGRAM_WINDOW_CODES = {"10", "2018278", "2534022"}


class MetaError(Exception):
    def __init__(self, message, *, code="", retryable=False, retry_after=None):
        super().__init__(message)
        self.message = str(message)[:300]
        self.code = str(code or "")
        self.retryable = retryable
        self.retry_after = retry_after


def signature_valid(body, header, secrets):
    """``X-Hub-Signature-256: sha256=<hex>`` of the raw body under one of the app secrets."""
    if not header or not header.startswith("sha256="):
        return False
    received = header[len("sha256=") :].strip().lower()
    for secret in secrets:
        if not secret:
            continue
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, received):
            return True
    return False


def app_secrets():
    """The Meta App Secret, and the Instagram app secret when set (Instagram Login apps)."""
    return [s for s in (settings.META_APP_SECRET, settings.INSTAGRAM_APP_SECRET) if s]


def _office_secret(name, office):
    return envstr(f"{name}_{office.code}", "") or envstr(name, "")


def whatsapp_token(office):
    return _office_secret("WHATSAPP_ACCESS_TOKEN", office)


def instagram_token(office):
    return _office_secret("INSTAGRAM_ACCESS_TOKEN", office)


class GraphClient:
    def __init__(self, *, base_url, token, timeout=None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout or settings.CHANNELS_HTTP_TIMEOUT

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def _send(self, method, url, **kwargs):
        if not self.token:
            raise MetaError("no access token configured", code="no_token")
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
                response = client.request(method, url, headers=self._headers(), **kwargs)
        except httpx.TimeoutException as exc:
            raise MetaError(
                f"timeout: {type(exc).__name__}", code="timeout", retryable=True
            ) from exc
        except httpx.HTTPError as exc:
            raise MetaError(
                f"network: {type(exc).__name__}", code="network", retryable=True
            ) from exc
        if response.status_code >= 400:
            raise _error_from(response)
        return response

    def post(self, path, payload):
        response = self._send("POST", f"{self.base_url}/{path.lstrip('/')}", json=payload)
        return _json(response)

    def get(self, path):
        return _json(self._send("GET", f"{self.base_url}/{path.lstrip('/')}"))

    def download(self, url, *, max_bytes, with_token=True):
        """The bytes at ``url`` (a media URL), refusing more than ``max_bytes``."""
        headers = self._headers() if with_token else {}
        try:
            with (
                httpx.Client(timeout=self.timeout, follow_redirects=True) as client,
                client.stream("GET", url, headers=headers) as response,
            ):
                if response.status_code >= 400:
                    response.read()
                    raise _error_from(response)
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise MetaError("media too large", code="too_large")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise MetaError("timeout", code="timeout", retryable=True) from exc
        except httpx.HTTPError as exc:
            raise MetaError(
                f"network: {type(exc).__name__}", code="network", retryable=True
            ) from exc


def _json(response):
    try:
        return response.json()
    except ValueError as exc:
        raise MetaError("answer is not JSON", code="bad_answer", retryable=True) from exc


def _error_from(response):
    code, message = "", f"HTTP {response.status_code}"
    try:
        error = response.json().get("error") or {}
        code = str(error.get("code") or "")
        details = (error.get("error_data") or {}).get("details") or ""
        message = error.get("message") or message
        if details:
            message = f"{message} ({details})"
    except (ValueError, AttributeError):
        pass
    retry_after = None
    if response.headers.get("Retry-After", "").isdigit():
        retry_after = int(response.headers["Retry-After"])
    retryable = (
        code in RETRYABLE_CODES or response.status_code == 429 or response.status_code >= 500
    )
    return MetaError(
        f"{code or response.status_code}: {message}",
        code=code or str(response.status_code),
        retryable=retryable,
        retry_after=retry_after,
    )


# WhatsApp Cloud API ------------------------------------------------------------------------


def whatsapp_client(office):
    return GraphClient(base_url=settings.WHATSAPP_API_URL, token=whatsapp_token(office))


def _wamid(answer):
    try:
        return answer["messages"][0]["id"]
    except (KeyError, IndexError, TypeError) as exc:
        raise MetaError("no message id in the answer", code="bad_answer") from exc


def whatsapp_send_text(office, phone_number_id, *, to, body, reply_to=""):
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": body[:4096]},
    }
    if reply_to:
        payload["context"] = {"message_id": reply_to}
    return _wamid(whatsapp_client(office).post(f"{phone_number_id}/messages", payload))


def whatsapp_send_template(office, phone_number_id, *, to, name, language, params):
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": name,
            "language": {"code": language},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": str(p)} for p in params],
                }
            ],
        },
    }
    return _wamid(whatsapp_client(office).post(f"{phone_number_id}/messages", payload))


def whatsapp_mark_read(office, phone_number_id, wamid):
    payload = {"messaging_product": "whatsapp", "status": "read", "message_id": wamid}
    return whatsapp_client(office).post(f"{phone_number_id}/messages", payload)


def whatsapp_media(office, media_id, *, max_bytes):
    """Download an inbound medium at once (its URL lives 5 minutes, the id 7 days)."""
    client = whatsapp_client(office)
    info = client.get(media_id)
    url = info.get("url")
    if not url:
        raise MetaError("no media URL in the answer", code="bad_answer")
    if info.get("file_size") and int(info["file_size"]) > max_bytes:
        raise MetaError("media too large", code="too_large")
    return client.download(url, max_bytes=max_bytes), info.get("mime_type", "")


# Instagram messaging -----------------------------------------------------------------------


def instagram_client(office):
    return GraphClient(base_url=settings.INSTAGRAM_API_URL, token=instagram_token(office))


def instagram_send_text(office, account_id, *, to, body):
    payload = {"recipient": {"id": to}, "message": {"text": body[:1000]}}
    answer = instagram_client(office).post(f"{account_id}/messages", payload)
    if not answer.get("message_id"):
        raise MetaError("no message id in the answer", code="bad_answer")
    return answer["message_id"]


def instagram_media(office, url, *, max_bytes):
    return instagram_client(office).download(url, max_bytes=max_bytes, with_token=False)
