from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import scope_for


def request_scope(request):
    """The request's scope, computed once per request from the user's memberships."""
    cached = getattr(request, "_simpul_scope", None)
    if cached is None:
        cached = scope_for(request.user)
        request._simpul_scope = cached
    return cached


def scope(request):
    """Expose the scope and menu flags to templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request_scope(request)
    return {
        "scope": current,
        "can_view_person": current.can(Perm.VIEW_PERSON),
        "can_view_posyandu": current.can(Perm.VIEW_POSYANDU),
        "can_register": current.can(Perm.REGISTER),
        "can_view_aggregates": current.can(Perm.VIEW_AGGREGATES),
        "can_view_referrals": current.can(Perm.VIEW_REFERRALS),
        "can_record_need": current.can(Perm.RECORD_NEED),
        "can_monitor_referrals": current.can(Perm.MONITOR_REFERRALS),
        "can_manage_routing": current.can(Perm.MANAGE_ROUTING),
        # The offline field app syncs one kader's posyandu (simpul/sync): only kader see its link.
        "is_kader": bool(current.grants_with(Role.KADER)),
    }
