"""Which writes move which indicators: a save of a record marks its posyandu-year, refreshed after commit.

Every record an indicator reads carries its posyandu (and a date that gives the year), so a signal on its
save is enough to know what to recompute; the refresh itself runs once per transaction, after commit, for
everything the transaction touched (a posyandu day of fifty weighings is one refresh, not fifty). Bulk loads
that bypass ``save()`` (the demo, the seeding command) call ``spm_recompute`` afterwards. The batch services
of the posyandu day (``health/batch.py``, ``immunization/batch.py``) send no signal either: they move the
counters themselves by the difference their records make (``spm/incremental.py``, decision 0025).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from simpul.spm import catalogue

_state = threading.local()

HEALTH_PERSON = ("kes.balita", "kes.ibu_hamil", "kes.usia_produktif", "kes.usia_lanjut", "kes.hipertensi",
                 "kes.diabetes")
PERSON = tuple(i.code for i in catalogue.COMPUTED if i.unit == "person")
HOUSEHOLD = tuple(i.code for i in catalogue.COMPUTED if i.unit == "household")
REFERRAL = tuple(i.code for i in catalogue.COMPUTED if i.rule in {"referral_resolved", "house_restored"})
SCREENING = ("kes.usia_produktif", "kes.usia_lanjut", "kes.hipertensi", "kes.diabetes")


def _pending() -> dict[tuple[int, int], list]:
    """(posyandu, year) -> [indicator codes, first month affected]."""
    if not hasattr(_state, "pending"):
        _state.pending = {}
    return _state.pending


@contextlib.contextmanager
def suspended():
    """Bulk loaders (demo, seeding) write without marking anything and run ``counters.rebuild`` after."""
    previous = getattr(_state, "suspended", False)
    _state.suspended = True
    try:
        yield
    finally:
        _state.suspended = previous


def touch(posyandu_id: int | None, day: dt.date | None, codes) -> None:
    """Mark a posyandu's counters for a refresh after commit: ``day``'s year from ``day``'s month on (year-to-date
    counters before it cannot change), and this year from January (a past record can move this year's
    sasaran, e.g. hypertension found last year). Without a day (a person's details), the whole of this year."""
    if posyandu_id is None or getattr(_state, "suspended", False):
        return
    this_year = timezone.localdate().year
    marks = {this_year: 1}
    if day is not None:
        marks[day.year] = day.month
    pending = _pending()
    for year, month in marks.items():
        entry = pending.setdefault((posyandu_id, year), [set(), month])
        entry[0].update(codes)
        entry[1] = min(entry[1], month)
    # Every touch registers a flush; the first to run after commit drains the set and the rest find it
    # empty. What a rolled-back transaction left behind is refreshed too — correct values, a little work.
    transaction.on_commit(_flush)


def _flush() -> None:
    from simpul.spm.counters import refresh

    pending = _pending()
    work = dict(pending)
    pending.clear()
    groups: dict[tuple[int, frozenset[str], int], set[int]] = defaultdict(set)
    for (posyandu_id, year), (codes, first_month) in work.items():
        groups[(year, frozenset(codes), first_month)].add(posyandu_id)
    for (year, codes, first_month), ids in groups.items():
        refresh(ids, year, codes=codes, from_month=first_month)


def _record(date_of, codes, posyandu=lambda row: row.posyandu_id):
    """A receiver touching the row's posyandu from the month of ``date_of(row)`` (the earliest day the row can
    change a verdict; None = the whole year)."""
    def receiver(sender, instance, **kwargs):
        touch(posyandu(instance), date_of(instance), codes)
    return receiver


def _field(name: str):
    return lambda row: getattr(row, name)


def _pregnancy_day(row):
    # Judged on its end day: delivery or end, else the HPL; registering or closing it moves that day.
    return min(day for day in (row.delivered_on, row.ended_on, row.hpl, row.registered_on) if day is not None)


def _residence(sender, instance, **kwargs):
    # A move changes two posyandu: the one left (its residence row was closed) and the one joined.
    from simpul.registry.models import Residence

    for posyandu_id in set(Residence.objects.filter(person_id=instance.person_id).values_list("posyandu_id", flat=True)):
        touch(posyandu_id, instance.start_date, PERSON)


def _household_before(sender, instance, **kwargs):
    # Remember where a household was, so a move refreshes the posyandu it left as well.
    if instance.pk:
        instance._spm_left = sender.objects.filter(pk=instance.pk).values_list("posyandu_id", flat=True).first()


def _household(sender, instance, **kwargs):
    for posyandu_id in {instance.posyandu_id, getattr(instance, "_spm_left", None)}:
        touch(posyandu_id, None, HOUSEHOLD)


def _referral(sender, instance, **kwargs):
    # A person referred in two posyandu is counted once, where the latest referral is: a new referral
    # can move them out of the other posyandu's count.
    posyandu = {instance.posyandu_id}
    if instance.person_id:
        posyandu |= set(sender.objects.filter(person_id=instance.person_id, recorded_on__year=instance.recorded_on.year)
                        .values_list("posyandu_id", flat=True))
    for posyandu_id in posyandu:
        touch(posyandu_id, instance.recorded_on, REFERRAL)


_receivers = []


def connect() -> None:
    from simpul.health.models import Measurement
    from simpul.immunization.models import ImmunizationRecord
    from simpul.maternal.models import AncVisit, Pregnancy
    from simpul.referrals.models import Referral
    from simpul.registry.models import Household, HouseholdCondition, Person, Residence
    from simpul.screening.models import Screening
    from simpul.serviceday.models import ServiceGiven

    wiring = [
        (Measurement, _record(_field("measured_on"), ("kes.balita",))),
        (ImmunizationRecord, _record(_field("given_on"), ("kes.balita",))),
        (ServiceGiven, _record(lambda row: row.day.held_on, ("kes.balita",), posyandu=lambda row: row.day.posyandu_id)),
        (Pregnancy, _record(_pregnancy_day, ("kes.ibu_hamil",))),
        (AncVisit, _record(_field("visited_on"), ("kes.ibu_hamil",))),
        (Screening, _record(_field("screened_on"), SCREENING)),
        (Person, _record(lambda row: None, PERSON)),
        (Residence, _residence),
        (Household, _household),
        (HouseholdCondition, _record(_field("observed_on"), HOUSEHOLD,
                                     posyandu=lambda row: row.household.posyandu_id)),
        (Referral, _referral),
    ]
    for model, receiver in wiring:
        _receivers.append(receiver)  # signals hold weak references
        post_save.connect(receiver, sender=model, dispatch_uid=f"spm-{model._meta.label}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"spm-{model._meta.label}-delete")
    _receivers.append(_household_before)
    pre_save.connect(_household_before, sender=Household, dispatch_uid="spm-household-before")
