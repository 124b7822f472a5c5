"""GeoReport v2 under /open311/v2/: plain Django views, JSON or XML by the URL's extension.

The reads are public (no login; citizen-facing fields only, see presenters). The
one write, POST requests.{format}, authenticates by api_key alone and never by
the session, which is why it (and only its view) is exempt from CSRF. Every
refusal is the specification's error list with a 400, 403 or 404 status.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import wraps

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from simpul.core.errors import DomainError
from simpul.open311 import presenters, selectors
from simpul.open311.formats import FORMATS, Open311Error, render, render_errors
from simpul.open311.services import RequestInput, api_client_authenticate, request_submit

MAX_SPAN = dt.timedelta(days=90)  # the specification's widest date range
POST_FIELDS = ("service_code", "jurisdiction_id", "lat", "long", "address_string", "address_id", "description",
               "first_name", "last_name", "phone")
ATTRIBUTE_RE = re.compile(r"^attribute\[(\w+)\]$")


def endpoint(*methods: str):
    """Answer in the requested format, turn Open311Errors and DomainErrors into the specification's errors."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            with translation.override("id"):
                if fmt not in FORMATS:
                    return render_errors(400, [_("Only the .json and .xml formats are offered.")], "json")
                if request.method not in methods:
                    response = render_errors(405, [_("This method is not allowed here.")], fmt)
                    response["Allow"] = ", ".join(methods)
                    return response
                try:
                    for name, value in request.GET.items():
                        _check_text(name, value)
                    response = view(request, *args, fmt=fmt, **kwargs)
                except DomainError as error:
                    response = _domain_errors(error, fmt)
                except Open311Error as error:
                    response = render_errors(error.status, error.descriptions, fmt)
                if request.method in ("GET", "HEAD"):
                    response["Access-Control-Allow-Origin"] = "*"  # public reads, for citizens' apps in a browser
                return response

        return wrapper

    return decorate


def _domain_errors(error: DomainError, fmt: str):
    status = {"forbidden": 403, "not_found": 404}.get(error.code, 400)
    descriptions = [f"{parameter}: {message}" for parameter, messages in error.field_errors.items()
                    for message in messages]
    return render_errors(status, descriptions or [error.message], fmt)


def _jurisdiction(value: str | None):
    return selectors.jurisdiction_get(value) if (value or "").strip() else None


@endpoint("GET", "HEAD")
def services_list(request, *, fmt: str):
    _jurisdiction(request.GET.get("jurisdiction_id"))
    rows = [presenters.service_row(category) for category in selectors.services_public()]
    return render(rows, fmt, root="services")


@endpoint("GET", "HEAD")
def service_definition(request, service_code: str, *, fmt: str):
    _jurisdiction(request.GET.get("jurisdiction_id"))
    category = selectors.service_public(service_code)
    if category is None:
        raise Open311Error(404, _("Unknown service_code: take one from services.json."))
    return render(presenters.service_definition(category), fmt, root="service_definition")


@csrf_exempt  # POST authenticates by api_key only, never by a session cookie
@endpoint("GET", "HEAD", "POST")
def requests_endpoint(request, *, fmt: str):
    if request.method == "POST":
        return _submit(request, fmt)
    params = request.GET
    jurisdiction = _jurisdiction(params.get("jurisdiction_id"))
    tickets = _list(params.get("service_request_id"))
    if tickets:
        if len(tickets) > selectors.LIMIT:
            raise Open311Error(400, _("Ask for at most %(n)s service_request_id at once.") % {"n": selectors.LIMIT})
        rows = selectors.requests_public(jurisdiction=jurisdiction, tickets=tickets)
    else:
        codes = _list(params.get("service_code"))
        unknown = sorted(set(codes) - selectors.category_codes_known(codes))
        if unknown:
            raise Open311Error(400, _("Unknown service_code: %(codes)s.") % {"codes": ", ".join(unknown)})
        statuses = [s.lower() for s in _list(params.get("status"))]
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, _("status is open or closed."))
        start, end = _date_range(params.get("start_date"), params.get("end_date"))
        rows = selectors.requests_public(jurisdiction=jurisdiction, service_codes=codes, start=start, end=end,
                                         statuses=statuses)
    return render([presenters.request_row(row) for row in rows], fmt, root="service_requests")


