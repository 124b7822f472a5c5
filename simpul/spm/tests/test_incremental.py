"""Counters moved by the difference a batch of child records makes (simpul/spm/incremental.py) equal a rebuild.

The reference is ``counters.rebuild`` (the engine over every record of the area, from nothing), run after
the batch: every posyandu and region cell of every indicator must be what the incremental update left.
The records are the awkward under-fives of test_fastpath_health.py (born this year, turning 60 months,
moved from Miji to Meri in July, corrected weighings, missed doses, vitamin A in one month only), then a
posyandu day for all of them through both batch services in one transaction: today's weighing and length,
a late weighing of an earlier month, every dose that can be given today, and a dose of last year.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.health.batch import MeasurementItem, measurements_record_batch
from simpul.health.services import MeasurementInput
from simpul.immunization import rules, schedule
from simpul.immunization.batch import ImmunizationItem, immunizations_record_batch
from simpul.immunization.services import ImmunizationInput
from simpul.registry.models import Person
from simpul.spm import counters, fastpath, incremental
from simpul.spm.models import Counter, RegionCounter
from simpul.spm.tests.test_fastpath_health import children
from simpul.spm.tests.test_rules_health import child_with_mother
from simpul.tasks.models import Task

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(
            Counter.objects.values_list(
                "posyandu_id", "indicator", "year", "month", "denominator", "numerator", "pending"
            )
        ),
        sorted(
            RegionCounter.objects.exclude(denominator=0, numerator=0, pending=0).values_list(
                "region_code", "level", "indicator", "year", "month", "denominator", "numerator", "pending"
            )
        ),
    )


def rebuild_all(today):
    for year in (today.year - 1, today.year):
        for region in ("3576", "3320"):
            counters.rebuild(region, year, today=today)


def balita(posyandu, today):
    row = Counter.objects.filter(
        posyandu=posyandu, indicator="kes.balita", year=today.year, month=today.month
    ).first()
    return (row.denominator, row.numerator) if row else (0, 0)


def due_doses(child, today):
    """What a bidan gives at today's posyandu: every dose whose earliest day has come (the bench's rule)."""
    given = {r.dose: r.given_on for r in child.immunizations.all()}
    found = []
    for dose in schedule.applicable():
        if dose.code in given:
            continue
        earliest = rules.earliest_date(dose, child.birth_date, given)
        if (
            earliest is not None
            and earliest <= today
            and (dose.latest is None or today < dose.latest.after(child.birth_date))
        ):
            found.append(dose.code)
            given[dose.code] = today
    return found


def posyandu_day(user, people, today):
    """Weighings and doses for these children in one transaction, both services sharing one tally."""
    scope = scope_for(user)
    weighings, doses = [], []
    for n, child in enumerate(people):
        weighings.append(
            MeasurementItem(
                child,
                MeasurementInput(
                    measured_on=today,
                    weight_kg="10.5",
                    length_height_cm="80.0" if n % 2 else None,
                    position="recumbent" if n % 2 else "",
                ),
            )
        )
        if n % 3 == 0:  # a weighing of an earlier month, entered late
            weighings.append(
                MeasurementItem(
                    child,
                    MeasurementInput(
                        measured_on=today.replace(day=1) - dt.timedelta(days=20), weight_kg="10.1"
                    ),
                )
            )
        doses += [
            ImmunizationItem(child, ImmunizationInput(dose=code, given_on=today))
            for code in due_doses(child, today)
        ]
    with transaction.atomic(), incremental.tallying():
        answers = measurements_record_batch(actor=user, scope=scope, items=weighings)
        answers += immunizations_record_batch(actor=user, scope=scope, items=doses)
    return answers


def test_a_posyandu_day_moves_every_cell_exactly_as_a_rebuild(
    kader, posyandu_miji, posyandu_meri, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    children(kader, posyandu_miji, posyandu_meri)
    # A child whose first dose is of last year: a late entry of a 2025 dose moves 2025 and this year.
    late = child_with_mother(
        kader, posyandu_miji, "Lukas Akhir", today.replace(year=today.year - 1, month=12, day=1)
    )
    rebuild_all(today)
    before = snapshot()
    people = list(
        Person.objects.filter(posyandu__in=[posyandu_miji, posyandu_meri], relationship="anak").order_by("pk")
    )
    assert len(people) >= 9
    with django_capture_on_commit_callbacks(execute=True):
        answers = posyandu_day(kader, people, today)
        scope = scope_for(kader)
        with transaction.atomic():
            # Alone (its own tally): HB0 given on the day of birth, last year.
            late_answer = immunizations_record_batch(
                actor=kader,
                scope=scope,
                items=[
                    ImmunizationItem(
                        Person.objects.get(pk=late.pk),
                        ImmunizationInput(dose="hb0", given_on=late.birth_date),
                    )
                ],
            )
    assert late_answer[0].error is None
    stored = [a for a in answers if a.error is None]
    assert len(stored) > len(people)  # weighings and doses went in (a few refusals are fine)
    after = snapshot()
    assert after != before  # the batch moved counters (an empty update cannot pass by agreeing)
    rebuild_all(today)
    assert snapshot() == after


def test_a_batch_rolled_back_leaves_every_counter_as_it_was(kader, posyandu_miji, posyandu_meri):
    today = timezone.localdate()
    children(kader, posyandu_miji, posyandu_meri)
    rebuild_all(today)
    before = snapshot()
    people = list(Person.objects.filter(posyandu=posyandu_miji, relationship="anak"))
    with transaction.atomic():
        posyandu_day(kader, people, today)
        transaction.set_rollback(True)
    assert snapshot() == before


def record_the_whole_standard(user, baby, today):
    """A baby's first posyandu day: weighed, measured, and HB0 (given at birth) recorded, in one transaction."""
    scope = scope_for(user)
    baby = Person.objects.get(pk=baby.pk)
    with transaction.atomic():
        answers = measurements_record_batch(
            actor=user,
            scope=scope,
            items=[
                MeasurementItem(
                    baby,
                    MeasurementInput(
                        measured_on=today, weight_kg="3.9", length_height_cm="52.0", position="recumbent"
                    ),
                )
            ],
        )
        answers += immunizations_record_batch(
            actor=user,
            scope=scope,
            items=[ImmunizationItem(baby, ImmunizationInput(dose="hb0", given_on=baby.birth_date))],
        )
    return answers


