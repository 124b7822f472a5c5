from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from simpul.accounts.context_processors import request_scope


def requires(perm: str):
    """A page needs the user to hold ``perm`` somewhere; the object check happens in the selector."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request_scope(request).can(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
