"""NIK and KK numbers for synthetic people: well-formed, unique, stored the way the services store them.

Encrypting and hashing a million numbers one call at a time through
:mod:`simpul.lib.crypto` costs about 5.5 µs each (settings look-ups, a syscall per
nonce, a fresh HMAC). :class:`BulkSealer` produces the very same formats — a
``v1:`` AES-GCM token that :func:`simpul.lib.crypto.decrypt` opens, and the
same keyed lookup hash as :func:`simpul.registry.services.validation.nik_hash`
— in about 2 µs, by reusing one AES-GCM object, drawing nonces from the OS in
blocks and reusing the HMAC's keyed inner and outer states. Nonces stay random
(never derived from the seed): a repeated nonce under one key would break GCM.
"""

from __future__ import annotations

import base64
import hashlib
import os

from django.conf import settings

from simpul.lib import crypto

_NONCE = 12
_NONCE_BLOCK = _NONCE * 8192


class BulkSealer:
    def __init__(self) -> None:
        self._aead = crypto._aead(settings.SIMPUL_FIELD_KEY)
        key = crypto._lookup_key(settings.SIMPUL_LOOKUP_KEY)
        if len(key) > 64:  # HMAC hashes keys longer than the SHA-256 block first
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self._nonces = b""
        self._at = 0

    def encrypt(self, value: str) -> str:
        if self._at >= len(self._nonces):
            self._nonces, self._at = os.urandom(_NONCE_BLOCK), 0
        nonce = self._nonces[self._at:self._at + _NONCE]
        self._at += _NONCE
        sealed = self._aead.encrypt(nonce, value.encode("ascii"), None)
        return "v1:" + base64.b64encode(nonce + sealed).decode("ascii")

    def lookup_hash(self, value: str) -> str:
        inner = self._inner.copy()
        inner.update(value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    def nik_hash(self, nik: str) -> str:
        return self.lookup_hash(f"nik:{nik}")

    def kk_hash(self, kk: str) -> str:
        return self.lookup_hash(f"kk:{kk}")


class SerialBook:
    """Hands out the next free 16-digit number for a 12-digit prefix (region + date).

    NIK and KK numbers end in a 4-digit serial that counts people (or cards) with
    the same kecamatan and date. Numbers whose hash is already in the database
    (``taken``) are skipped, so a seeded number never collides with a real one.
    """

    def __init__(self, hasher, taken: set[str]):
        self._hasher = hasher
        self._taken = taken
        self._next: dict[str, int] = {}

    def issue(self, prefix: str) -> tuple[str, str]:
        serial = self._next.get(prefix, 1)
        while serial <= 9999:
            number = f"{prefix}{serial:04d}"
            hashed = self._hasher(number)
            serial += 1
            if hashed not in self._taken:
                self._next[prefix] = serial
                return number, hashed
        raise RuntimeError(f"no free serial left for prefix {prefix}")
