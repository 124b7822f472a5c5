"""Dismissing a task with a reason: refused keeps the person counted, moved and deceased correct the registry."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import make_user
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.registry.models import Person
from simpul.spm.counters import refresh
from simpul.spm.models import Counter
from simpul.tasks.models import Task
from simpul.tasks.services import task_dismiss
from simpul.tasks.tests.kit import TODAY, family_with_tasks, make_task, open_tasks

pytestmark = pytest.mark.django_db


def productive_age(posyandu) -> tuple[int, int]:
    row = Counter.objects.get(posyandu=posyandu, indicator="kes.usia_produktif", year=2026, month=11)
    return row.denominator, row.numerator


def dismiss(user, task, reason, **kwargs):
    return task_dismiss(actor=user, scope=scope_for(user), task=task, reason=reason, **kwargs)


@pytest.fixture
def family(kader_miji, posyandu_miji, django_capture_on_commit_callbacks):
    return family_with_tasks(kader_miji, posyandu_miji, django_capture_on_commit_callbacks)


def task_of(family, name, indicator="kes.usia_produktif"):
    return open_tasks(indicator=indicator, person=family.members.get(full_name=name)).get()


def test_refused_closes_the_task_and_keeps_the_person_in_the_denominator(
        kader_miji, posyandu_miji, family, django_capture_on_commit_callbacks):
    task = task_of(family, "Budi Santoso")
    with django_capture_on_commit_callbacks(execute=True):
        dismiss(kader_miji, task, "refused", note="  Tidak mau   diperiksa ")
    task.refresh_from_db()
    assert (task.status, task.dismiss_reason, task.dismiss_note) == ("dismissed", "refused", "Tidak mau diperiksa")
    assert task.dismissed_by == kader_miji and task.closed_at is not None
    entry = AuditEntry.objects.get(action="tasks.task.dismissed", object_id=str(task.pk))
    assert entry.actor == kader_miji and entry.region_code == "3576031002"
    assert entry.changes["reason"] == "refused" and entry.changes["status"] == ["open", "dismissed"]
    assert Person.objects.get(pk=task.person_id).life_status == "alive"
    refresh([posyandu_miji.pk], 2026, today=TODAY)
    # Budi and Siti, both 15–59, neither screened: 2 in the denominator, 0 served — the refusal still counts.
    assert productive_age(posyandu_miji) == (2, 0)
    # And the next refresh does not bring Budi's task back (same facts, same year).
    assert not open_tasks(indicator="kes.usia_produktif", person_id=task.person_id).exists()


def test_moved_records_the_move_and_leaves_the_denominator_on_the_next_refresh(
        kader_miji, posyandu_miji, family, django_capture_on_commit_callbacks):
    assert productive_age(posyandu_miji) == (2, 0)
    task = task_of(family, "Budi Santoso")
    with django_capture_on_commit_callbacks(execute=True):
        dismiss(kader_miji, task, "moved", on=dt.date(2026, 11, 10))
    budi = Person.objects.get(pk=task.person_id)
    assert (budi.life_status, budi.life_status_date) == ("moved", dt.date(2026, 11, 10))
    assert AuditEntry.objects.filter(action="registry.person.updated", object_id=str(budi.pk)).exists()
    assert AuditEntry.objects.get(action="tasks.task.dismissed").changes["on"] == "2026-11-10"
    # As of 23 Nov only Siti (38) is a 15–59 resident: 2 − 1 = 1 in the denominator.
    assert productive_age(posyandu_miji) == (1, 0)
    task.refresh_from_db()
    assert task.status == "dismissed"


def test_deceased_records_the_death_and_closes_the_persons_other_tasks(
        kader_miji, posyandu_miji, family, django_capture_on_commit_callbacks):
    siti_task = task_of(family, "Siti Aminah")
    other = make_task(siti_task.person, "kes.usia_lanjut", due_on=None)  # a stale task of another indicator
    with django_capture_on_commit_callbacks(execute=True):
        dismiss(kader_miji, siti_task, "deceased", on=dt.date(2026, 11, 1))
    siti = Person.objects.get(pk=siti_task.person_id)
    assert (siti.life_status, siti.life_status_date) == ("deceased", dt.date(2026, 11, 1))
    assert productive_age(posyandu_miji) == (1, 0)  # Budi only
    other.refresh_from_db()
    assert (other.status, other.closed_because) == ("done", "left")
    assert open_tasks(indicator="kes.usia_produktif", person__full_name="Budi Santoso").exists()


def test_a_registry_refusal_leaves_the_task_open_and_writes_nothing(kader_miji, family):
    task = task_of(family, "Budi Santoso")
    with pytest.raises(DomainError) as caught:
        dismiss(kader_miji, task, "deceased", on=dt.date(1980, 1, 1))  # before Budi's birth (1985)
    assert "on" in caught.value.field_errors
    task.refresh_from_db()
    assert task.status == "open"
    assert Person.objects.get(pk=task.person_id).life_status == "alive"
    assert not AuditEntry.objects.filter(action="tasks.task.dismissed").exists()


@pytest.mark.parametrize(("reason", "extra", "field"), [
    ("bored", {}, "reason"),
    ("other", {}, "note"),
    ("other", {"note": "x" * 256}, "note"),
    ("moved", {"on": TODAY + dt.timedelta(days=1)}, "on"),
])
def test_bad_input_is_refused_field_by_field(kader_miji, family, reason, extra, field):
    task = task_of(family, "Budi Santoso")
    with pytest.raises(DomainError) as caught:
        dismiss(kader_miji, task, reason, **extra)
    assert field in caught.value.field_errors
    task.refresh_from_db()
    assert task.status == "open"


def test_a_household_task_cannot_be_dismissed_as_moved(kader_miji, family_miji):
    task = make_task(family_miji, "pu.air_minum", due_on=None,
                     reasons=[{"code": "survey", "detail": {}, "due_on": None}])
    with pytest.raises(DomainError) as caught:
        dismiss(kader_miji, task, "moved")
    assert "reason" in caught.value.field_errors
    dismiss(kader_miji, task, "not_found")
    task.refresh_from_db()
    assert (task.status, task.dismiss_reason) == ("dismissed", "not_found")


def test_a_closed_task_cannot_be_dismissed_again(kader_miji, family):
    task = task_of(family, "Budi Santoso")
    dismiss(kader_miji, task, "refused")
    with pytest.raises(DomainError) as caught:
        dismiss(kader_miji, task, "other", note="lagi")
    assert caught.value.code == "conflict"
    assert AuditEntry.objects.filter(action="tasks.task.dismissed").count() == 1


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                     "bidan_kranggan", "pembina_mojokerto", "opd_dinsos"])
def test_only_the_kader_of_the_place_and_field_may_dismiss(request, family, persona):
    task = task_of(family, "Budi Santoso")
    with pytest.raises(NotInScope):
        dismiss(request.getfixturevalue(persona), task, "refused")
    task.refresh_from_db()
    assert task.status == "open"


def test_a_kader_of_another_field_may_not_dismiss_a_health_task(posyandu_miji, family):
    teacher = make_user("kader.guru", "kader", posyandu=posyandu_miji, fields=["pendidikan"])
    task = task_of(family, "Budi Santoso")
    with pytest.raises(NotInScope):
        dismiss(teacher, task, "refused")
    assert Task.objects.get(pk=task.pk).status == "open"
