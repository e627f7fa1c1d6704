"""Where the lab's ids and moto's randomness come from: chance, or a seed.

By default every request id, event id and log file suffix is random, as in
AWS. With ``Scripts/lab --seed N`` they are derived instead, so that two
runs of the same calls record the same ids: each call is named by what it
is (its time, caller, source and request, but not its signature nor
anything else that changes from run to run), and its ids are SHA-256 of the
seed, that name and how many identical calls came before. A collector's
parallel reads may reach the lab in any order: a call's ids depend on the
call, not on its place in the queue (identical calls get each other's ids,
which no one can tell apart). moto's random generator is reseeded the same
way before each call reaches it, so the ids moto makes (users, keys,
instances, default VPCs made on a region's first use) do not depend on the
order of the calls before either.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from typing import Any


class CallIds:
    """The ids of one call (or lab action), all drawn from one 32-byte digest."""

    def __init__(self, digest: bytes, seeded: bool) -> None:  # noqa: D107
        self.digest = digest
        self.seeded = seeded

    def uuid(self, label: str) -> str:
        """A version-4-shaped UUID for ``label`` (``request``, ``event``, ``shared`` ...)."""
        data = hashlib.sha256(self.digest + label.encode()).digest() if self.seeded else os.urandom(16)
        return str(uuid.UUID(bytes=data[:16], version=4))

    def text(self, label: str, length: int, alphabet: str) -> str:
        """``length`` characters of ``alphabet`` for ``label``."""
        if not self.seeded:
            import secrets

            return "".join(secrets.choice(alphabet) for _ in range(length))
        number = int.from_bytes(hashlib.sha512(self.digest + label.encode()).digest(), "big")
        out = []
        for _ in range(length):
            number, index = divmod(number, len(alphabet))
            out.append(alphabet[index])
        return "".join(out)

    def rng_seed(self) -> int:
        """A seed for moto's random generator."""
        return int.from_bytes(hashlib.sha256(self.digest + b"moto").digest()[:16], "big")


class IdSource:
    """Makes :class:`CallIds`: random without a seed, derived from call and seed with one."""

    def __init__(self, seed: int | None = None) -> None:  # noqa: D107
        self.seed = seed
        self._lock = threading.Lock()
        self._seen: dict[str, int] = {}

    @property
    def seeded(self) -> bool:
        """Whether ids are derived from the seed."""
        return self.seed is not None

    def for_call(self, *name: Any) -> CallIds:
        """The ids of the call named by ``name`` (JSON-serialisable parts)."""
        if self.seed is None:
            return CallIds(os.urandom(32), seeded=False)
        key = hashlib.sha256(json.dumps(name, sort_keys=True, default=str, separators=(",", ":")).encode()).hexdigest()
        with self._lock:
            count = self._seen.get(key, 0)
            self._seen[key] = count + 1
        return CallIds(hashlib.sha256(f"{self.seed}|{key}|{count}".encode()).digest(), seeded=True)

    def reseed_moto(self, ids: CallIds) -> None:
        """Reseed moto's random generator for the call ``ids`` belongs to (only with a seed).

        Callers hold the lab's lock, so no other call draws from the generator meanwhile.
        """
        if not self.seeded:
            return
        from moto.moto_api._internal import mock_random

        mock_random.seed(ids.rng_seed())


#: The one id source of the running lab.
IDS = IdSource()


def configure(seed: int | None) -> None:
    """Derive ids from ``seed`` from now on (None: random)."""
    IDS.seed = seed
