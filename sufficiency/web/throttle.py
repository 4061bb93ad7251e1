"""A limit on failed sign-ins by address (client IP), beside each account's own lock.

An account locks after :data:`~sufficiency.store.accounts.MAX_FAILURES` failures in a
row, but someone could still try one password against every user name they can think
of. :class:`AddressLimit` allows at most ``[web] sign_in_failures_per_address`` failed
sign-ins from one address in ``[web] sign_in_window_minutes`` (a sliding window); more
are refused unchecked with the same sentence as a wrong password, so the page still
never tells whether a user name exists. Each attempt is counted before it is checked
(so attempts sent at once cannot outrun the limit) and taken back when it succeeds.
Counts are kept in the server process's memory: a restart forgets them.

The address is the connection's, unless the connection comes from one of ``[web]
trusted_proxies``: then uvicorn's ``ProxyHeadersMiddleware`` (added by the application
only then) takes the client from ``X-Forwarded-For``, which anyone else could forge.
"""

from __future__ import annotations

import threading
import time
from collections import deque

#: Beyond this many addresses, those with no failure in the window are forgotten.
_TIDY_ABOVE = 1000


class AddressLimit:
    """Failed sign-ins per address in a sliding window (``time.monotonic()`` seconds)."""

    def __init__(self, most: int, window_minutes: int) -> None:
        self.most, self.window = most, window_minutes * 60.0
        self._tries: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def begin(self, address: str, now: float | None = None) -> float | None:
        """Count an attempt from ``address``: its time, or ``None`` if the address has had
        :attr:`most` failures in the window already (the attempt is then not checked)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            if len(self._tries) > _TIDY_ABOVE:
                for key in [
                    k for k, q in self._tries.items() if not q or q[-1] <= now - self.window
                ]:
                    del self._tries[key]
            tries = self._tries.setdefault(address, deque())
            while tries and tries[0] <= now - self.window:
                tries.popleft()
            if len(tries) >= self.most:
                return None
            tries.append(now)
            return now

    def succeeded(self, address: str, at: float) -> None:
        """Take back the attempt counted at ``at``: it was not a failure."""
        with self._lock:
            tries = self._tries.get(address)
            if tries is not None and at in tries:
                tries.remove(at)
