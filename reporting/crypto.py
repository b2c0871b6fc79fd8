"""Sealed boxes (libsodium via PyNaCl) for report text, messages and evidence.

Anyone holding the public key can seal; only the private key opens. The keys come from
``REPORTING_PUBLIC_KEY`` / ``REPORTING_PRIVATE_KEY`` (base64, 32 bytes each); see README.
"""

import base64
import hashlib
import hmac
import json

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from psd.domain import DomainError

NOT_CONFIGURED = "Anonymous reporting is not configured on this server."


def _decode_key(value: str) -> bytes:
    raw = base64.b64decode(value, validate=True)
    if len(raw) != 32:
        raise ValueError("a reporting key is 32 bytes")
    return raw


def public_key() -> PublicKey:
    if not settings.REPORTING_PUBLIC_KEY:
        raise DomainError(NOT_CONFIGURED)
    return PublicKey(_decode_key(settings.REPORTING_PUBLIC_KEY))


def private_key() -> PrivateKey:
    if not settings.REPORTING_PRIVATE_KEY:
        raise DomainError(NOT_CONFIGURED)
    return PrivateKey(_decode_key(settings.REPORTING_PRIVATE_KEY))


def seal(data: bytes) -> bytes:
    return SealedBox(public_key()).encrypt(data)


def unseal(ciphertext: bytes) -> bytes:
    try:
        return SealedBox(private_key()).decrypt(bytes(ciphertext))
    except CryptoError:
        raise DomainError("This record cannot be opened with the current reporting key.") from None


def seal_json(value) -> bytes:
    return seal(json.dumps(value, ensure_ascii=False).encode())


def unseal_json(ciphertext: bytes):
    return json.loads(unseal(ciphertext).decode())


def seal_text(text: str) -> bytes:
    return seal(text.encode())


def unseal_text(ciphertext: bytes) -> str:
    return unseal(ciphertext).decode()


def derived_key(purpose: str) -> bytes:
    """A server secret for ``purpose``, derived from the reporting private key.

    The lookup key lives and dies with the key that opens the reports: rotating one rotates
    both, and a server without the private key cannot link codes to reports either.
    """
    return hmac.new(bytes(private_key()), purpose.encode(), hashlib.sha256).digest()
