"""Fixed-window rate limits per client address, counted in Django's cache (shared in production)."""

import time

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def client_ip(request):
    """The client's address as django-axes resolves it (honours PROXY_COUNT)."""
    return get_client_ip_address(request) or "unknown"


def limit_exceeded(scope, request, limit, window_seconds):
    """Count one hit for this client in ``scope``; True once more than ``limit`` in the window.

    A limit of 0 turns the check off.
    """
    if limit <= 0:
        return False
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count > limit