def test_a_child_weighed_and_measured_is_counted_served_at_once(
    kader_miji, posyandu_miji, django_capture_on_commit_callbacks
):
    # Born on the 1st of this month and registered that day: one month here.
    today = timezone.localdate()
    born = today.replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        baby = child_with_mother(kader_miji, posyandu_miji, "Bayi Baru", born, on=born)
    rebuild_all(today)
    assert balita(posyandu_miji, today) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        record_the_whole_standard(kader_miji, baby, today)
    # One month here: ceil(8 × 1 / 12) = 1 weighing, ceil(2 × 1 / 12) = 1 height; HB0 given, nothing
    # else overdue in its first month: served.
    assert balita(posyandu_miji, today) == (1, 1)
    for region in ("3576031002", "357603", "3576", "35"):
        row = RegionCounter.objects.get(
            region_code=region, indicator="kes.balita", year=today.year, month=today.month
        )
        assert (row.denominator, row.numerator) == (1, 1)
    after = snapshot()
    rebuild_all(today)
    assert snapshot() == after


def test_records_announced_by_a_failed_inner_batch_are_not_counted(kader_miji, posyandu_miji):
    # The newborn above would be served by these very records (weighed, measured, HB0): had the tally
    # folded them in although the inner block failed and inserted nothing, the cell would read (1, 1).
    today = timezone.localdate()
    born = today.replace(day=1)
    baby = child_with_mother(kader_miji, posyandu_miji, "Bayi Baru", born, on=born)
    rebuild_all(today)
    assert balita(posyandu_miji, today) == (1, 0)
    announced = fastpath.Added(measured=((baby.pk, today, True, True),), doses=((baby.pk, "hb0", born),))
    with transaction.atomic(), incremental.tallying(today=today) as tally:
        with pytest.raises(IntegrityError), transaction.atomic(), incremental.tallying() as inner:
            inner.watch([(baby.pk, today), (baby.pk, born)], added=announced)
            raise IntegrityError("lost a race for a client UUID")
        assert not tally.told  # the outer tally reads the records again instead
    assert balita(posyandu_miji, today) == (1, 0)


def test_counters_that_are_not_current_are_refreshed_instead_of_refusing_the_records(
    kader_miji, posyandu_miji, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    born = today.replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        baby = child_with_mother(kader_miji, posyandu_miji, "Bayi Baru", born, on=born)
    # Never built: the batch's difference (one more served, none more counted) cannot be added to nothing.
    Counter.objects.all().delete()
    RegionCounter.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answers = record_the_whole_standard(kader_miji, baby, today)
    assert [a.error for a in answers] == [None, None]
    assert balita(posyandu_miji, today) == (1, 1)  # refreshed after commit, the old way

    def child_cells():  # the refresh recomputed what the batch touches; the other indicators stay deleted
        return [c for c in snapshot()[0] if c[1] == "kes.balita"], [
            r for r in snapshot()[1] if r[2] == "kes.balita"
        ]

    after = child_cells()
    counters.rebuild("3576", today.year, today=today)
    assert child_cells() == after


def test_the_kader_task_follows_the_batch_in_a_job(
    kader_miji, posyandu_miji, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    born = today.replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        baby = child_with_mother(kader_miji, posyandu_miji, "Bayi Baru", born, on=born)
    task = Task.objects.get(person=baby, indicator="kes.balita", status=Task.Status.OPEN)
    assert {r["code"] for r in task.reasons} >= {"weighings", "heights"}
    with django_capture_on_commit_callbacks(execute=True):
        record_the_whole_standard(kader_miji, baby, today)
    # The job (run at once by the test task backend, after commit) closed it: the baby is served.
    task.refresh_from_db()
    assert (task.status, task.closed_because) == (Task.Status.DONE, Task.Closed.SERVED)


def test_differences_add_to_cells_there_and_make_the_missing_ones(posyandu_miji):
    Counter.objects.create(
        posyandu=posyandu_miji,
        desa_code="3576031002",
        indicator="kes.balita",
        year=2026,
        month=10,
        denominator=5,
        numerator=2,
    )
    incremental._upsert_counters(
        [
            (posyandu_miji.pk, "3576031002", "kes.balita", 2026, 10, 0, 1, 0),
            (posyandu_miji.pk, "3576031002", "kes.balita", 2026, 11, 3, 1, 0),
        ]
    )
    incremental._upsert_regions([("3576", 2, "kes.balita", 2026, 11, 3, 1, 0)])
    incremental._upsert_regions([("3576", 2, "kes.balita", 2026, 11, 1, 1, 0)])
    assert sorted(Counter.objects.values_list("month", "denominator", "numerator", "pending")) == [
        (10, 5, 3, 0),
        (11, 3, 1, 0),
    ]
    assert list(
        RegionCounter.objects.values_list("region_code", "level", "month", "denominator", "numerator")
    ) == [("3576", 2, 11, 4, 2)]
