from . import selectors


def notifications(request):
    """The signed-in user's unread notification count, for the header badge (cached per
    session: no query while the user's notifications do not change)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {
        "unread_notifications": selectors.unread_count_cached(
            user=user, session_key=getattr(getattr(request, "session", None), "session_key", None)
        )
    }
