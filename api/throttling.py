"""Per-user request rate for the API (issue 20), counted in the shared cache (Redis when
``REDIS_URL`` is set) so every worker sees the same count.

The rate is read from ``PSD_API_USER_RATE`` on each request ("1200/minute" by default; empty
turns the throttle off), not frozen at import as DRF's own classes do, so it can be changed
per deployment and per test. If the cache cannot be reached the request is let through (and
a warning logged): the rate protects the service and must not become its outage. Requests
are counted per user, never per address: staff share force networks and the reverse proxy,
and every API request is authenticated.
"""

import logging

from django.conf import settings
from rest_framework.throttling import UserRateThrottle

logger = logging.getLogger(__name__)


class PerUserThrottle(UserRateThrottle):
    scope = "user"

    def get_rate(self):  # DRF instantiates the throttle per request
        return settings.PSD_API_USER_RATE or None

    def allow_request(self, request, view):
        """Fails open: an outage of the cache must not take the API down with it."""
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - any cache error (Redis down, timeout)
            logger.warning("API rate not applied: the cache is unavailable")
            return True
