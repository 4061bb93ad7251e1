"""Each member's own random stream, derived from the region's seed.

The seed of a member's run depends only on the region's seed, the member's ONS code
and the run's key (``base``, which its scenarios share, ``commission``), never on
the order of the members file, the number of workers or the order tasks finish in.
So a member's figures in the region equal its own ``forecast`` and ``spend`` runs
with ``--seed`` set to :func:`member_seed` (the ``region`` command prints each one).
"""

from __future__ import annotations

import hashlib

import numpy as np


def member_seed(seed: int, code: str, key: str) -> int:
    """The seed of member ``code``'s run for ``key`` (a scenario's key, or ``commission``).

    A :class:`numpy.random.SeedSequence` with the region's seed as entropy and a spawn
    key made from a SHA-256 of ``code`` and ``key``: independent streams for every pair,
    reproducible from the three values alone. Returns a 32-bit integer to pass as
    ``--seed``.
    """
    digest = hashlib.sha256(f"{code}\x1f{key}".encode()).digest()
    spawn_key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=spawn_key)
    return int(sequence.generate_state(1, dtype=np.uint32)[0])
