"""The listener: tasks open from the engine's unserved verdicts, follow them, and close when served or gone."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from simpul.registry.models import Person
from simpul.spm import catalogue
from simpul.spm.counters import LISTENERS, refresh
from simpul.spm.engine import Missing
from simpul.tasks.models import Task
from simpul.tasks.services import facts_of, kader_indicators, tasks_sync
from simpul.tasks.tests.kit import TODAY, family_with_tasks, make_task, open_tasks, screen, served, unserved

pytestmark = pytest.mark.django_db


def test_the_listener_is_registered_with_the_counters():
    assert tasks_sync in LISTENERS
    assert LISTENERS.count(tasks_sync) == 1


def test_it_opens_a_screening_task_for_each_unscreened_adult(kader_miji, posyandu_miji,
                                                             django_capture_on_commit_callbacks):
    family = family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    # Budi (b. 1985, 41) and Siti (b. 1988, 38) are 15–59 and not screened; Aisyah (b. 2024) is not 15.
    tasks = open_tasks(indicator="kes.usia_produktif")
    assert sorted(t.person.full_name for t in tasks) == ["Budi Santoso", "Siti Aminah"]
    task = tasks.get(person__full_name="Budi Santoso")
    # The engine's Missing list, stored as codes and values; the sentence is made when read.
    assert task.reasons == [{"code": "screening", "detail": {"year": 2026}, "due_on": "2026-12-31"}]
    assert task.due_on == dt.date(2026, 12, 31)
    assert (task.posyandu_id, task.desa_id, task.field, task.year) == (posyandu_miji.pk, "3576031002",
                                                                       "kesehatan", 2026)
    assert task.subject_kind == "person" and task.household_id is None
    assert not open_tasks(indicator="kes.usia_produktif", person__in=family.members.filter(
        full_name="Aisyah Putri")).exists()


def test_a_recorded_screening_closes_the_task_by_itself(kader_miji, posyandu_miji,
                                                        django_capture_on_commit_callbacks):
    family = family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    siti = family.members.get(full_name="Siti Aminah")
    task = open_tasks(indicator="kes.usia_produktif", person=siti).get()
    screen(kader_miji, siti, django_capture_on_commit_callbacks)
    task.refresh_from_db()
    assert (task.status, task.closed_because) == ("done", "served")
    assert task.closed_at is not None
    # Budi is still not screened: his task stays open, and no new task appears for Siti.
    assert [t.person.full_name for t in open_tasks(indicator="kes.usia_produktif")] == ["Budi Santoso"]


def test_referral_based_and_external_indicators_never_become_tasks(kader_miji, posyandu_miji,
                                                                   django_capture_on_commit_callbacks):
    family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    codes = set(kader_indicators())
    for indicator in catalogue.INDICATORS:
        if indicator.source == catalogue.EXTERNAL or indicator.rule in {"referral_resolved", "house_restored"}:
            assert indicator.code not in codes
    assert "kes.usia_produktif" in codes
    assert not Task.objects.filter(indicator__startswith="sos.").exists()
    assert not Task.objects.filter(indicator__startswith="pkp.").exists()
    assert not Task.objects.filter(indicator__startswith="trb.").exists()


def test_a_second_refresh_keeps_the_same_single_open_task(kader_miji, posyandu_miji,
                                                          django_capture_on_commit_callbacks):
    family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    before = sorted(open_tasks().values_list("pk", "indicator", "person_id", "household_id"))
    refresh([posyandu_miji.pk], TODAY.year, today=TODAY)
    assert sorted(open_tasks().values_list("pk", "indicator", "person_id", "household_id")) == before


def test_a_task_dismissed_for_the_same_facts_is_not_opened_again(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    make_task(budi, status="dismissed", dismiss_reason="refused")  # facts: ["screening"]
    need = Missing("screening", {"year": 2026}, "2026-12-31")
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.usia_produktif", budi, posyandu_miji.pk, need)], TODAY)
    assert not open_tasks(person=budi).exists()


def test_a_new_fact_opens_a_task_again_after_a_dismissal(kader_miji, posyandu_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    dpt = Missing("dose", {"dose": "dpt_hb_hib1"}, "2024-03-15")
    mr = Missing("dose", {"dose": "mr1"}, "2024-10-15")
    task = make_task(aisyah, "kes.balita", status="dismissed", dismiss_reason="refused",
                     reasons=[{"code": "dose", "detail": {"dose": "dpt_hb_hib1"}, "due_on": "2024-03-15"}])
    task.facts = facts_of([dpt])
    task.save()
    # The same dose still missing: stays dismissed.
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.balita", aisyah, posyandu_miji.pk, dpt)], TODAY)
    assert not open_tasks(person=aisyah).exists()
    # Measles-rubella 1 is a new fact: a new task, with both reasons, due at the earlier date.
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.balita", aisyah, posyandu_miji.pk, dpt, mr)], TODAY)
    reopened = open_tasks(person=aisyah).get()
    assert [r["detail"]["dose"] for r in reopened.reasons] == ["dpt_hb_hib1", "mr1"]
    assert reopened.due_on == dt.date(2024, 3, 15)


def test_a_dose_missed_for_good_alone_is_not_a_task(kader_miji, posyandu_miji, family_miji):
    aisyah = family_miji.members.get(full_name="Aisyah Putri")
    missed = Missing("dose_missed", {"dose": "hb0"})
    weighing = Missing("weighings", {"have": 0, "need": 1}, "2026-11-30")
    # With a weighing still owed, the task opens and shows the missed dose beside it.
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.balita", aisyah, posyandu_miji.pk, weighing, missed)], TODAY)
    task = open_tasks(person=aisyah).get()
    assert [r["code"] for r in task.reasons] == ["weighings", "dose_missed"]
    # Weighed: only the missed HB0 is left, which no kader can give any more — the task closes.
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.balita", aisyah, posyandu_miji.pk, missed)], TODAY)
    task.refresh_from_db()
    assert (task.status, task.closed_because) == ("done", "no_action")
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.balita", aisyah, posyandu_miji.pk, missed)], TODAY)
    assert not open_tasks(person=aisyah).exists()


def test_facts_are_codes_with_their_text_values_and_ignore_progress():
    assert facts_of([Missing("weighings", {"have": 3, "need": 8}, "2026-11-30")]) == ["weighings"]
    assert facts_of([Missing("weighings", {"have": 5, "need": 8})]) == ["weighings"]
    assert facts_of([Missing("dose", {"dose": "bcg", "due_on": "2024-01-15"})]) == ["dose:dose=bcg"]
    assert facts_of([Missing("vitamin_a", {"month": "Agustus"}), Missing("dose", {"dose": "mr1"})]) == [
        "dose:dose=mr1", "vitamin_a:month=Agustus"]
    assert facts_of([], pending=True) == ["pending"]


def test_open_task_updates_its_reasons_and_due_date(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    task = make_task(budi)
    later = Missing("screening", {"year": 2026}, "2026-12-15")
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.usia_produktif", budi, posyandu_miji.pk, later)], TODAY)
    task.refresh_from_db()
    assert (task.status, task.due_on) == ("open", dt.date(2026, 12, 15))
    assert task.reasons[0]["due_on"] == "2026-12-15"


def test_a_served_verdict_closes_as_served_and_a_missing_one_as_left(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    siti = family_miji.members.get(full_name="Siti Aminah")
    budi_task, siti_task = make_task(budi), make_task(siti)
    # Budi served; Siti has no verdict at all (out of the sasaran) while the indicator was judged.
    tasks_sync({posyandu_miji.pk}, 2026, [served("kes.usia_produktif", budi, posyandu_miji.pk)], TODAY)
    budi_task.refresh_from_db()
    siti_task.refresh_from_db()
    assert (budi_task.status, budi_task.closed_because) == ("done", "served")
    assert (siti_task.status, siti_task.closed_because) == ("done", "left")


def test_tasks_of_an_indicator_not_judged_close_only_when_the_subject_left(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    task = make_task(budi)
    # A refresh of other indicators (say, a weighing refreshed kes.balita only) says nothing about screening.
    tasks_sync({posyandu_miji.pk}, 2026, [], TODAY)
    task.refresh_from_db()
    assert task.status == "open"
    # Once Budi is recorded as deceased, the same refresh closes his task: he left every sasaran.
    Person.objects.filter(pk=budi.pk).update(life_status="deceased", life_status_date=TODAY)
    tasks_sync({posyandu_miji.pk}, 2026, [], TODAY)
    task.refresh_from_db()
    assert (task.status, task.closed_because) == ("done", "left")


def test_a_task_follows_its_subject_to_another_posyandu(kader_miji, posyandu_miji, posyandu_meri, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    task = make_task(budi)
    need = Missing("screening", {"year": 2026}, "2026-12-31")
    # Meri's refresh runs first: Budi now belongs there; the open task moves rather than a second one opening.
    tasks_sync({posyandu_meri.pk}, 2026, [unserved("kes.usia_produktif", budi, posyandu_meri.pk, need)], TODAY)
    task.refresh_from_db()
    assert (task.status, task.posyandu_id, task.desa_id) == ("open", posyandu_meri.pk, "3576031003")
    assert open_tasks(person=budi).count() == 1


def test_last_years_open_task_ends_with_the_year(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    old = make_task(budi, year=2025, due_on=dt.date(2025, 12, 31))
    need = Missing("screening", {"year": 2026}, "2026-12-31")
    tasks_sync({posyandu_miji.pk}, 2026, [unserved("kes.usia_produktif", budi, posyandu_miji.pk, need)], TODAY)
    old.refresh_from_db()
    assert (old.status, old.closed_because) == ("done", "year_ended")
    assert open_tasks(person=budi).get().year == 2026


def test_a_recompute_of_a_past_year_changes_no_task(kader_miji, posyandu_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    task = make_task(budi)
    tasks_sync({posyandu_miji.pk}, 2025, [served("kes.usia_produktif", budi, posyandu_miji.pk, month=12)], TODAY)
    task.refresh_from_db()
    assert task.status == "open"
    assert Task.objects.count() == 1


def test_writes_in_jepara_leave_mojokerto_tasks_alone(kader_miji, posyandu_miji, kader_jepara, posyandu_jepara,
                                                      django_capture_on_commit_callbacks):
    family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)
    jepara = family_with_tasks(kader_jepara, posyandu_jepara, django_capture_on_commit_callbacks,
                               head="Slamet Riyadi")
    screen(kader_jepara, jepara.members.get(full_name="Slamet Riyadi"), django_capture_on_commit_callbacks)
    assert open_tasks(indicator="kes.usia_produktif", posyandu=posyandu_miji).count() == 2
    assert open_tasks(indicator="kes.usia_produktif", posyandu=posyandu_jepara).count() == 1  # Siti of Jepara


def test_the_refresh_command_fills_tasks_after_a_bulk_load(kader_miji, posyandu_miji, family_miji):
    # family_miji was registered without running the on-commit refresh, as a bulk load would be.
    assert not Task.objects.exists()
    call_command("tasks_refresh", region="35.76.03", stdout=io.StringIO())
    assert sorted(open_tasks(indicator="kes.usia_produktif").values_list("person__full_name", flat=True)) == [
        "Budi Santoso", "Siti Aminah"]
