"""Supporters' personal data encrypted at rest, and the keyed blind index that finds them.

Every personal column (names, email, postal code, city, phone, comments, the outbox's reply-to
and bodies) is an ``EncryptedTextField``: Django encrypts the value on its way to the database
and decrypts it on its way back, so code keeps reading ``supporter.email``. The cipher is
AES-256-GCM from the ``cryptography`` package (authenticated: a changed byte is detected, never
decrypted into something else). A stored value reads::

    pii1:<key id>:<base64 of 12-byte nonce + ciphertext + tag>

The key id is the first 8 hex digits of the key's SHA-256, so each value says which key it needs
and ``pii_rotate`` finds every value that is not under the newest key with a prefix match.
Keys come from the environment (``PII_KEYS``, the first encrypts, all decrypt) and never from
the database. The empty string is stored as itself, so "no comment" stays cheap to test for.

A value that cannot be decrypted (a retired key, a damaged row) reads as "" and logs an error
that names the column and key id, never the value: a public page shows a blank, not a 500.

The database can neither compare nor search the ciphertext (a random nonce makes every value
different), so an exact lookup on an encrypted column raises instead of silently matching
nothing. People are found by ``email_index``: HMAC-SHA256 under ``PII_INDEX_KEY`` of the
normalised email (``text.email_key``), a unique column that also de-duplicates signers.

Layer: the bottom of the app; imports only settings and ``text``.
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator, validate_email
from django.db import models

from .text import email_key

logger = logging.getLogger(__name__)

PREFIX = "pii1:"
_NONCE_BYTES = 12

KEY_HELP = (
    "Each key is 32 random bytes in URL-safe base64 (44 characters); make one with "
    "`python manage.py pii_rotate --generate-key`."
)


def _key_bytes(text: str, variable: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{variable} holds a key that is not 32 bytes of URL-safe base64. {KEY_HELP}")
    return raw


def key_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:8]


class Keyring:
    """The parsed keys: one cipher per key id, the id that encrypts, and the index key."""

    def __init__(self, keys, index_key: str):
        keys = [key for key in keys if key.strip()]
        if not keys:
            raise ImproperlyConfigured(f"PII_KEYS is empty: supporters' data cannot be encrypted. {KEY_HELP}")
        if not (index_key or "").strip():
            raise ImproperlyConfigured(f"PII_INDEX_KEY is empty: supporters cannot be looked up. {KEY_HELP}")
        raws = [_key_bytes(key, "PII_KEYS") for key in keys]
        self.ciphers = {key_id(raw): AESGCM(raw) for raw in raws}
        self.current_id = key_id(raws[0])
        self.current = self.ciphers[self.current_id]
        self.current_prefix = f"{PREFIX}{self.current_id}:"
        self.index_key = _key_bytes(index_key, "PII_INDEX_KEY")
        if self.index_key in raws:
            raise ImproperlyConfigured("PII_INDEX_KEY must differ from every key in PII_KEYS.")


@lru_cache(maxsize=4)
def _keyring(keys: tuple, index_key: str) -> Keyring:
    return Keyring(keys, index_key)


def keyring() -> Keyring:
    """The keys in force (re-read when settings change, e.g. in a test)."""
    return _keyring(tuple(settings.PII_KEYS), settings.PII_INDEX_KEY)


def check_keys() -> None:
    """Raise ImproperlyConfigured unless the keys in settings are usable (called at start-up)."""
    keyring()


def encrypt(value: str) -> str:
    if not value or not settings.PII_ENCRYPTION:
        return value
    ring = keyring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, value.encode(), None)
    return ring.current_prefix + base64.b64encode(nonce + sealed).decode()


def decrypt(value: str | None, *, where: str = "") -> str | None:
    """The plaintext of a stored value. A value without the prefix is returned as it is (rows
    written before encryption, until ``pii_rotate`` has run over them)."""
    if not value or not value.startswith(PREFIX):
        return value
    kid, _, body = value[len(PREFIX) :].partition(":")
    cipher = keyring().ciphers.get(kid)
    try:
        if cipher is None:
            raise KeyError(kid)
        raw = base64.b64decode(body, validate=True)
        return cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None).decode()
    except (KeyError, InvalidTag, binascii.Error, ValueError):
        logger.error("pii: unreadable value in %s (key id %s not in PII_KEYS or value damaged)", where, kid[:8])
        return ""


def email_index(email: str) -> str:
    """The blind index of an email: HMAC-SHA256 of its normalised form under PII_INDEX_KEY."""
    return hmac.new(keyring().index_key, email_key(email).encode(), hashlib.sha256).hexdigest()


def under_current_key(value: str) -> bool:
    """True when a stored value needs no re-encryption (empty, or sealed with the newest key)."""
    return not value or value.startswith(keyring().current_prefix)


class EncryptedTextField(models.TextField):
    """Text stored encrypted; reads back as plain text. Cannot be filtered on except for ""."""

    description = "Text encrypted at rest"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))

    def from_db_value(self, value, expression, connection):
        return decrypt(value, where=f"{self.model.__name__}.{self.name}" if hasattr(self, "model") else "")

    def get_db_prep_value(self, value, connection, prepared=False):
        value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        if prepared:
            # A lookup: the ciphertext can never equal an encryption of the value.
            raise TypeError(
                f"{self.name} is encrypted and cannot be searched; find supporters with Supporter.objects.by_email()."
            )
        return encrypt(value)


class EncryptedCharField(EncryptedTextField):
    """An encrypted one-line value: a text input in forms, ``max_length`` checked as CharField does."""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs})


class EncryptedEmailField(EncryptedCharField):
    default_validators = [validate_email]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class EncryptedJSONField(EncryptedTextField):
    """A JSON document stored encrypted (e.g. a webhook payload naming a supporter): written as
    sealed JSON text, read back as the decoded value; a damaged value reads as ``{}``."""

    description = "JSON encrypted at rest"

    def get_prep_value(self, value):
        # Strings pass through untouched so the rotation's prefix lookups keep working.
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value, separators=(",", ":"), sort_keys=True)

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        if text is None:
            return None
        try:
            return json.loads(text) if text else {}
        except ValueError:
            logger.error("pii: unreadable JSON in %s.%s", self.model.__name__, self.name)
            return {}
