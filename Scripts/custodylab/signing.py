"""The RSA key that signs CloudTrail digest files, as ``ListPublicKeys`` serves it.

AWS signs digests with SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256) and
publishes the public key as a DER-encoded PKCS#1 ``RSAPublicKey``. The lab
makes one key when it starts and serves it in every region.
"""

from __future__ import annotations

import datetime as _dt
import hashlib

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import timefmt

ALGORITHM = "SHA256withRSA"


class DigestSigner:
    """An RSA-2048 signing key with its public half and fingerprint."""

    def __init__(self, now: _dt.datetime | None = None, validity: _dt.timedelta = _dt.timedelta(days=365)) -> None:  # noqa: D107
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        #: DER PKCS#1 RSAPublicKey, the bytes of ``ListPublicKeys``' ``Value``.
        self.public_der = self._key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1
        )
        #: Hex MD5 of the public key, as in ``digestPublicKeyFingerprint``.
        self.fingerprint = hashlib.md5(self.public_der).hexdigest()
        start = now or timefmt.utcnow()
        self.valid_from = start - _dt.timedelta(hours=1)
        self.valid_until = start + validity

    def sign(self, data: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5 signature over SHA-256 of ``data``."""
        return self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())

    def public_pem(self) -> bytes:
        """The public key as PEM (SubjectPublicKeyInfo), for ``openssl``."""
        return self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
