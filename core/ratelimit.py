"""Fixed-window rate limits counted in Django's cache (shared by all servers through Redis).

``client_ip(request)`` is the one place that says which address a request comes from;
every limit per address goes through it (a trusted-proxy resolver will replace its body).
A limit of 0 turns a check off. The cache is fail-soft (ops.cache): when Redis is down each
hit counts as the first, so nobody is locked out by an outage.
"""

import time

from axes.helpers import get_client_ip_address
from django.core.cache import cache


def client_ip(request):
    """The client's address as django-axes resolves it (honours PROXY_COUNT), or "unknown"."""
    return get_client_ip_address(request) or "unknown"


def hit(scope, key, limit, window_seconds):
    """Count one hit for ``key`` in ``scope``.

    Returns None while within ``limit`` hits in the current window, else the seconds until
    the window ends (for a ``Retry-After`` header).
    """
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * window_seconds - now) + 1)


def limit_exceeded(scope, request, limit, window_seconds):
    """Count one hit for this client's address; True once more than ``limit`` in the window."""
    return hit(scope, client_ip(request), limit, window_seconds) is not None
