"""``{% programme_history person=... %}`` / ``{% programme_history household=... %}`` for the registry pages.

An inclusion tag so the registry views need no change: it reads the scope from the request, shows only
programmes the reader may see (programmes.access), and for a household the income-earner situation too.
"""

from __future__ import annotations

from django import template

from simpul.accounts.context_processors import request_scope
from simpul.accounts.roles import Perm
from simpul.programmes.earners import latest_earners
from simpul.programmes.selectors import history_for_people, offers_for_household

register = template.Library()


@register.inclusion_tag("programmes/_history.html", takes_context=True)
def programme_history(context, person=None, household=None):
    request = context["request"]
    scope = request_scope(request)
    if household is not None:
        ids = list(household.members.filter(duplicate_of__isnull=True).values_list("pk", flat=True))
        place = household
    else:
        ids = [person.pk]
        place = person
    earners = latest_earners(household.pk) if household is not None else None
    return {
        "offers": offers_for_household(scope, household) if household is not None else [],
        "history": history_for_people(scope, ids),
        "household": household,
        "person": person,
        "earners": earners,
        "show_person": household is not None,
        "can_register": scope.allows(Perm.REGISTER, desa_code=place.desa_id, posyandu_id=place.posyandu_id),
    }
