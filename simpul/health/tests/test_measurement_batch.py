"""measurements_record_batch: what N calls of measurement_record would store and answer, written at once.

The single service is the independent reference: every case runs once through ``measurement_record``
(item by item, in a savepoint rolled back afterwards) and once through the batch, and every stored
column, error, audit entry and change-feed row must be the same.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import person_input, register_family
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.core.testing import batch as batch_kit
from simpul.health.batch import MeasurementItem, measurements_record_batch
from simpul.health.models import Measurement
from simpul.health.services import MeasurementInput, measurement_record
from simpul.health.tests.kit import add_child, at
from simpul.spm import counters
from simpul.spm.models import Counter, RegionCounter
from simpul.sync.models import SyncChange

pytestmark = pytest.mark.django_db

D = dt.date
DAY = D(2025, 1, 14)
NOW = at(DAY)
COLUMNS = [f.attname for f in Measurement._meta.concrete_fields if f.attname not in ("id", "client_uuid")]


def M(day=DAY, **values) -> MeasurementInput:
    values.setdefault("client_uuid", uuid.uuid4())
    return MeasurementInput(measured_on=day, **values)


def single(user, items, now=NOW):
    """Each item through measurement_record, in order: ("ok", record) or ("error", exception)."""
    scope = scope_for(user)
    answers = []
    for item in items:
        try:
            answers.append(("ok", measurement_record(actor=user, scope=scope, person=item.person, data=item.data,
                                                     now=now)))
        except DomainError as exc:
            answers.append(("error", exc))
    return answers


def batch(user, items, now=NOW):
    return [("ok", r.record) if r.error is None else ("error", r.error)
            for r in measurements_record_batch(actor=user, scope=scope_for(user), items=items, now=now)]


def outcome(items, answers):
    return batch_kit.outcome(items, answers, model=Measurement, columns=COLUMNS, audit_action="health.measurement.recorded",
                             feed_kind="measurement")


def reference(user, items, now=NOW):
    return batch_kit.reference(single, outcome, user, items, now)


@pytest.fixture
def children(kader_miji, posyandu_miji, family_miji):
    """Residents of every age band the growth engine treats differently."""
    people = {name: add_child(kader_miji, posyandu_miji, name, birth, sex=sex) for name, birth, sex in [
        ("Bayi Baru", D(2024, 12, 20), "M"),  # 25 days
        ("Raka", D(2023, 6, 1), "M"),  # 593 days: lying length
        ("Nadia", D(2021, 8, 30), "F"),  # 3 years: standing height
        ("Bima", D(2017, 3, 3), "M"),  # 7 years: WHO 2007 reference
        ("Laras", D(2008, 2, 1), "F"),  # 16 years: 2007 reference, growth limits apply
    ]}
    people["Aisyah"] = family_miji.members.get(full_name="Aisyah Putri")  # 365 days on DAY
    people["Budi"] = family_miji.members.get(full_name="Budi Santoso")  # adult
    return people


def test_it_stores_and_answers_exactly_what_single_calls_would(kader_miji, children, kader_jepara):
    c = children
    shared = uuid.uuid4()
    items = [MeasurementItem(person, data) for person, data in [
        (c["Aisyah"], M(weight_kg=8.9, length_height_cm=74.0, position="recumbent", head_circumference_cm=44.9,
                        muac_cm=14.0)),
        (c["Bayi Baru"], M(weight_kg="3.4567", length_height_cm="50.04", position="recumbent")),  # rounded on store
        (c["Raka"], M(weight_kg=10.2, length_height_cm=80.3, position="standing")),  # +0.7 cm for the look-up
        (c["Raka"], M(weight_kg=25)),  # implausible: kept with a flag
        (c["Nadia"], M(weight_kg=8.0, length_height_cm=88.0, oedema=True, muac_cm=12.1)),  # weight z null
        (c["Nadia"], M(weight_kg=13.0, length_height_cm=94.0, position="recumbent")),  # −0.7 cm
        (c["Nadia"], M(muac_cm=11.0)),  # arm only: severely low acfa
        (c["Bima"], M(weight_kg=21.0, length_height_cm=121.0, position="standing")),
        (c["Laras"], M(weight_kg=52.0, length_height_cm=158.0)),
        (c["Budi"], M(weight_kg=70, length_height_cm=170, position="standing")),  # BMI only
        (c["Budi"], M(weight_kg=260, length_height_cm=170)),  # an adult of 260 kg: no growth limits
        (c["Aisyah"], M(weight_kg=8.4, client_uuid=None)),  # no client id
        # refused, each with the single path's message
        (c["Aisyah"], M(weight_kg=90)),
        (c["Aisyah"], M(weight_kg="abc")),
        (c["Aisyah"], M(weight_kg=0)),
        (c["Aisyah"], M()),
        (c["Aisyah"], M(day=D(2023, 12, 31), weight_kg=8)),  # before birth
        (c["Aisyah"], M(day=D(2025, 1, 16), weight_kg=8)),  # after "now" everywhere in Indonesia
        (c["Aisyah"], M(day=None, weight_kg=8)),
        (c["Aisyah"], M(weight_kg=8, length_height_cm=70, position="upside_down")),
        (c["Budi"], M(weight_kg=70, length_height_cm=300)),
        (c["Laras"], M(weight_kg=260)),  # within FROM_5, beyond what the growth engine accepts
        (c["Aisyah"], M(weight_kg=8, client_uuid="not-a-uuid")),
        # one client id twice for one child (a double tap): one record; then for another child: refused
        (c["Bima"], M(weight_kg=21.5, client_uuid=shared)),
        (c["Bima"], M(weight_kg=21.5, client_uuid=shared)),
        (c["Nadia"], M(weight_kg=13.1, client_uuid=shared)),
    ]]
    expected = reference(kader_miji, items)
    got_answers = batch(kader_miji, items)
    got = outcome(items, got_answers)
    for i, (mine, theirs) in enumerate(zip(got[0], expected[0], strict=True)):
        assert mine == theirs, i
    assert got == expected

    seen = got[0]
    assert [kind for kind, *_ in seen].count("ok") == 14 and Measurement.objects.count() == 13
    # Anchors worked out by hand (WHO tables): a girl of 12 months at the median weight 8.9 kg → z ≈ 0, normal;
    # 70 kg at 1.70 m → BMI 70 / 1.7² = 24.22; 25 kg at 19 months is beyond +5 SD weight-for-age → flagged.
    aisyah, budi, heavy = seen[0][1], seen[9][1], seen[3][1]
    assert abs(aisyah["z_wfa"]) < 0.05 and aisyah["class_wfa"] == "normal"
    assert budi["bmi"] == 24.22 and budi["z_wfa"] is None and budi["class_wfa"] == ""
    assert heavy["flags"] == ["implausible_wfa"] and heavy["z_wfa"] > 5
    assert (seen[1][1]["weight_kg"], seen[1][1]["length_height_cm"]) == (Decimal("3.457"), Decimal("50.0"))
    assert seen[4][1]["z_wfa"] is None and seen[4][1]["z_lhfa"] is not None  # oedema
    # the refusals keep the single path's Bahasa messages per field
    assert seen[12][:2] == ("error", "DomainError") and list(seen[12][3]) == ["weight_kg"]
    assert list(seen[21][3]) == ["weight_kg"]  # the growth engine's own limit
    assert list(seen[25][3]) == ["client_uuid"]
    assert seen[24][1]["record"] == "replay of item 23"
    assert got_answers[23][1] is got_answers[24][1]


def test_a_replayed_batch_changes_nothing_and_answers_the_stored_records(kader_miji, children):
    c = children
    before = measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=c["Raka"],
                                data=M(weight_kg=10.0), now=NOW)
    items = [MeasurementItem(c["Raka"], M(weight_kg=10.0, client_uuid=before.client_uuid)),
             MeasurementItem(c["Nadia"], M(weight_kg=13.0)),
             MeasurementItem(c["Bima"], M(weight_kg=21.0))]
    first = measurements_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    assert [r.replayed for r in first] == [True, False, False]
    assert first[0].record.pk == before.pk
    counts = (Measurement.objects.count(), AuditEntry.objects.count(), SyncChange.objects.count())
    again = measurements_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    assert [r.replayed for r in again] == [True, True, True]
    assert [r.record.pk for r in again] == [r.record.pk for r in first]
    assert (Measurement.objects.count(), AuditEntry.objects.count(), SyncChange.objects.count()) == counts


def test_a_kader_of_another_region_is_refused_and_nothing_is_stored(kader_jepara, kader_miji, children,
                                                                    family_jepara):
    c = children
    items = [MeasurementItem(c["Raka"], M(weight_kg=10.0)), MeasurementItem(c["Nadia"], M(weight_kg=13.0))]
    results = measurements_record_batch(actor=kader_jepara, scope=scope_for(kader_jepara), items=items, now=NOW)
    assert all(isinstance(r.error, NotInScope) and r.record is None for r in results)
    assert Measurement.objects.count() == 0 and not AuditEntry.objects.filter(action__startswith="health.").exists()
    # Nor may she replay a Miji record's id to learn it: the stored id is "already in use" to her.
    stored = measurements_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    slamet = family_jepara.members.get(full_name="Slamet Riyadi")
    theirs = measurements_record_batch(actor=kader_jepara, scope=scope_for(kader_jepara), now=NOW, items=[
        MeasurementItem(slamet, M(weight_kg=60, client_uuid=stored[0].record.client_uuid))])
    assert theirs[0].record is None and list(theirs[0].error.field_errors) == ["client_uuid"]


def test_a_bad_item_in_a_mixed_batch_does_not_block_the_good_ones(kader_miji, children, family_jepara):
    jepara_child = family_jepara.members.get(full_name="Aisyah Putri")
    items = [MeasurementItem(children["Raka"], M(weight_kg=10.0)),
             MeasurementItem(jepara_child, M(weight_kg=8.0)),  # not hers
             MeasurementItem(children["Nadia"], M(weight_kg=130.0)),  # impossible
             MeasurementItem(children["Bima"], M(weight_kg=21.0))]
    results = measurements_record_batch(actor=kader_miji, scope=scope_for(kader_miji), items=items, now=NOW)
    assert [r.error is None for r in results] == [True, False, False, True]
    assert isinstance(results[1].error, NotInScope)
    assert sorted(Measurement.objects.values_list("person__full_name", flat=True)) == ["Bima", "Raka"]
    assert AuditEntry.objects.filter(action="health.measurement.recorded").count() == 2


def test_a_posyandu_day_moves_the_counters_without_a_refresh_and_equals_a_rebuild(
        bidan_kranggan, kader_miji, kader_meri, posyandu_miji, posyandu_meri, monkeypatch, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        miji = [add_child(kader_miji, posyandu_miji, f"Anak Miji {n}", today - dt.timedelta(days=200 + 90 * n))
                for n in range(3)]
        household = register_family(kader_meri, posyandu_meri, head="Ibu Meri", members=[
            person_input("Ibu Meri", "F", D(1994, 1, 1), "kepala"),
            person_input("Anak Meri", "M", today - dt.timedelta(days=400), "anak", mother_name="Ibu Meri")])
    meri = household.members.get(full_name="Anak Meri")
    calls = []
    real = counters.refresh

    def spy(posyandu_ids, year, **kwargs):
        calls.append((frozenset(posyandu_ids), year))
        return real(posyandu_ids, year, **kwargs)

    monkeypatch.setattr(counters, "refresh", spy)
    items = [MeasurementItem(child, MeasurementInput(measured_on=today, weight_kg=9.0, length_height_cm=75.0))
             for child in [*miji, meri]]
    with django_capture_on_commit_callbacks(execute=True):
        results = measurements_record_batch(actor=bidan_kranggan, scope=scope_for(bidan_kranggan), items=items)
    assert all(r.error is None for r in results)
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
    # Three under-fives live in Miji (registered today, so counted this month); none is served yet.
    assert (balita.denominator, balita.numerator) == (3, 0)
    counters.rebuild("3576", today.year, today=today)
    assert snapshot() == incremental
