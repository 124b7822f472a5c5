"""immunizations_record_batch: what N calls of immunization_record would store and answer, written at once.

The single service is the independent reference: every case runs once through ``immunization_record``
(item by item, in a savepoint rolled back afterwards) and once through the batch, and every stored
column, error, audit entry and change-feed row must be the same — including the schedule checks that
depend on doses accepted earlier in the same batch.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.core.testing import batch as batch_kit
from simpul.immunization.batch import ImmunizationItem, immunizations_record_batch
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.immunization.tests.kit import D, add_child, aisyah, at, give
from simpul.registry.models import Person
from simpul.spm import counters
from simpul.spm.models import Counter, RegionCounter
from simpul.sync.models import SyncChange

pytestmark = pytest.mark.django_db

NOW = at(2024, 3, 20)
COLUMNS = [f.attname for f in ImmunizationRecord._meta.concrete_fields if f.attname not in ("id", "client_uuid")]


def I(dose, given_on, **extra) -> ImmunizationInput:  # noqa: E743 - reads like the form
    extra.setdefault("client_uuid", uuid.uuid4())
    return ImmunizationInput(dose=dose, given_on=given_on, **extra)


def single(user, items, now=NOW):
    scope = scope_for(user)
    answers = []
    for item in items:
        try:
            answers.append(("ok", immunization_record(actor=user, scope=scope, person=item.person, data=item.data,
                                                      now=now)))
        except DomainError as exc:
            answers.append(("error", exc))
    return answers


def batch(user, items, now=NOW):
    return [("ok", r.record) if r.error is None else ("error", r.error)
            for r in immunizations_record_batch(actor=user, scope=scope_for(user), items=items, now=now)]


def outcome(items, answers):
    return batch_kit.outcome(items, answers, model=ImmunizationRecord, columns=COLUMNS, audit_action="immunization.dose.recorded",
                             feed_kind="immunization")


def reference(user, items, now=NOW):
    return batch_kit.reference(single, outcome, user, items, now)


def test_it_stores_and_answers_exactly_what_single_calls_would(kader_miji, posyandu_miji, family_miji,
                                                               family_jepara):
    child = aisyah(family_miji)  # born 15 Jan 2024
    raka = add_child(kader_miji, posyandu_miji, "Raka", D(2023, 11, 1))
    give(kader_miji, raka, {"hb0": D(2023, 11, 1), "bcg": D(2023, 12, 1)})
    twin = add_child(kader_miji, posyandu_miji, "Kembar", D(2024, 1, 15))
    Person.objects.filter(pk=twin.pk).update(duplicate_of=child)
    twin.refresh_from_db()
    shared = uuid.uuid4()
    items = [ImmunizationItem(person, data) for person, data in [
        (child, I("hb0", D(2024, 1, 15), vaccine="Uniject HB", batch_number="  B-2301 ", given_by="Bidan Endang")),
        (child, I("bcg", D(2024, 2, 10), place="puskesmas")),
        (child, I("opv1", D(2024, 2, 10), client_uuid=None)),
        (child, I("opv2", D(2024, 3, 1))),  # 1 month after OPV 1 (10 Feb, in this batch): not before 10 Mar
        (child, I("dpt_hb_hib1", D(2024, 2, 25))),  # 6 weeks after 15 Jan is 26 Feb
        (child, I("dpt_hb_hib1", D(2024, 2, 26))),
        (child, I("dpt_hb_hib2", D(2024, 3, 20))),  # 1 month after 26 Feb: 26 Mar
        (child, I("bcg", D(2024, 3, 1))),  # given earlier in this batch, on 10 Feb
        (child, I("pcv2", D(2024, 3, 20))),  # PCV 1 first
        (child, I("xyz", D(2024, 3, 20))),
        (child, I("pcv1", None)),
        (child, I("pcv1", D(2024, 3, 21))),  # after "now"
        (child, I("pcv1", D(2024, 1, 14))),  # before birth
        (child, I("pcv1", D(2024, 3, 20), vaccine="x" * 121)),
        (child, I("pcv1", D(2024, 3, 20), place="moon")),
        (child, I("pcv1", D(2024, 3, 20), client_uuid="not-a-uuid")),
        (twin, I("hb0", D(2024, 1, 15))),  # linked to Aisyah's record
        (family_jepara.members.get(full_name="Aisyah Putri"), I("hb0", D(2024, 1, 15))),  # not hers
        (raka, I("bcg", D(2024, 3, 1))),  # stored before the batch, on 1 Dec 2023
        (raka, I("opv1", D(2023, 11, 1), client_uuid=shared)),
        (raka, I("opv1", D(2023, 11, 1), client_uuid=shared)),  # a double tap: the same record
        (child, I("rv1", D(2024, 3, 1), client_uuid=shared)),  # the id is taken: answered with Raka's dose
        (child, I("pcv1", D(2024, 3, 20))),
    ]]
    expected = reference(kader_miji, items)
    got_answers = batch(kader_miji, items)
    got = outcome(items, got_answers)
    for i, (mine, theirs) in enumerate(zip(got[0], expected[0], strict=True)):
        assert mine == theirs, i
    assert got == expected

    seen = got[0]
    assert [i for i, (kind, *_) in enumerate(seen) if kind == "ok"] == [0, 1, 2, 5, 19, 20, 21, 22]
    assert ImmunizationRecord.objects.filter(person=child).count() == 5
    # The dates in the refusals were worked out by hand from the schedule (see the comments above).
    assert date_format(D(2024, 3, 10), "j F Y") in seen[3][3]["given_on"][0]
    assert date_format(D(2024, 2, 26), "j F Y") in seen[4][3]["given_on"][0]
    assert date_format(D(2024, 2, 10), "j F Y") in seen[7][3]["dose"][0]
    assert date_format(D(2023, 12, 1), "j F Y") in seen[18][3]["dose"][0]
    assert seen[17][1] == "NotInScope"
    assert (seen[0][1]["batch_number"], seen[0][1]["vaccine"]) == ("B-2301", "Uniject HB")
    assert seen[20][1]["record"] == seen[21][1]["record"] == "replay of item 19"


def test_a_replayed_batch_changes_nothing_and_answers_the_stored_records(kader_miji, family_miji):
    child = aisyah(family_miji)
    [before] = give(kader_miji, child, {"hb0": D(2024, 1, 15)})
    items = [ImmunizationItem(child, I("hb0", D(2024, 1, 15), client_uuid=before.client_uuid)),
             ImmunizationItem(child, I("bcg", D(2024, 2, 10))),
             ImmunizationItem(child, I("opv1", D(2024, 2, 10)))]
    first = immunizations_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    assert [r.replayed for r in first] == [True, False, False] and first[0].record.pk == before.pk
    counts = (ImmunizationRecord.objects.count(), AuditEntry.objects.count(), SyncChange.objects.count())
    again = immunizations_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    assert [r.replayed for r in again] == [True, True, True]
    assert [r.record.pk for r in again] == [r.record.pk for r in first]
    assert (ImmunizationRecord.objects.count(), AuditEntry.objects.count(), SyncChange.objects.count()) == counts


def test_a_kader_of_another_region_is_refused_and_nothing_is_stored(kader_jepara, kader_miji, family_miji,
                                                                    family_jepara):
    child = aisyah(family_miji)
    items = [ImmunizationItem(child, I("hb0", D(2024, 1, 15))), ImmunizationItem(child, I("bcg", D(2024, 2, 10)))]
    results = immunizations_record_batch(actor=kader_jepara, scope=scope_for(kader_jepara), items=items, now=NOW)
    assert all(isinstance(r.error, NotInScope) and r.record is None for r in results)
    assert ImmunizationRecord.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="immunization.").exists()
    # A Miji record's id sent by her is "already in use", whatever child she names.
    stored = immunizations_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    theirs = immunizations_record_batch(actor=kader_jepara, scope=scope_for(kader_jepara), now=NOW, items=[
        ImmunizationItem(aisyah(family_jepara), I("hb0", D(2024, 1, 15), client_uuid=stored[0].record.client_uuid))])
    assert theirs[0].record is None and list(theirs[0].error.field_errors) == ["client_uuid"]


def test_a_posyandu_day_moves_the_counters_without_a_refresh_and_equals_a_rebuild(
        bidan_kranggan, kader_miji, kader_meri, posyandu_miji, posyandu_meri, monkeypatch,
        django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        babies = [add_child(kader_miji, posyandu_miji, f"Bayi Miji {n}", today - dt.timedelta(days=3 + n))
                  for n in range(2)]
        babies.append(add_child(kader_meri, posyandu_meri, "Bayi Meri", today - dt.timedelta(days=5)))
    calls = []
    real = counters.refresh

    def spy(posyandu_ids, year, **kwargs):
        calls.append((frozenset(posyandu_ids), year))
        return real(posyandu_ids, year, **kwargs)

    monkeypatch.setattr(counters, "refresh", spy)
    items = [ImmunizationItem(baby, ImmunizationInput(dose=dose, given_on=today))
             for baby in babies for dose in ("bcg", "opv1")]
    with django_capture_on_commit_callbacks(execute=True):
        results = immunizations_record_batch(actor=bidan_kranggan, scope=scope_for(bidan_kranggan), items=items)
    assert all(r.error is None for r in results) and ImmunizationRecord.objects.count() == 6
    # No posyandu-year is judged again: the counters moved by the difference the batch made to its
    # children, in its own transaction (simpul/spm/incremental.py).
    assert calls == []

    def snapshot():
        return (sorted(Counter.objects.values_list("posyandu_id", "indicator", "year", "month", "denominator",
                                                   "numerator", "pending")),
                sorted(RegionCounter.objects.exclude(denominator=0, numerator=0, pending=0).values_list(
                    "region_code", "indicator", "year", "month", "denominator", "numerator", "pending")))

    incremental = snapshot()
    balita = Counter.objects.get(posyandu=posyandu_miji, indicator="kes.balita", year=today.year, month=today.month)
    assert balita.denominator == 2  # the two babies of Miji (registered today, counted this month)
    counters.rebuild("3576", today.year, today=today)
    assert snapshot() == incremental
