"""``field__any=[…]``: membership in a long list, sent as one array parameter on PostgreSQL.

Django's ``__in`` gives every value its own placeholder. The SPM engine asks for the records of a posyandu's
few thousand residents, the early-warning rules for those of their households, a posyandu day's batch for its
few hundred children: preparing thousands of parameters in Django and parsing a query with thousands of
placeholders in psycopg cost more than the database's answer. ``column = ANY(%s)`` sends the list as one
array; the database uses the same index. Everywhere else (SQLite), and for a subquery, it is ``__in``.

Meant for keys — integers, strings, dates, UUIDs — whose prepared value is what the driver sends (as
``__in``'s values would be after ``get_db_prep_value`` on PostgreSQL). ``None`` is left out and an empty list
matches nothing, as with ``__in``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Field
from django.db.models.expressions import ColPairs
from django.db.models.fields.related import ForeignObject
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet


class _AsArray:
    """``In`` with its list of values sent as one array (the values as ``In`` prepared them)."""

    lookup_name = "any"

    def as_sql(self, compiler, connection):
        if (connection.vendor != "postgresql" or not self.rhs_is_direct_value()
                or isinstance(self.lhs, ColPairs)):
            return super().as_sql(compiler, connection)
        values = OrderedSet(self.rhs)
        values.discard(None)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(values))


@Field.register_lookup
class AnyOf(_AsArray, In):
    pass


@ForeignObject.register_lookup
class RelatedAnyOf(_AsArray, RelatedIn):
    """The same on a foreign key (``person_id__any=…``): relations have lookups of their own."""
