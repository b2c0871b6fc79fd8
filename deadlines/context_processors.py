from . import selectors


def notifications(request):
    """The signed-in user's unread notification count, for the header badge (one query)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_notifications": selectors.unread_count(user=user)}
