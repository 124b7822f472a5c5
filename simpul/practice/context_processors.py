from simpul.accounts.context_processors import request_scope
from simpul.practice.selectors import practice_posyandu_ids


def practice(request):
    """The practice banner (when on) and whether to offer the switch (users with a posyandu grant).

    Inside a practice request the scope is the workspace's (the user's grants at that one posyandu), so
    the switch link stays; outside it the real scope decides.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    active = getattr(request, "practice", None)
    if active is not None:
        return {"practice": active, "can_practise": True}
    return {"practice": None, "can_practise": bool(practice_posyandu_ids(request_scope(request)))}
