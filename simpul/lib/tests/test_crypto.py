"""Encryption at rest (AES-GCM) and keyed lookup hashes for NIK and KK."""

import base64
import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidTag

from simpul.lib import crypto

NIK = "3576035705900001"


@pytest.fixture(autouse=True)
def keys(settings):
    settings.SIMPUL_FIELD_KEY = "field-key-for-tests-0123456789abcdef"
    settings.SIMPUL_LOOKUP_KEY = "lookup-key-for-tests-0123456789abcdef"


def test_it_round_trips_a_value():
    assert crypto.decrypt(crypto.encrypt(NIK)) == NIK


def test_it_round_trips_non_ascii_text():
    assert crypto.decrypt(crypto.encrypt("Siti Āminah — ☂")) == "Siti Āminah — ☂"


def test_it_never_stores_the_plaintext():
    token = crypto.encrypt(NIK)
    assert token.startswith("v1:")
    assert NIK not in token
    assert NIK.encode() not in base64.b64decode(token[3:])


def test_it_uses_a_fresh_nonce_for_every_value():
    first, second = crypto.encrypt(NIK), crypto.encrypt(NIK)
    assert first != second
    nonce_1, nonce_2 = base64.b64decode(first[3:])[:12], base64.b64decode(second[3:])[:12]
    assert nonce_1 != nonce_2


def test_it_stores_nonce_ciphertext_and_a_16_byte_tag():
    raw = base64.b64decode(crypto.encrypt(NIK)[3:])
    assert len(raw) == 12 + len(NIK) + 16


def test_it_refuses_a_tampered_ciphertext():
    raw = bytearray(base64.b64decode(crypto.encrypt(NIK)[3:]))
    raw[14] ^= 0x01
    with pytest.raises(InvalidTag):
        crypto.decrypt("v1:" + base64.b64encode(bytes(raw)).decode())


def test_it_cannot_decrypt_under_another_key(settings):
    token = crypto.encrypt(NIK)
    settings.SIMPUL_FIELD_KEY = "a-different-field-key-0123456789abcdef"
    with pytest.raises(InvalidTag):
        crypto.decrypt(token)


def test_it_refuses_an_unknown_ciphertext_version():
    with pytest.raises(ValueError, match="version"):
        crypto.decrypt("v2:" + crypto.encrypt(NIK)[3:])


def test_it_decrypts_an_empty_column_to_an_empty_string():
    assert crypto.decrypt("") == ""


def test_the_lookup_hash_is_a_stable_keyed_hmac():
    digest = crypto.lookup_hash(NIK)
    assert digest == crypto.lookup_hash(NIK)
    assert len(digest) == 64
    assert digest != crypto.lookup_hash("3576030203850002")
    # Not a plain hash of the number: a table of SHA-256 over all NIKs does not reverse it.
    assert digest != hashlib.sha256(NIK.encode()).hexdigest()
    assert digest != hmac.new(b"", NIK.encode(), hashlib.sha256).hexdigest()


def test_the_lookup_hash_depends_on_the_lookup_key_only(settings):
    before = crypto.lookup_hash(NIK)
    settings.SIMPUL_FIELD_KEY = "another-field-key-0123456789abcdef"
    assert crypto.lookup_hash(NIK) == before
    settings.SIMPUL_LOOKUP_KEY = "another-lookup-key-0123456789abcdef"
    assert crypto.lookup_hash(NIK) != before


def test_field_key_and_lookup_key_are_derived_for_different_purposes(settings):
    settings.SIMPUL_LOOKUP_KEY = settings.SIMPUL_FIELD_KEY
    # Even with one secret for both, the lookup HMAC key is not the AES key.
    assert crypto._lookup_key(settings.SIMPUL_LOOKUP_KEY) != crypto._derive(settings.SIMPUL_FIELD_KEY,
                                                                             b"simpul-field-encryption")
