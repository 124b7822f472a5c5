"""Reads of households and residents. Every function takes the caller's scope first."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from simpul.accounts.roles import Perm
from simpul.accounts.scope import Scope, require_scope
from simpul.audit.models import AuditEntry
from simpul.core.errors import NotInScope
from simpul.registry.models import Consent, DuplicateCandidate, Household, Person, Residence
from simpul.registry.services import validation as v


def _number_term(search: str) -> str | None:
    """The search as an identity number (spaces and dots removed), or None if it is not one."""
    digits = search.replace(" ", "").replace(".", "")
    return digits if digits and digits.isascii() and digits.isdigit() else None


def households_visible(scope: Scope | None, *, search: str = "", rt: str = "", posyandu_id: int | None = None) -> QuerySet[Household]:
    scope = require_scope(scope)
    qs = scope.filter(Household.objects.all(), Perm.VIEW_PERSON).filter(status=Household.Status.ACTIVE)
    if posyandu_id:
        qs = qs.filter(posyandu_id=posyandu_id)
    if rt:
        qs = qs.filter(rt=rt.strip().zfill(3))
    term = " ".join(search.split())
    number = _number_term(term)
    if term:
        if number and len(number) == 16:
            # A whole NIK or KK: exact match on the keyed hashes, not on the last four digits only.
            qs = qs.filter(Q(kk_hash=v.kk_hash(number)) | Q(members__nik_hash=v.nik_hash(number)))
        elif number:
            # Digits search the last digits of a member's NIK (only the last four are stored in clear).
            qs = qs.filter(members__nik_last4__endswith=number[-4:])
        else:
            qs = qs.filter(Q(head_name__icontains=term) | Q(members__full_name__icontains=term))
        qs = qs.distinct()
    return qs.select_related("posyandu").annotate(member_count=Count("members", distinct=True))


def household_get(scope: Scope | None, pk) -> Household:
    scope = require_scope(scope)
    household = (
        scope.filter(Household.objects.all(), Perm.VIEW_PERSON)
        .select_related("posyandu", "desa")
        .prefetch_related(Prefetch("members", queryset=Person.objects.order_by("birth_date")))
        .filter(pk=pk)
        .first()
    )
    if household is None:
        raise NotInScope()
    return household


def persons_visible(scope: Scope | None, *, search: str = "", posyandu_id: int | None = None,
                    include_inactive: bool = False) -> QuerySet[Person]:
    scope = require_scope(scope)
    qs = scope.filter(Person.objects.all(), Perm.VIEW_PERSON).filter(duplicate_of__isnull=True)
    if not include_inactive:
        qs = qs.filter(life_status=Person.LifeStatus.ALIVE)
    if posyandu_id:
        qs = qs.filter(posyandu_id=posyandu_id)
    term = " ".join(search.split())
    number = _number_term(term)
    if number and len(number) == 16:
        qs = qs.filter(nik_hash=v.nik_hash(number))
    elif number:
        qs = qs.filter(nik_last4__endswith=number[-4:])
    elif term:
        qs = qs.filter(full_name__icontains=term)
    return qs.select_related("household", "posyandu")


def person_get(scope: Scope | None, pk) -> Person:
    scope = require_scope(scope)
    person = (
        scope.filter(Person.objects.all(), Perm.VIEW_PERSON)
        .select_related("household", "posyandu", "desa", "duplicate_of")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise NotInScope()
    return person


def person_history(person: Person) -> QuerySet[AuditEntry]:
    """The change history of a resident (call only after person_get allowed the read)."""
    return AuditEntry.objects.filter(object_type="registry.person", object_id=str(person.pk)).select_related("actor")


def person_residences(person: Person) -> QuerySet[Residence]:
    return person.residences.select_related("posyandu", "desa").order_by("start_date")


def person_consents(person: Person) -> QuerySet[Consent]:
    return person.consents.select_related("witness")


def duplicate_proposals(scope: Scope | None, *, person: Person | None = None) -> QuerySet[DuplicateCandidate]:
    scope = require_scope(scope)
    visible = scope.filter(Person.objects.all(), Perm.VIEW_PERSON).values("pk")
    qs = DuplicateCandidate.objects.filter(status=DuplicateCandidate.Status.PROPOSED,
                                           person__in=visible, other__in=visible)
    if person is not None:
        qs = qs.filter(Q(person=person) | Q(other=person))
    return qs.select_related("person", "other")


def linked_records(person: Person) -> QuerySet[Person]:
    return Person.objects.filter(duplicate_of=person)


def residents_on(scope: Scope | None, *, region_prefix: str, on: dt.date) -> QuerySet[Residence]:
    """Who lived in a region on a date, each person once: the denominator rule for past periods."""
    scope = require_scope(scope)
    qs = scope.filter(Residence.objects.all(), Perm.VIEW_AGGREGATES)
    return qs.filter(desa__code__startswith=region_prefix, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    ).filter(Q(person__life_status_date__isnull=True) | Q(person__life_status_date__gt=on),
             person__birth_date__lte=on, person__duplicate_of__isnull=True)
