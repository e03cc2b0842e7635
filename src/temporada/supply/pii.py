"""Identity documents (national id, passport number): look-up without bulk readability.

Each number is kept three ways:
- a keyed HMAC-SHA256 of the normalised number (``*_hash``): equality look-up and uniqueness, useless
  to someone who copies the table without the key;
- the number encrypted with AES-256-GCM (``*_encrypted``): an authorised official can reveal ONE record,
  and the reveal is audited;
- its last four characters (``*_last4``) for display.

Both keys are derived with HKDF from ``settings.TEMPORADA_PII_KEY`` when set, else from ``SECRET_KEY``
(so a deployment that rotates SECRET_KEY must set TEMPORADA_PII_KEY to keep reading its records).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

FORMAT_PREFIX = "g1:"  # version of the encryption format, so keys/algorithms can change later
_SEPARATORS = re.compile(r"[\s\-./]+")


def _master_secret() -> bytes:
    key = getattr(settings, "TEMPORADA_PII_KEY", None) or os.environ.get("TEMPORADA_PII_KEY") or settings.SECRET_KEY
    return key.encode()


@lru_cache(maxsize=8)
def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"temporada-supply", info=purpose).derive(secret)


@lru_cache(maxsize=8)
def _keys_for(secret: bytes) -> tuple[bytes, AESGCM]:
    return _derive(secret, b"lookup-hmac"), AESGCM(_derive(secret, b"field-encryption"))


def _keys() -> tuple[bytes, AESGCM]:
    """(HMAC key, AES-GCM cipher) of the current secret; cached per secret, so a changed setting takes effect."""
    return _keys_for(_master_secret())


def normalise_document(value: str) -> str:
    """Upper case, no accents, no spaces/dashes/dots: "gt 1234-56789 0101" → "GT1234567890101"."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return _SEPARATORS.sub("", text).upper()


def lookup_hash(kind: str, country: str, value: str) -> str:
    """HMAC of a document number of ``kind`` (national_id / passport) issued by ``country`` (ISO3)."""
    hmac_key, _enc = _keys()
    message = f"{kind}|{country}|{normalise_document(value)}".encode()
    return hmac.new(hmac_key, message, hashlib.sha256).hexdigest()


def encrypt(value: str) -> str:
    """AES-GCM with a random nonce; the token is ASCII text safe for any database column."""
    _hmac, cipher = _keys()
    nonce = os.urandom(12)
    sealed = cipher.encrypt(nonce, normalise_document(value).encode(), b"temporada-supply")
    return FORMAT_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(FORMAT_PREFIX):
        raise ValueError("unknown token format")
    _hmac, cipher = _keys()
    raw = base64.urlsafe_b64decode(token[len(FORMAT_PREFIX):].encode())
    return cipher.decrypt(raw[:12], raw[12:], b"temporada-supply").decode()


def last4(value: str) -> str:
    return normalise_document(value)[-4:]


def protect(kind: str, country: str, value: str) -> dict[str, str]:
    """The three stored forms of one document number (empty strings when there is no number)."""
    if not normalise_document(value):
        return {"hash": "", "encrypted": "", "last4": ""}
    return {"hash": lookup_hash(kind, country, value), "encrypted": encrypt(value), "last4": last4(value)}
