"""Model fields whose values are encrypted at rest (UU 27/2022: protect personal data).

Values are encrypted with Fernet (AES-128-CBC + HMAC) under the keys in
``FIELD_ENCRYPTION_KEYS`` (comma separated, newest first): the newest key writes,
every key reads, so keys can be rotated (``manage.py rotate_field_keys`` re-encrypts).
Stored values carry a ``enc1:`` prefix; a value without it is legacy plaintext and is
read as it is (and encrypted on the next save). Encrypted columns are ``text`` and
cannot be filtered on; only contact details that are shown, never searched, use them.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "enc1:"


@lru_cache(maxsize=4)
def _fernet(keys):
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64 bytes each; "
            "make one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')"
        ) from exc


def fernet():
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set")
    return _fernet(keys)


def encrypt(value):
    if value in (None, ""):
        return value
    return PREFIX + fernet().encrypt(str(value).encode()).decode()


def decrypt(value):
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: was a key removed?"
        ) from exc


def encrypt_bytes(value):
    """Encrypt raw bytes (a message as received) for a binary column."""
    return fernet().encrypt(bytes(value))


def decrypt_bytes(value):
    try:
        return fernet().decrypt(bytes(value))
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value cannot be read with FIELD_ENCRYPTION_KEYS: was a key removed?"
        ) from exc


def rotate(value):
    if not value or not value.startswith(PREFIX):
        return encrypt(value)
    return PREFIX + fernet().rotate(value[len(PREFIX) :].encode()).decode()


class EncryptedMixin:
    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def cast_db_type(self, connection):
        return models.TextField().cast_db_type(connection)

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        return encrypt(super().get_prep_value(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in ("exact", "isnull"):
            return None
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField (max_length checks the plain text) stored encrypted in a text column."""


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    """An EmailField stored encrypted in a text column."""


class EncryptedBinaryField(models.BinaryField):
    """Raw bytes (a message as it arrived) stored encrypted in a binary column."""

    def from_db_value(self, value, expression, connection):
        return decrypt_bytes(value) if value else b""

    def get_db_prep_value(self, value, connection, prepared=False):
        value = encrypt_bytes(value) if value else b""
        return super().get_db_prep_value(value, connection, prepared)


ENCRYPTED_FIELDS = (EncryptedMixin, EncryptedBinaryField)


def mask_email(value):
    if not value or "@" not in value:
        return "•••" if value else ""
    name, domain = value.split("@", 1)
    return f"{name[:1]}•••@{domain}"


def mask_phone(value):
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if not digits:
        return ""
    return "•••• " + digits[-3:]


def mask_name(value):
    return " ".join(part[:1] + "•••" for part in (value or "").split()) if value else ""
