import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.serviceday.models import ServiceDay
from simpul.serviceday.services import day_cancel, day_open, day_schedule
from simpul.serviceday.tests.kit import DAY, at

pytestmark = pytest.mark.django_db
BEFORE = at(DAY - dt.timedelta(days=3))


def test_it_schedules_a_day_with_an_audit_entry(kader_miji, posyandu_miji):
    day = day_schedule(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji, held_on=DAY,
                       place="Balai RW 04", now=BEFORE)
    assert (day.status, day.desa_id, day.place) == ("scheduled", posyandu_miji.desa_id, "Balai RW 04")
    assert AuditEntry.objects.filter(action="serviceday.day.scheduled", object_id=str(day.pk)).exists()


def test_the_pengurus_and_the_lurah_may_schedule_but_not_open(lurah_miji, posyandu_miji):
    day = day_schedule(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji, held_on=DAY,
                       now=BEFORE)
    with pytest.raises(NotInScope):
        day_open(actor=lurah_miji, scope=scope_for(lurah_miji), day=day, now=at(DAY))


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "camat_kranggan", "opd_dinsos"])
def test_others_cannot_schedule(request, persona, posyandu_miji):
    user = request.getfixturevalue(persona)
    with pytest.raises(NotInScope):
        day_schedule(actor=user, scope=scope_for(user), posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    assert not ServiceDay.objects.exists()


def test_a_second_day_on_the_same_date_is_refused_and_a_retry_returns_the_first(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    first = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE,
                         client_uuid="9a0c1d4e-1111-4a4a-8b8b-000000000001")
    again = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE,
                         client_uuid="9a0c1d4e-1111-4a4a-8b8b-000000000001")
    assert again.pk == first.pk
    with pytest.raises(DomainError) as exc:
        day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    assert "held_on" in exc.value.field_errors
    assert ServiceDay.objects.count() == 1


@pytest.mark.parametrize("held_on", [DAY - dt.timedelta(days=4), DAY + dt.timedelta(days=400), None])
def test_dates_in_the_past_too_far_ahead_or_missing_are_refused(kader_miji, posyandu_miji, held_on):
    with pytest.raises(DomainError) as exc:
        day_schedule(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji, held_on=held_on,
                     now=BEFORE)
    assert list(exc.value.field_errors) == ["held_on"]
    assert not ServiceDay.objects.exists()


def test_a_day_opens_on_its_date_not_before_and_not_months_later(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    day = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    with pytest.raises(DomainError):
        day_open(actor=kader_miji, scope=scope, day=day, now=at(DAY - dt.timedelta(days=1)))
    with pytest.raises(DomainError):
        day_open(actor=kader_miji, scope=scope, day=day, now=at(DAY + dt.timedelta(days=40)))
    opened = day_open(actor=kader_miji, scope=scope, day=day, now=at(DAY))
    assert opened.status == "open" and opened.opened_by == kader_miji
    assert day_open(actor=kader_miji, scope=scope, day=day, now=at(DAY)).status == "open"  # second tap


def test_cancel_needs_a_reason_and_frees_the_date(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    day = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    with pytest.raises(DomainError) as exc:
        day_cancel(actor=kader_miji, scope=scope, day=day, reason="  ")
    assert "reason" in exc.value.field_errors
    day_cancel(actor=kader_miji, scope=scope, day=day, reason="Banjir")
    day.refresh_from_db()
    assert (day.status, day.cancel_reason) == ("cancelled", "Banjir")
    again = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    assert again.pk != day.pk


def test_an_open_day_cannot_be_cancelled(kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    day = day_schedule(actor=kader_miji, scope=scope, posyandu=posyandu_miji, held_on=DAY, now=BEFORE)
    day_open(actor=kader_miji, scope=scope, day=day, now=at(DAY))
    with pytest.raises(DomainError):
        day_cancel(actor=kader_miji, scope=scope, day=day, reason="Hujan")
    day.refresh_from_db()
    assert day.status == "open"


def test_late_in_the_evening_in_jakarta_today_is_not_yet_in_the_past(kader_miji, posyandu_miji):
    # 23:30 WIB on DAY is already 01:30 the next day in Jayapura (WIT); DAY has not ended in Jakarta.
    late = dt.datetime.combine(DAY, dt.time(23, 30), tzinfo=ZoneInfo("Asia/Jakarta"))
    day = day_schedule(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji, held_on=DAY, now=late)
    assert day.held_on == DAY
    with pytest.raises(DomainError) as exc:
        day_schedule(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji,
                     held_on=DAY - dt.timedelta(days=1), now=late)
    assert list(exc.value.field_errors) == ["held_on"]
