"""pregnancy_register: HPL by Naegele, estimated HPHT, G/P/A checks, one ongoing pregnancy, scope, idempotency."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.models import Pregnancy
from simpul.maternal.tests.kit import D, add_woman, register, siti
from simpul.registry.models import Person

pytestmark = pytest.mark.django_db


def counts():
    return Pregnancy.objects.count(), AuditEntry.objects.filter(action__startswith="maternal.").count()


def test_it_records_hpht_and_the_naegele_hpl(kader_miji, family_miji):
    woman = siti(family_miji)
    p = register(kader_miji, woman, hpht=D(2026, 5, 24), registered_on=D(2026, 7, 20), gravida=3, para=1, abortus=1)
    p.refresh_from_db()
    # Hand-worked: doy(24 May) 144 + 280 = 424 - 365 = 59 -> 28 February 2027.
    assert p.hpl == D(2027, 2, 28)
    assert (p.hpht_source, p.estimated_weeks, p.status) == ("lmp", None, "ongoing")
    assert p.obstetric_formula == "G3P1A1"
    assert (p.posyandu_id, p.desa_id, p.recorded_by) == (woman.posyandu_id, woman.desa_id, kader_miji)
    assert AuditEntry.objects.filter(action="maternal.pregnancy.registered", object_id=str(p.pk)).exists()


def test_an_unknown_hpht_is_estimated_from_the_weeks(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=None, estimated_weeks=10, registered_on=D(2026, 3, 12))
    # 10 weeks = 70 days before 12 March (doy 71) -> doy 1 = 1 January; HPL 8 October (see test_rules).
    assert (p.hpht, p.hpht_source, p.estimated_weeks, p.hpl) == (D(2026, 1, 1), "estimated", 10, D(2026, 10, 8))


def test_a_known_hpht_wins_over_estimated_weeks(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1), estimated_weeks=30, registered_on=D(2026, 11, 1))
    assert (p.hpht, p.hpht_source, p.estimated_weeks) == (D(2026, 9, 1), "lmp", None)


@pytest.mark.parametrize(("values", "field"), [
    ({"hpht": D(2026, 11, 23), "registered_on": D(2026, 11, 22)}, "hpht"),  # HPHT after the record
    ({"hpht": D(2026, 12, 1), "registered_on": D(2026, 12, 5)}, "registered_on"),  # in the future
    ({"hpht": D(2026, 1, 4), "registered_on": D(2026, 11, 16)}, "hpht"),  # 316 days: over 45 weeks
    ({"hpht": None, "registered_on": D(2026, 11, 1)}, "hpht"),  # neither HPHT nor weeks
    ({"hpht": None, "estimated_weeks": 46, "registered_on": D(2026, 11, 1)}, "estimated_weeks"),
    ({"hpht": None, "estimated_weeks": 0, "registered_on": D(2026, 11, 1)}, "estimated_weeks"),
    ({"hpht": None, "estimated_weeks": "ten", "registered_on": D(2026, 11, 1)}, "estimated_weeks"),
    ({"hpht": D(2026, 9, 1), "registered_on": None}, "registered_on"),
    ({"hpht": D(2026, 9, 1), "gravida": 0}, "gravida"),
    ({"hpht": D(2026, 9, 1), "gravida": 21}, "gravida"),
    ({"hpht": D(2026, 9, 1), "gravida": None}, "gravida"),
    ({"hpht": D(2026, 9, 1), "para": -1}, "para"),
    ({"hpht": D(2026, 9, 1), "abortus": "x"}, "abortus"),
    # P + A <= G - 1: a first pregnancy cannot have an earlier birth; G2 cannot have P1 A1.
    ({"hpht": D(2026, 9, 1), "gravida": 1, "para": 1}, "para"),
    ({"hpht": D(2026, 9, 1), "gravida": 2, "para": 1, "abortus": 1}, "para"),
])
def test_impossible_input_is_refused_and_nothing_is_saved(kader_miji, family_miji, values, field):
    before = counts()
    values.setdefault("registered_on", D(2026, 11, 1))
    with pytest.raises(DomainError) as exc:
        register(kader_miji, siti(family_miji), **values)
    assert field in exc.value.field_errors
    assert counts() == before


def test_gpa_at_the_limit_is_accepted(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1), gravida=3, para=1, abortus=1)
    assert (p.gravida, p.para, p.abortus) == (3, 1, 1)


def test_a_man_cannot_be_pregnant(kader_miji, family_miji):
    budi = family_miji.members.get(full_name="Budi Santoso")
    with pytest.raises(DomainError) as exc:
        register(kader_miji, budi, hpht=D(2026, 9, 1))
    assert "__all__" in exc.value.field_errors and Pregnancy.objects.count() == 0


def test_a_girl_under_ten_at_hpht_is_refused(kader_miji, family_miji):
    girl = family_miji.members.get(full_name="Aisyah Putri")  # born 15 January 2024
    with pytest.raises(DomainError) as exc:
        register(kader_miji, girl, hpht=D(2026, 9, 1))
    assert "hpht" in exc.value.field_errors and Pregnancy.objects.count() == 0


@pytest.mark.parametrize(("birth", "ok"), [
    (D(1971, 9, 1), True),  # 55 on the day of HPHT (1 September 2026)
    (D(1970, 9, 2), True),  # 55 years and 364 days: 55 in completed years
    (D(1970, 9, 1), False),  # 56 on the day
    (D(2016, 9, 1), True),  # 10 on the day
    (D(2016, 9, 2), False),  # 9 years 364 days
])
def test_age_at_hpht_from_10_to_55(kader_miji, posyandu_miji, birth, ok):
    woman = add_woman(kader_miji, posyandu_miji, "Ibu Uji", birth)
    if ok:
        assert register(kader_miji, woman, hpht=D(2026, 9, 1)).pk
    else:
        with pytest.raises(DomainError) as exc:
            register(kader_miji, woman, hpht=D(2026, 9, 1))
        assert "hpht" in exc.value.field_errors


def test_one_ongoing_pregnancy_per_woman(kader_miji, family_miji):
    woman = siti(family_miji)
    register(kader_miji, woman, hpht=D(2026, 9, 1))
    before = counts()
    with pytest.raises(DomainError) as exc:
        register(kader_miji, woman, hpht=D(2026, 10, 1), registered_on=D(2026, 11, 1))
    assert exc.value.code == "conflict" and "__all__" in exc.value.field_errors
    assert counts() == before


def test_the_database_refuses_a_second_ongoing_pregnancy_too(kader_miji, family_miji):
    first = register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1))
    second = Pregnancy(person=first.person, posyandu=first.posyandu, desa=first.desa, registered_on=D(2026, 11, 1),
                       hpht=D(2026, 10, 1), hpl=D(2027, 7, 8), gravida=1, para=0, abortus=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_the_database_refuses_a_status_without_its_date(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Pregnancy.objects.filter(pk=p.pk).update(status="delivered")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pregnancy.objects.filter(pk=p.pk).update(status="lost", ended_on=D(2026, 3, 1))


def test_a_new_pregnancy_cannot_start_before_the_last_one_ended(kader_miji, family_miji):
    from simpul.maternal.tests.kit import close

    woman = siti(family_miji)
    p = register(kader_miji, woman, hpht=D(2025, 10, 1), registered_on=D(2025, 12, 1))
    close(kader_miji, p, on=D(2026, 7, 8))
    with pytest.raises(DomainError) as exc:
        register(kader_miji, woman, hpht=D(2026, 7, 1), registered_on=D(2026, 9, 1))
    assert "hpht" in exc.value.field_errors
    assert register(kader_miji, woman, hpht=D(2026, 9, 1), registered_on=D(2026, 11, 1), gravida=2, para=1).pk


def test_the_same_client_uuid_returns_the_stored_pregnancy(kader_miji, family_miji):
    key = uuid.uuid4()
    first = register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1), client_uuid=key)
    again = register(kader_miji, siti(family_miji), hpht=D(2026, 10, 1), client_uuid=str(key))
    assert again.pk == first.pk and again.hpht == D(2026, 9, 1)
    assert counts() == (1, 1)


def test_a_client_uuid_of_another_woman_is_refused(kader_miji, family_miji, posyandu_miji):
    key = uuid.uuid4()
    register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1), client_uuid=key)
    other = add_woman(kader_miji, posyandu_miji, "Dewi Lestari", D(1995, 2, 3))
    with pytest.raises(DomainError) as exc:
        register(kader_miji, other, hpht=D(2026, 9, 1), client_uuid=key)
    assert "client_uuid" in exc.value.field_errors and Pregnancy.objects.count() == 1


def test_a_malformed_client_uuid_is_a_field_error(kader_miji, family_miji):
    with pytest.raises(DomainError) as exc:
        register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1), client_uuid="not-a-uuid")
    assert "client_uuid" in exc.value.field_errors


def test_a_woman_who_moved_away_before_the_date_is_refused(kader_miji, family_miji):
    woman = siti(family_miji)
    Person.objects.filter(pk=woman.pk).update(life_status="moved", life_status_date=D(2026, 10, 1))
    woman.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        register(kader_miji, woman, hpht=D(2026, 9, 1), registered_on=D(2026, 10, 15))
    assert "registered_on" in exc.value.field_errors


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_users_without_health_rights_here_cannot_record(request, family_miji, outsider):
    user = request.getfixturevalue(outsider)
    with pytest.raises(NotInScope):
        register(user, siti(family_miji), hpht=D(2026, 9, 1))
    assert counts() == (0, 0)


def test_a_kader_of_another_field_cannot_record(family_miji, posyandu_miji):
    kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    with pytest.raises(NotInScope):
        register(kader, siti(family_miji), hpht=D(2026, 9, 1))


def test_the_bidan_of_the_area_records(bidan_kranggan, family_miji):
    p = register(bidan_kranggan, siti(family_miji), hpht=D(2026, 9, 1))
    assert p.recorded_by == bidan_kranggan


def test_jepara_is_its_own_region(kader_jepara, family_jepara):
    woman = family_jepara.members.get(full_name="Siti Aminah")
    p = register(kader_jepara, woman, hpht=D(2026, 9, 1))
    assert p.desa_id.startswith("3320")


def test_dates_are_days_not_datetimes(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2026, 9, 1))
    assert isinstance(p.hpl, dt.date) and not isinstance(p.hpl, dt.datetime)
