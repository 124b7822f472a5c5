"""development_check_record: what is stored, idempotency, and every refusal leaving nothing behind."""

import uuid

import pytest

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.health.development import CURRENT
from simpul.health.development_services import DevelopmentCheckInput, development_check_record
from simpul.health.models import DevelopmentCheck
from simpul.health.tests.kit import D, at

pytestmark = [pytest.mark.django_db]

DAY = D(2025, 3, 1)  # Aisyah (born 15 Jan 2024) is 13 months: band 12–18 months, 8 items
ITEMS = CURRENT.band("m12_18").item_codes


@pytest.fixture
def child(family_miji):
    return family_miji.members.get(full_name="Aisyah Putri")


def answers(no=0):
    return {code: i >= no for i, code in enumerate(ITEMS)}


def record(user, child, data, day=DAY):
    return development_check_record(actor=user, scope=scope_for(user), person=child, data=data, now=at(day))


def refused(user, child, data, day=DAY) -> dict:
    before = DevelopmentCheck.objects.count(), AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        record(user, child, data, day)
    assert (DevelopmentCheck.objects.count(), AuditEntry.objects.count()) == before
    return exc.value.field_errors


def test_the_kader_records_a_check_with_band_version_and_result(kader_miji, child):
    check = record(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(no=3)))
    check.refresh_from_db()
    assert (check.band, check.age_months, check.table_version) == ("m12_18", 13, CURRENT.version)
    assert check.result == "possible_delay" and check.answers == answers(no=3)
    assert (check.posyandu_id, check.desa_id, check.recorded_by) == (child.posyandu_id, child.desa_id, kader_miji)
    entry = AuditEntry.objects.get(action="health.development_check.recorded")
    assert entry.object_id == str(check.pk) and entry.changes["result"] == "possible_delay" and entry.changes["no"] == 3


@pytest.mark.parametrize(("no", "result"), [(0, "appropriate"), (2, "doubtful"), (3, "possible_delay")])
def test_the_result_follows_the_number_of_not_yet(kader_miji, child, no, result):
    assert record(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(no))).result == result


def test_the_bidan_of_the_area_records_too(bidan_kranggan, child):
    assert record(bidan_kranggan, child, DevelopmentCheckInput(checked_on=DAY, answers=answers())).pk


def test_the_same_client_uuid_stores_once(kader_miji, child):
    key = uuid.uuid4()
    first = record(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(), client_uuid=key))
    again = record(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(), client_uuid=str(key)))
    assert first.pk == again.pk and DevelopmentCheck.objects.count() == 1


def test_a_client_uuid_of_another_child_is_refused(kader_miji, family_miji, child):
    key = uuid.uuid4()
    record(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(), client_uuid=key))
    mother = family_miji.members.get(full_name="Siti Aminah")
    assert "client_uuid" in refused(kader_miji, mother, DevelopmentCheckInput(checked_on=DAY, client_uuid=key))


def test_a_bad_uuid_is_a_field_error(kader_miji, child):
    assert "client_uuid" in refused(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(),
                                                                             client_uuid="not-a-uuid"))


@pytest.mark.parametrize(("checked_on", "today"), [
    (None, DAY),
    (D(2025, 3, 2), DAY),  # tomorrow
    (D(2024, 1, 14), DAY),  # before birth
    (D(2030, 1, 15), D(2030, 2, 1)),  # 72 months: past the checklist
])
def test_dates_outside_the_rules_are_refused(kader_miji, child, checked_on, today):
    assert list(refused(kader_miji, child, DevelopmentCheckInput(checked_on=checked_on, answers=answers()),
                        day=today)) == ["checked_on"]


def test_the_band_shown_must_be_the_band_of_the_date(kader_miji, child):
    # The form showed the 0–3 month questions, but on 1 Mar 2025 the child is 13 months.
    errors = refused(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers(), band="m0_3"))
    assert list(errors) == ["checked_on"]


def test_every_item_of_the_band_must_be_answered_yes_or_no(kader_miji, child):
    given = answers()
    del given[ITEMS[0]]
    given[ITEMS[1]] = "ya"
    given["head_45"] = True  # a 0–3 month question
    errors = refused(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=given))
    assert set(errors) == {ITEMS[0], ITEMS[1], "answers"}


def test_a_child_who_died_before_the_date_is_refused(kader_miji, child):
    child.life_status, child.life_status_date = "deceased", D(2025, 2, 1)
    child.save()
    assert "checked_on" in refused(kader_miji, child, DevelopmentCheckInput(checked_on=DAY, answers=answers()))


@pytest.mark.parametrize("persona", ["kader_meri", "kader_jepara", "lurah_miji", "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_cannot_record(request, child, persona):
    with pytest.raises(NotInScope):
        record(request.getfixturevalue(persona), child, DevelopmentCheckInput(checked_on=DAY, answers=answers()))
    assert DevelopmentCheck.objects.count() == 0
