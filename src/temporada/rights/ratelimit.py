"""Per-client rate limit without storing who the client is.

The client is a keyed hash (HMAC with the secret key) of its address and the current day; the
hash only ever lives in the cache as part of a counter key that expires with its window. Nothing
goes to the database, and the address itself is never kept.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from temporada.core.audit import client_ip

DEFAULT_LIMIT = 20  # checks per client and window
DEFAULT_WINDOW = 60 * 60  # seconds


def _limits():
    return (getattr(settings, "RIGHTS_VERIFY_RATE_LIMIT", DEFAULT_LIMIT),
            getattr(settings, "RIGHTS_VERIFY_RATE_WINDOW", DEFAULT_WINDOW))


def client_key(request) -> str:
    day = timezone.now().date().isoformat()
    message = f"{client_ip(request) or 'unknown'}|{day}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def hit(request, bucket: str = "verify") -> tuple[bool, int]:
    """Count one request. Returns (allowed, seconds until the window ends)."""
    limit, window = _limits()
    now = int(time.time())
    window_start = now - now % window
    key = f"rights:rl:{bucket}:{window_start}:{client_key(request)}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count <= limit, window_start + window - now
