"""Fixed-window counters in the shared cache (Redis in production, so they hold across processes)."""

import hashlib

from django.core.cache import cache


def increment(key: str, *, window_seconds: int) -> int:
    """Count one hit for ``key`` in the current window and return the count so far."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def email_key(scope: str, email: str) -> str:
    """The counter key of an e-mail address (case and spaces ignored): its SHA-256, never the address itself."""
    return f"{scope}:email:{hashlib.sha256(email.strip().lower().encode()).hexdigest()}"


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; ``False`` once ``limit`` hits happened within the window."""
    return increment(f"ratelimit:{key}", window_seconds=window_seconds) <= limit
