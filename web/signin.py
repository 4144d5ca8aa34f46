"""Sign-in that resists guessing: back-off per account and per client address, a bounded number of
argon2 hashes at once, and the same work whether or not the name exists.

The counters live in the web process (with `--workers N`, each worker counts on its own: N times the
attempts, still a back-off). An attempt is counted *before* its hash runs, so 40 guesses sent at once
are throttled as 40, not as the handful that finished first.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import anyio
import anyio.to_thread

from models.cli import hash_password, verify_password
from web.settings import web_settings

T = TypeVar("T")
FIRST_DELAY = 2.0  # seconds of back-off after the free attempts; doubles with each further failure
MAX_DELAY = 15 * 60.0
FORGET_AFTER = 30 * 60.0  # a name or address quiet this long starts afresh
MAX_KEYS = 50_000  # beyond this many names/addresses, quiet ones are dropped (memory stays bounded)
HASH_WAIT = 20.0  # a sign-in that cannot get a hash slot this fast is told to retry


@dataclass(slots=True)
class _Count:
    failures: int
    last: float


class Throttle:
    """Failures per key; past `free` of them each further attempt waits FIRST_DELAY·2^(n-free)."""

    def __init__(self, free: int) -> None:
        self.free = free
        self.counts: dict[str, _Count] = {}

    def wait(self, key: str, now: float) -> float:
        count = self.counts.get(key)
        if count is None or now - count.last > FORGET_AFTER or count.failures < self.free:
            return 0.0
        delay = min(MAX_DELAY, FIRST_DELAY * 2 ** (count.failures - self.free))
        return max(0.0, count.last + delay - now)

    def fail(self, key: str, now: float) -> None:
        count = self.counts.get(key)
        if count is None or now - count.last > FORGET_AFTER:
            count = self.counts[key] = _Count(0, now)
        count.failures, count.last = count.failures + 1, now
        if len(self.counts) > MAX_KEYS:
            self.counts = {k: c for k, c in self.counts.items() if now - c.last <= FORGET_AFTER}

    def forgive(self, key: str, everything: bool) -> None:
        """Undo the failure counted in advance for an attempt that succeeded (or all of them)."""
        count = self.counts.get(key)
        if count is not None:
            count.failures = 0 if everything else max(0, count.failures - 1)


class SignInGuard:
    def __init__(self) -> None:
        s = web_settings()
        self.accounts = Throttle(s.account_free_failures)
        self.addresses = Throttle(s.address_free_failures)

    def retry_after(self, username: str, address: str) -> int:
        """Seconds this attempt must wait (0: go ahead, and it is counted as a failure until it succeeds)."""
        now = time.monotonic()
        wait = max(self.accounts.wait(username, now), self.addresses.wait(address, now))
        if wait > 0:
            return math.ceil(wait)
        self.accounts.fail(username, now)
        self.addresses.fail(address, now)
        return 0

    def not_tried(self, username: str, address: str) -> None:
        """An attempt that never reached its hash (no slot came free) is not held against anyone."""
        self.accounts.forgive(username, everything=False)
        self.addresses.forgive(address, everything=False)

    def succeeded(self, username: str, address: str) -> None:
        self.accounts.forgive(username, everything=True)
        # Only this attempt: one valid account must not wipe an address's record of guessing others.
        self.addresses.forgive(address, everything=False)


_guard: SignInGuard | None = None
_limiter: anyio.CapacityLimiter | None = None
_dummy: str | None = None


def guard() -> SignInGuard:
    global _guard
    if _guard is None:
        _guard = SignInGuard()
    return _guard


class Busy(Exception):
    """No hash slot came free in time."""


async def hashing(func: Callable[..., T], *args: object) -> T:
    """Run an argon2 call in a worker thread, at most `hash_slots` at once. Waiting takes no thread,
    so a flood of sign-ins cannot starve the pages other users are loading (or the memory: 64 MiB each)."""
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(web_settings().hash_slots)
    limiter = _limiter
    with anyio.move_on_after(HASH_WAIT) as scope:
        await limiter.acquire()
    if scope.cancelled_caught:
        raise Busy()
    try:
        return await anyio.to_thread.run_sync(func, *args)
    finally:
        limiter.release()


async def check_password(password_hash: str | None, password: str) -> bool:
    """verify_password against the user's hash, or against a dummy one when there is no such user: an
    unknown name costs the same time as a known one, so timing does not tell which names exist."""
    global _dummy
    if _dummy is None:
        _dummy = await hashing(hash_password, secrets.token_urlsafe(16))
    ok = await hashing(verify_password, password_hash or _dummy, password)
    return ok and password_hash is not None
