"""Throttling the anonymous pages without knowing, or counting, who the visitor is (issue 20).

Counting per network address failed twice: behind the force's reverse proxy every reporter
shares one address, so five wrong codes from anyone locked everyone out (the right code got
429), and an address is what an anonymous channel must not keep. Nothing here depends on the
client; counters live in the shared cache (Redis: ``settings`` refuses DEBUG=0 without it), so
every worker sees the same counts, and they expire after ``WINDOW_SECONDS``.

Receipt codes (``code_lookup``):

- A wrong code whose lookup key (the 32-bit keyed HMAC prefix, ``receipt.lookup_id``) matches
  no report cannot be anyone's code: it is refused as not found and counted in a site-wide
  counter of failed lookups. Up to ``code_ceiling()`` failures an hour it still costs one
  Argon2 verification (a miss and a hit take the same time); beyond it the miss is answered
  without that work, so a flood of guesses cannot pin the server's CPUs.
- A code whose lookup key matches a report is always verified with Argon2. Wrong codes
  sharing that key are counted per key; after ``PER_KEY_FAILURES`` in the window codes with
  that key are refused (429) until it passes. The key is a keyed hash: without the server's
  reporting key nobody can aim guesses at one report's key (about 2**32 / reports guesses
  per accidental hit), and a reporter's own typo changes the key, so it counts against no one.

So the right code is never refused because of guesses elsewhere: the site-wide ceiling only
ever skips work for codes that match nothing, and the per-key counter needs guesses that
collide with that report's keyed prefix. Submissions have a site-wide ceiling per hour
(``submit_ceiling()``): a bound on spam that, unlike a per-address limit, no shared proxy
address can trip for one reporter while leaving a spammer with many addresses free.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

WINDOW_SECONDS = 60 * 60
PER_KEY_FAILURES = 5


def code_ceiling() -> int:
    return settings.REPORTING_CODE_FAILURE_CEILING


def submit_ceiling() -> int:
    return settings.REPORTING_SUBMIT_CEILING


def _bucket() -> str:
    """The current fixed window (counters of the previous one simply expire)."""
    return str(int(timezone.now().timestamp()) // WINDOW_SECONDS)


def _cache_key(kind: str, key: str = "all") -> str:
    return f"reporting:throttle:{kind}:{_bucket()}:{key}"


def count(kind: str, key: str = "all") -> int:
    return cache.get(_cache_key(kind, key)) or 0


def record(kind: str, key: str = "all") -> int:
    """Add one to the counter (atomically in Redis) and return the new count."""
    cache_key = _cache_key(kind, key)
    if cache.add(cache_key, 1, timeout=WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=WINDOW_SECONDS)
        return 1


def key_refused(lookup: str) -> bool:
    """Too many wrong codes sharing this lookup key in the window."""
    return count("code-key", lookup) >= PER_KEY_FAILURES


def over_code_ceiling() -> bool:
    return count("code-failed") >= code_ceiling()


def submissions_refused() -> bool:
    return count("submit") >= submit_ceiling()


def complaint_ceiling() -> int:
    return settings.COMPLAINT_SUBMIT_CEILING


def complaints_refused() -> bool:
    """The public complaint form (correspondence) has its own site-wide ceiling: like the
    anonymous form, it is not counted per address, so people behind one proxy share nothing."""
    return count("complaint") >= complaint_ceiling()