@endpoint("GET", "HEAD")
def request_detail(request, service_request_id: str, *, fmt: str):
    jurisdiction = _jurisdiction(request.GET.get("jurisdiction_id"))
    row = selectors.request_public(service_request_id, jurisdiction=jurisdiction)
    if row is None:
        raise Open311Error(404, _("Service request %(id)s was not found.") % {"id": service_request_id})
    return render([presenters.request_row(row)], fmt, root="service_requests")


def _submit(request, fmt: str):
    params, attributes = _post_params(request)
    raw_key = params.get("api_key") or request.GET.get("api_key", "")
    if not raw_key:
        raise Open311Error(403, _("api_key is required to send a service request."))
    client = api_client_authenticate(raw_key)
    if client is None:
        raise Open311Error(403, _("This api_key is not valid."))
    data = RequestInput(**{name: params.get(name, "") for name in POST_FIELDS}, attributes=attributes)
    if not data.jurisdiction_id:
        data.jurisdiction_id = request.GET.get("jurisdiction_id", "")
    referral = request_submit(client=client, data=data)
    notice = _("Received: the village government will check it. Due by %(due)s; follow it with ticket "
               "%(ticket)s.") % {"due": date_format(referral.due_on, "j F Y"), "ticket": referral.ticket}
    return render([{"service_request_id": referral.ticket, "service_notice": notice, "account_id": None}], fmt,
                  root="service_requests")


def _post_params(request) -> tuple[dict[str, str], dict[str, str]]:
    """The POST parameters as strings, from a form (the specification) or a JSON object."""
    try:
        if request.content_type == "application/json":
            try:
                body = json.loads(request.body.decode("utf-8") or "null")
            except (ValueError, UnicodeDecodeError):
                raise Open311Error(400, _("The request body is not valid JSON.")) from None
            if not isinstance(body, dict):
                raise Open311Error(400, _("The request body must be a JSON object."))
            items = list(body.items())
            nested = body.get("attribute")
            if isinstance(nested, dict):
                items += [(f"attribute[{key}]", value) for key, value in nested.items()]
        else:
            items = list(request.POST.items())
    except (RequestDataTooBig, TooManyFieldsSent, MultiPartParserError):
        raise Open311Error(400, _("The request body is too large or malformed.")) from None
    params: dict[str, str] = {}
    attributes: dict[str, str] = {}
    for key, value in items:
        if key == "attribute" and isinstance(value, dict):
            continue
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise Open311Error(400, _("%(name)s must be text or a number.") % {"name": key})
        _check_text(key, str(value))
        match = ATTRIBUTE_RE.match(key)
        if match:
            attributes[match.group(1)] = str(value)
        else:
            params[key] = str(value)
    return params, attributes


def _check_text(name: str, value: str) -> None:
    """A NUL character cannot be stored or searched (PostgreSQL refuses it): refuse it up front."""
    if "\x00" in name or "\x00" in value:
        raise Open311Error(400, f"{name.replace(chr(0), '')}: " + _("This contains a character that is not allowed."))


def _list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _date_range(start_text: str | None, end_text: str | None) -> tuple[dt.datetime, dt.datetime]:
    """The specification's range: at most 90 days, the most recent 90 days when neither end is given."""
    start = _when(start_text, "start_date") if start_text else None
    end = _when(end_text, "end_date", end_of_day=True) if end_text else None
    if start is None and end is None:
        end = timezone.now()
    try:
        if start is None:
            start = end - MAX_SPAN
        if end is None:
            end = start + MAX_SPAN
    except OverflowError:  # a date next to year 1 or 9999
        raise Open311Error(400, _("start_date or end_date is out of range.")) from None
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > MAX_SPAN:
        raise Open311Error(400, _("start_date and end_date may not be more than 90 days apart."))
    return start, end


def _when(text: str, name: str, *, end_of_day: bool = False) -> dt.datetime:
    """A w3 date-time (2026-01-31T08:00:00+07:00 or …Z); a bare date means the whole day in local time."""
    cleaned = re.sub(r" (\d\d:?\d\d)$", r"+\1", text.strip())  # a "+" an unencoded URL turned into a space
    try:
        if re.fullmatch(r"\d{4}-\d\d-\d\d", cleaned, re.ASCII):
            day = parse_date(cleaned)
            moment = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min) if day else None
        else:
            moment = parse_datetime(cleaned)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is not a date-time such as 2026-01-31T08:00:00+07:00.") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
