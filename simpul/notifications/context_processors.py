from simpul.notifications.selectors import unread_count


def unread(request):
    """The number of unread notifications, for the badge on the menu link."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": unread_count(user)}
