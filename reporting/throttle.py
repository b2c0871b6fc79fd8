"""Throttling anonymous visitors without remembering who they are.

The middleware turns the client address into a keyed hash whose key changes every day
(HMAC-SHA256 over the address, keyed by SECRET_KEY and the date) before the address is thrown
away. Counters live only in the Django cache (Redis in production) and expire after an hour;
nothing is written to the database or the logs.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 60 * 60
LIMITS = {
    "code": 5,  # wrong receipt codes per hour
    "submit": 10,  # reports per hour
    "complaint": 5,  # complaints from the public form per hour (correspondence)
}


def client_key(address: str) -> str:
    day = timezone.now().date().isoformat()
    key = hmac.new(
        settings.SECRET_KEY.encode(), f"psd.reporting.throttle:{day}".encode(), hashlib.sha256
    ).digest()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()[:32]


def _cache_key(kind: str, key: str) -> str:
    return f"reporting:throttle:{kind}:{key}"


def is_throttled(kind: str, key: str) -> bool:
    return (cache.get(_cache_key(kind, key)) or 0) >= LIMITS[kind]


def record(kind: str, key: str) -> None:
    cache_key = _cache_key(kind, key)
    if not cache.add(cache_key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=WINDOW_SECONDS)
