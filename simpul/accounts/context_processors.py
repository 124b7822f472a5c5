from simpul.accounts.scope import scope_for


def scope(request):
    """Expose the request's scope to templates (for menus), computed once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": request_scope(request)}


def request_scope(request):
    cached = getattr(request, "_simpul_scope", None)
    if cached is None:
        cached = scope_for(request.user)
        request._simpul_scope = cached
    return cached
