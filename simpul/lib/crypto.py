"""Encryption at rest and keyed lookup hashes for identity numbers (NIK, KK).

AES-GCM (from ``cryptography``) with a random 96-bit nonce per value: the stored
text is ``v1:<base64(nonce + ciphertext)>``. Equality search and uniqueness use
an HMAC-SHA256 of the normalised number under a separate key, so the hash
column reveals nothing without the server secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


def _derive(secret: str, purpose: bytes) -> bytes:
    return hashlib.sha256(purpose + secret.encode("utf-8")).digest()


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    return AESGCM(_derive(secret, b"simpul-field-encryption"))


@lru_cache(maxsize=4)
def _lookup_key(secret: str) -> bytes:
    return _derive(secret, b"simpul-lookup-hash")


def encrypt(value: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(settings.SIMPUL_FIELD_KEY).encrypt(nonce, value.encode("utf-8"), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(token[len(_PREFIX):])
    return _aead(settings.SIMPUL_FIELD_KEY).decrypt(raw[:12], raw[12:], None).decode("utf-8")


def lookup_hash(value: str) -> str:
    return hmac.new(_lookup_key(settings.SIMPUL_LOOKUP_KEY), value.encode("utf-8"), hashlib.sha256).hexdigest()
