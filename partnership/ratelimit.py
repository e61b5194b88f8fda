"""Fixed-window counters in the shared cache (Redis in production, so they hold across processes)."""

from django.core.cache import cache


def increment(key: str, *, window_seconds: int) -> int:
    """Count one hit for ``key`` in the current window and return the count so far."""
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit for ``key``; ``False`` once ``limit`` hits happened within the window."""
    return increment(f"ratelimit:{key}", window_seconds=window_seconds) <= limit
