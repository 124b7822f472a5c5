"""Writes of Open311: making a client's key, and a citizen's request becoming a referral.

A request is recorded through :func:`simpul.referrals.services.referral_record`
as the client's account, so the same checks, ticket, SLA, audit entry and
notification apply as when a kader records it. Errors are DomainErrors whose
``field_errors`` are keyed by the GeoReport parameter names; ``code`` is
"forbidden" when the key may not record there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from simpul.accounts.roles import Perm
from simpul.accounts.scope import scope_for
from simpul.audit.services import audit_record
from simpul.core.errors import DomainError, NotInScope
from simpul.open311.models import ApiClient
from simpul.open311.presenters import PLACE_ATTRIBUTES, citizen_may_report
from simpul.open311.selectors import jurisdiction_get
from simpul.posyandu.models import Posyandu
from simpul.referrals.models import Category, Referral
from simpul.referrals.services import NeedInput, referral_record
from simpul.referrals.services.record import DESCRIPTION_MIN
from simpul.referrals.states import RECORDERS

KEY_START = "o311_"
# referral_record's field names → the GeoReport parameter a client sent.
PARAMETERS = {
    "category": "service_code",
    "description": "description",
    "rt": "attribute[rt]",
    "rw": "attribute[rw]",
    "latitude": "lat",
    "longitude": "long",
    "citizen_name": "first_name",
    "citizen_phone": "phone",
}


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_client_create(*, user, name: str, posyandu_id: int | None = None, now=None) -> tuple[str, ApiClient]:
    """A new key for ``user`` (a kader, pengurus or desa account). Returns the key, shown this once."""
    now = now or timezone.now()
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise DomainError(_("Give the client a name of at most 120 characters."))
    scope = scope_for(user)
    if not user.is_active or not (scope.roles & RECORDERS) or not scope.can(Perm.RECORD_NEED):
        raise DomainError(_("This account cannot record needs: choose an active kader or village (desa) account."))
    posyandu = None
    if posyandu_id is not None:
        posyandu = Posyandu.objects.filter(pk=posyandu_id).first()
        if posyandu is None or not scope.allows(Perm.RECORD_NEED, desa_code=posyandu.desa_id,
                                                 posyandu_id=posyandu.pk):
            raise DomainError(_("This posyandu is outside the account's area."))
    elif len(scope.posyandu_ids(Perm.RECORD_NEED)) != 1:
        raise DomainError(_("This account covers more than one posyandu: name the posyandu whose area the "
                            "reports belong to (--posyandu)."))
    raw = KEY_START + secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, key_prefix=raw[:12], key_hash=hash_key(raw), user=user,
                                      posyandu=posyandu, created_at=now)
    audit_record(actor=None, action="open311.api_client.create", obj=client,
                 region_code=posyandu.desa_id if posyandu else "",
                 changes={"name": name, "user": user.username, "key_prefix": client.key_prefix})
    return raw, client


def api_client_authenticate(raw: str) -> ApiClient | None:
    """The active client holding this key, or None (unknown, deactivated, or its account is disabled)."""
    if not raw:
        return None
    client = ApiClient.objects.select_related("user").filter(key_hash=hash_key(raw), active=True).first()
    if client is None or not client.user.is_active:
        return None
    return client


@dataclass
class RequestInput:
    """The parameters of POST requests.json (GeoReport v2); media_url, email, device_id and account_id are
    not taken (no fetching of outside files, no contact beyond the phone)."""

    service_code: str = ""
    jurisdiction_id: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


def _invalid(parameter: str, message: str) -> DomainError:
    return DomainError(message, field_errors={parameter: [message]})


@transaction.atomic
def request_submit(*, client: ApiClient, data: RequestInput, now=None) -> Referral:
    now = now or timezone.now()
    code = data.service_code.strip()
    if not code:
        raise _invalid("service_code", _("service_code is required."))
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        raise _invalid("service_code", _("Unknown service_code: take one from services.json."))
    if category.confidential:
        raise _invalid("service_code", _("This is a confidential report: tell the kader or the lurah/kepala desa "
                                         "in person. It cannot be sent through Open311."))
    if not citizen_may_report(category):
        raise _invalid("service_code", _("This need is about a resident or a household and needs their record: "
                                         "the kader or the village government records it. It cannot be sent "
                                         "through Open311."))
    unknown = sorted(set(data.attributes) - {name for name, _required, _text in PLACE_ATTRIBUTES})
    if unknown:
        raise _invalid(f"attribute[{unknown[0]}]", _("Unknown attribute: see the service definition."))
    for attribute, required, _text in PLACE_ATTRIBUTES:
        if required and not data.attributes.get(attribute, "").strip():
            raise _invalid(f"attribute[{attribute}]", _("This attribute is required."))
    if not ((data.lat or data.long) or data.address_string.strip() or data.address_id.strip()):
        raise _invalid("lat", _("Give the location: lat and long, or address_string."))
    description = " ".join(data.description.split())
    if len(description) < DESCRIPTION_MIN:
        raise _invalid("description", _("Describe the need in at least %(n)s characters.") % {"n": DESCRIPTION_MIN})

    scope = scope_for(client.user)
    posyandu_id = client.posyandu_id
    if posyandu_id is None:
        ids = scope.posyandu_ids(Perm.RECORD_NEED)
        if len(ids) != 1:
            raise DomainError(_("This api_key cannot record anywhere any more: ask the administrator."),
                              code="forbidden")
        posyandu_id = ids[0]
    if data.jurisdiction_id.strip():
        jurisdiction = jurisdiction_get(data.jurisdiction_id)
        desa_code = Posyandu.objects.filter(pk=posyandu_id).values_list("desa_id", flat=True).first() or ""
        if not desa_code.startswith(jurisdiction.code):
            raise _invalid("jurisdiction_id", _("This api_key records in another kabupaten/kota."))

    parts = [description]
    if data.address_string.strip():
        parts.append(_("Location: %(address)s") % {"address": " ".join(data.address_string.split())})
    if data.address_id.strip():
        parts.append(_("Address id: %(id)s") % {"id": data.address_id.strip()})
    need = NeedInput(
        category=category.code, description="\n".join(parts), posyandu_id=posyandu_id,
        rt=data.attributes.get("rt", "").strip(), rw=data.attributes.get("rw", "").strip(),
        latitude=data.lat.strip() or None, longitude=data.long.strip() or None,
        citizen_name=" ".join(f"{data.first_name} {data.last_name}".split()), citizen_phone=data.phone.strip(),
    )
    try:
        referral = referral_record(actor=client.user, scope=scope, data=need, now=now)
    except NotInScope:
        raise DomainError(_("This api_key may not record in this area."), code="forbidden") from None
    except DomainError as error:
        if not error.field_errors:
            raise
        raise DomainError(error.message, field_errors={PARAMETERS.get(key, key): messages
                                                       for key, messages in error.field_errors.items()}) from None
    ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    audit_record(actor=client.user, action="open311.request.submit", obj=referral, region_code=referral.desa_id,
                 changes={"api_client": client.pk, "ticket": referral.ticket})
    return referral
