"""Every API error is JSON in Bahasa Indonesia with per-field messages: never a 500, never English."""

from __future__ import annotations

import json
import logging
import re

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from simpul.api.parser import NulCharacter
from simpul.core.errors import DomainError, NotInScope, ScopeMissing

log = logging.getLogger(__name__)


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "date_out_of_range":
        return _("Enter a date between the years 1800 and 2199.")
    if kind in {"date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"}:
        return _("Enter a valid date in the form YYYY-MM-DD.")
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing", "datetime_object_invalid"}:
        return _("Enter a valid date and time.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(options)s.") % {"options": _options(ctx.get("expected", ""))}
    if kind in {"string_too_long", "too_long"}:
        return _("Too long: at most %(max)s.") % {"max": ctx.get("max_length", "")}
    if kind in {"string_too_short", "too_short"}:
        return _("Too short: at least %(min)s.") % {"min": ctx.get("min_length", "")}
    if kind in {"uuid_parsing", "uuid_type", "uuid_version"}:
        return _("Enter a valid UUID.")
    if kind in {"string_type", "list_type", "dict_type", "model_type", "model_attributes_type"}:
        return _("The value has the wrong type.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("The value is too small.")
    if kind in {"less_than_equal", "less_than"}:
        return _("The value is too large.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    return _("This value is not valid.")


def _options(expected: str) -> str:
    """Pydantic's ``'M' or 'F'`` / ``'a', 'b' or 'c'`` as ``M, F`` — its "or" is English."""
    quoted = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    return ", ".join(quoted) if quoted else expected


def _field_path(loc) -> str:
    # ("body", "payload", "members", 0, "nik") -> "members.0.nik"
    parts = [str(p) for p in loc]
    while parts and parts[0] in {"body", "query", "path", "payload", "data", "form"}:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def field_errors_body(message: str, field_errors: dict[str, list[str]] | None = None, code: str = "invalid") -> dict:
    return {"detail": str(message), "code": code, "errors": field_errors or {}}


def install(api) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request, exc: ValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_path(error.get("loc", ())), []).append(_pydantic_message(error))
        return api.create_response(request, field_errors_body(_("The data sent is not valid."), errors), status=422)

    @api.exception_handler(DomainError)
    def on_domain(request, exc: DomainError):
        if isinstance(exc, NotInScope):
            return api.create_response(request, {"detail": _("Not found."), "code": "not_found"}, status=404)
        status = {"conflict": 409, "forbidden": 403}.get(exc.code, 422)
        return api.create_response(request, field_errors_body(exc.message, exc.field_errors, exc.code), status=status)

    @api.exception_handler(ScopeMissing)
    def on_scope_missing(request, exc):
        return api.create_response(request, {"detail": _("You have no access here."), "code": "forbidden"}, status=403)

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request, {"detail": _("Log in first, or send a valid token."), "code": "unauthorized"}, status=401
        )

    def nul_refused(request, exc: NulCharacter):
        return api.create_response(request, field_errors_body(
            _("The data sent is not valid."), {exc.field: [_("Text cannot contain the NUL character.")]}), status=422)

    @api.exception_handler(NulCharacter)
    def on_nul(request, exc: NulCharacter):
        return nul_refused(request, exc)  # in a form's fields (a body's come as the cause of an HttpError)

    @api.exception_handler(MultiPartParserError)
    def on_bad_form(request, exc):
        # A multipart body that cannot be read (no boundary, cut short): the sender's fault, not a server error.
        return api.create_response(request, {"detail": _("The form data sent could not be read."),
                                             "code": "bad_form"}, status=400)

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request, exc):
        # Too many files or fields in a form, and Django's other refusals of a request: a 400, as Django answers
        # them outside the API.
        return api.create_response(request, {"detail": _("The request could not be understood."),
                                             "code": "bad_request"}, status=400)

    @api.exception_handler(HttpError)
    def on_http(request, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, NulCharacter):
            return nul_refused(request, cause)
        if isinstance(cause, RequestDataTooBig):
            return api.create_response(request, {"detail": _("The request is too large."), "code": "too_large"},
                                       status=413)
        if isinstance(cause, UnicodeDecodeError | json.JSONDecodeError | ValueError | RecursionError):
            return api.create_response(
                request, {"detail": _("The request body is not valid UTF-8 JSON."), "code": "bad_json"}, status=400
            )
        messages = {401: (_("Log in first, or send a valid token."), "unauthorized"),
                    403: (_("You have no access here."), "forbidden"), 404: (_("Not found."), "not_found"),
                    429: (_("Too many attempts. Try again later."), "locked")}
        detail, code = messages.get(exc.status_code, (str(exc), "error"))
        return api.create_response(request, {"detail": detail, "code": code}, status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc):
        return api.create_response(request, {"detail": _("The request is too large."), "code": "too_large"}, status=413)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc):
        # A bug, not the client's fault: logged with its traceback for us, and answered as the API answers
        # everything else — JSON in Bahasa — so the phone shows a message instead of an HTML page it cannot read.
        log.exception("api: unexpected error on %s %s", request.method, request.path)
        return api.create_response(request, {
            "detail": _("Something went wrong on the server. Try again later; if it keeps happening, tell the "
                        "administrator."), "code": "server_error"}, status=500)


def install_404(api) -> None:
    from django.http import Http404

    @api.exception_handler(Http404)
    def on_404(request, exc):
        return api.create_response(request, {"detail": _("Not found."), "code": "not_found"}, status=404)
