"""Escalation timing: more than 3 working days in a stage → the village head; more than 6 → the camat.

February 2026 has no holiday before the 16th: Mon 2 … Fri 6, Mon 9 … Fri 13. May 2026: Kenaikan on Thu 14,
cuti bersama on Fri 15.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conftest import KRANGGAN, MIJI, make_user
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.notifications.models import Notification
from simpul.referrals.models import Escalation
from simpul.referrals.services.escalation import escalate_stalled
from simpul.referrals.tasks import escalate_stalled_referrals
from simpul.referrals.tests.kit import move, record

D = dt.date
WIB = ZoneInfo("Asia/Jakarta")


def at(day: dt.date, hour: int = 7) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=WIB)


def levels(referral) -> list[str]:
    return sorted(Escalation.objects.filter(referral=referral).values_list("level", flat=True))


@pytest.fixture
def monday_need(kader_miji, family_miji, lurah_miji, operator_miji, camat_kranggan):
    return record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 2, 2), 10))


@pytest.mark.django_db
def test_a_stage_started_monday_goes_to_the_lurah_after_the_fourth_working_day(monday_need, lurah_miji,
                                                                              operator_miji, camat_kranggan):
    assert escalate_stalled(now=at(D(2026, 2, 5))) == []  # Thursday: 3 working days
    assert levels(monday_need) == []

    raised = escalate_stalled(now=at(D(2026, 2, 6)))  # Friday: the 4th
    assert [(r.ticket, r.escalation.level, r.escalation.working_days_stalled) for r in raised] == [
        (monday_need.ticket, "desa", 4)]
    escalation = raised[0].escalation
    assert escalation.state == "recorded" and escalation.stage_started_at == monday_need.stage_started_at
    assert escalation.notified == [lurah_miji.pk]  # the head, not the operator nor the camat
    notes = Notification.objects.filter(kind="referral.escalate.desa")
    assert [n.user for n in notes] == [lurah_miji]
    assert monday_need.ticket in notes[0].subject and notes[0].link == f"/rujukan/{monday_need.pk}/"
    assert not Notification.objects.filter(kind__startswith="referral.escalate", user=operator_miji).exists()
    audit = AuditEntry.objects.get(action="referral.escalate")
    assert audit.object_id == str(monday_need.pk) and audit.changes["level"] == "desa"


@pytest.mark.django_db
def test_the_camat_hears_after_the_seventh_working_day_and_nobody_twice(monday_need, lurah_miji, camat_kranggan):
    escalate_stalled(now=at(D(2026, 2, 6)))
    assert escalate_stalled(now=at(D(2026, 2, 6), 15)) == []  # run again the same day
    assert escalate_stalled(now=at(D(2026, 2, 10))) == []  # Tuesday: 6 working days
    raised = escalate_stalled(now=at(D(2026, 2, 11)))  # Wednesday: the 7th
    assert [r.escalation.level for r in raised] == ["kecamatan"]
    assert raised[0].escalation.notified == [camat_kranggan.pk]
    assert escalate_stalled(now=at(D(2026, 2, 12))) == []
    assert escalate_stalled(now=at(D(2026, 2, 20))) == []
    assert levels(monday_need) == ["desa", "kecamatan"]
    assert Notification.objects.filter(kind="referral.escalate.desa", user=lurah_miji).count() == 1
    camat_note = Notification.objects.get(kind="referral.escalate.kecamatan")
    assert camat_note.user == camat_kranggan and camat_note.link == "/rujukan/pantau/"


@pytest.mark.django_db
def test_a_first_run_after_a_long_stall_raises_both_levels(monday_need):
    raised = escalate_stalled(now=at(D(2026, 2, 13)))
    assert sorted(r.escalation.level for r in raised) == ["desa", "kecamatan"]


@pytest.mark.django_db
def test_a_weekend_does_not_escalate_early(kader_miji, family_miji, lurah_miji):
    wednesday = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 2, 4), 10))
    # Thu 5 (1), Fri 6 (2), Sat, Sun, Mon 9 (3): five calendar days, three working days.
    assert escalate_stalled(now=at(D(2026, 2, 7))) == []
    assert escalate_stalled(now=at(D(2026, 2, 9))) == []
    assert [r.escalation.level for r in escalate_stalled(now=at(D(2026, 2, 10)))] == ["desa"]
    assert levels(wednesday) == ["desa"]


@pytest.mark.django_db
def test_a_holiday_inside_the_window_does_not_count(kader_miji, family_miji, lurah_miji):
    monday = record(kader_miji, category="trb_rawan_bencana", household=family_miji, now=at(D(2026, 5, 11), 10))
    # Tue 12 (1), Wed 13 (2), Kenaikan Thu 14, cuti bersama Fri 15, Mon 18 (3), Tue 19 (4).
    assert escalate_stalled(now=at(D(2026, 5, 15))) == []
    assert escalate_stalled(now=at(D(2026, 5, 18))) == []
    assert [r.escalation.working_days_stalled for r in escalate_stalled(now=at(D(2026, 5, 19)))] == [4]
    assert levels(monday) == ["desa"]


@pytest.mark.django_db
def test_a_new_stage_restarts_the_clock(monday_need, lurah_miji):
    escalate_stalled(now=at(D(2026, 2, 6)))
    verified = move(lurah_miji, monday_need, "verify", note="Sudah dikunjungi, rumah di tepi tebing.",
                    now=at(D(2026, 2, 6), 14))
    assert escalate_stalled(now=at(D(2026, 2, 11))) == []  # the verified stage: Mon 9, Tue 10, Wed 11
    raised = escalate_stalled(now=at(D(2026, 2, 12)))
    assert [(r.escalation.level, r.escalation.state) for r in raised] == [("desa", "verified")]
    assert raised[0].escalation.stage_started_at == verified.stage_started_at
    assert Escalation.objects.filter(referral=monday_need).count() == 2


@pytest.mark.django_db
def test_closed_referrals_are_not_escalated(monday_need, lurah_miji):
    move(lurah_miji, monday_need, "reject", note="Bukan kewenangan desa.", now=at(D(2026, 2, 3)))
    assert escalate_stalled(now=at(D(2026, 2, 20))) == []


@pytest.mark.django_db
def test_notifications_carry_no_description_and_no_name(monday_need, camat_kranggan):
    escalate_stalled(now=at(D(2026, 2, 13)))
    notes = list(Notification.objects.filter(kind__startswith="referral.escalate"))
    assert len(notes) == 2
    for note in notes:
        text = f"{note.subject} {note.body}"
        assert "Atap bocor" not in text and "Budi Santoso" not in text and "Siti" not in text
        assert monday_need.ticket in text


@pytest.mark.django_db
def test_the_camat_hears_of_a_confidential_referral_without_its_ticket_or_category(kader_miji, family_miji,
                                                                                    lurah_miji, camat_kranggan):
    secret = record(kader_miji, category="trb_kdrt", household=family_miji, now=at(D(2026, 2, 2), 10))
    escalate_stalled(now=at(D(2026, 2, 13)))
    lurah_note = Notification.objects.get(kind="referral.escalate.desa")
    assert lurah_note.user == lurah_miji and secret.ticket in lurah_note.subject
    camat_note = Notification.objects.get(kind="referral.escalate.kecamatan")
    assert camat_note.user == camat_kranggan
    assert secret.ticket not in camat_note.subject and str(secret.category.label) not in camat_note.subject
    assert camat_note.link == "/rujukan/pantau/"


@pytest.mark.django_db
def test_another_kecamatan_camat_is_not_told(monday_need, camat_kranggan):
    other = make_user("camat.magersari", Role.KECAMATAN, region="357602", is_head=True)
    assert KRANGGAN != "357602" and MIJI.startswith(KRANGGAN)
    escalate_stalled(now=at(D(2026, 2, 13)))
    assert not Notification.objects.filter(user=other).exists()


@pytest.mark.django_db
def test_the_command_prints_what_it_did(monday_need):
    out = StringIO()
    call_command("referrals_escalate", stdout=out)  # today, long after February 2026: both levels
    printed = out.getvalue()
    assert f"{monday_need.ticket}: desa" in printed and f"{monday_need.ticket}: kecamatan" in printed
    assert "2 escalation(s) raised." in printed
    out = StringIO()
    call_command("referrals_escalate", stdout=out)
    assert out.getvalue().strip() == "0 escalation(s) raised."


@pytest.mark.django_db
def test_the_task_runs_the_same_escalation(monday_need):
    assert escalate_stalled_referrals.enqueue().return_value == 2
    assert escalate_stalled_referrals.call() == 0
