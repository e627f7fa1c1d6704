"""The RSA key that signs CloudTrail digest files, as ``ListPublicKeys`` serves it.

AWS signs digests with SHA256withRSA (RSASSA-PKCS1-v1_5 over SHA-256) and
publishes the public key as a DER-encoded PKCS#1 ``RSAPublicKey``. The lab
makes one key when it starts and serves it in every region: a random one,
or with ``--seed`` one derived from the seed (so that digests, which are
signed, come out the same in every run).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import timefmt

ALGORITHM = "SHA256withRSA"


class DigestSigner:
    """An RSA-2048 signing key with its public half and fingerprint."""

    def __init__(  # noqa: D107
        self, now: _dt.datetime | None = None, validity: _dt.timedelta = _dt.timedelta(days=365), seed: int | None = None
    ) -> None:
        if seed is None:
            self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            self._key = seeded_rsa_key(seed)
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


_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p**0.5) + 1))]


def _probably_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for _ in range(40):  # Miller-Rabin
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random, e: int) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1  # top two bits set: n has 2 * bits bits
        if (candidate - 1) % e and _probably_prime(candidate, rng):
            return candidate


def seeded_rsa_key(seed: int, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key made from ``seed``: the same seed, the same key. For a lab only, never for a secret."""
    rng = random.Random(f"custody-lab digest key {seed}")
    e = 65537
    while True:
        p, q = _prime(bits // 2, rng, e), _prime(bits // 2, rng, e)
        if p != q:
            break
    p, q = max(p, q), min(p, q)
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p, q=q, d=d, dmp1=d % (p - 1), dmq1=d % (q - 1), iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key()
