"""Versions of each user's unread-notification count, cached per session for the header
badge (issue 21: no count query on every page).

A user's version is renewed whenever one of their notifications is created, read, moved or
deleted: by the receivers below for single rows and by ``NotificationQuerySet`` for bulk
inserts and updates (the sweeps insert in bulk, "mark all read" updates in bulk). The count
itself is read and cached by ``deadlines.selectors.unread_count_cached``.
"""

from __future__ import annotations

from psd import cache as psd_cache

# Seconds a cached count or version lives: bounds a change made outside the ORM.
TTL = 300


def version_key(user_id) -> str:
    return psd_cache.key("unread", "version", str(user_id))


def entry_key(session_key: str) -> str:
    return psd_cache.key("unread", "count", session_key)


def forget_unread(*user_ids) -> None:
    """The users' cached counts are stale (now, and again once the transaction commits)."""
    psd_cache.renew(*(version_key(pk) for pk in set(user_ids) if pk is not None), ttl=TTL)
