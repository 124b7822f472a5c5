"""Glue between pages and services: a service's DomainError becomes messages on the form that sent it."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from simpul.core.errors import DomainError


def apply_field_errors(field_errors: dict[str, list[str]], form: forms.Form, formset=None) -> None:
    """Put a service's per-field messages back on the form (and member rows) that sent them."""
    for key, field_messages in field_errors.items():
        target, name = form, key
        if key.startswith("members.") and formset is not None:
            _prefix, index, name = key.split(".", 2)
            target = formset.forms[int(index)]
        elif key == "members" and formset is not None:
            for message in field_messages:
                form.add_error(None, message)
            continue
        for message in field_messages:
            target.add_error(name if name in target.fields else None, message)


def form_submit(request, form: forms.Form, action: Callable[[], object], *, success: str, then):
    """Run ``action`` (one service call) for a valid form.

    On a DomainError the messages go onto the form and None is returned, so the view re-renders it;
    on success a flash message is set and the redirect to ``then`` (a URL name and its arguments, or a
    ready redirect response when the URL carries a query) is returned.
    """
    try:
        action()
    except DomainError as exc:
        form.add_error(None, exc.message)
        apply_field_errors(exc.field_errors, form)
        return None
    messages.success(request, success)
    if isinstance(then, HttpResponse):
        return then
    name, *args = then
    return redirect(name, *args)
