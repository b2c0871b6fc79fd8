from psd.navigation import navigation_for


def navigation(request):
    """The header navigation for the signed-in user's roles."""
    return {"nav_items": navigation_for(request.user, request.path)}
