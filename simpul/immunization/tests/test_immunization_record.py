"""immunization_record: one dose per child, on a date the schedule allows, by health workers of the place."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, transaction
from django.utils.formats import date_format

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.immunization.models import ImmunizationRecord
from simpul.immunization.services import ImmunizationInput, immunization_record
from simpul.immunization.tests.kit import D, add_child, aisyah, at, give
from simpul.registry.models import Person

POSYANDU_DAY = at(2024, 3, 20)


def record(user, person, dose, given_on, now=POSYANDU_DAY, **extra):
    return immunization_record(actor=user, scope=scope_for(user), person=person,
                               data=ImmunizationInput(dose=dose, given_on=given_on, **extra), now=now)


@pytest.mark.django_db
class TestRecords:
    def test_the_bidan_of_the_area_records_the_dose_she_gave(self, bidan_kranggan, family_miji):
        rec = record(bidan_kranggan, aisyah(family_miji), "hb0", D(2024, 1, 15), given_by="Bidan Endang")
        assert rec.recorded_by == bidan_kranggan and ImmunizationRecord.objects.count() == 1

    def test_it_records_a_dose_with_its_vaccine_and_batch(self, kader_miji, family_miji, posyandu_miji):
        child = aisyah(family_miji)
        rec = record(kader_miji, child, "hb0", D(2024, 1, 15), vaccine="Uniject HB", batch_number="  B-2301 ",
                     given_by="Bidan Endang", place="puskesmas")
        rec.refresh_from_db()
        assert (rec.dose, rec.given_on, rec.vaccine, rec.batch_number) == ("hb0", D(2024, 1, 15), "Uniject HB", "B-2301")
        assert (rec.given_by, rec.place, rec.recorded_by) == ("Bidan Endang", "puskesmas", kader_miji)
        assert rec.desa_id == child.desa_id and rec.posyandu_id == posyandu_miji.pk
        entry = AuditEntry.objects.get(action="immunization.dose.recorded")
        assert entry.object_id == str(rec.pk) and entry.actor == kader_miji
        assert entry.changes["dose"] == "hb0" and entry.region_code == child.desa_id

    def test_a_second_record_of_the_same_dose_is_refused_naming_the_first_date(self, kader_miji, family_miji):
        child = aisyah(family_miji)
        record(kader_miji, child, "bcg", D(2024, 2, 10))
        before = (ImmunizationRecord.objects.count(), AuditEntry.objects.count())
        with pytest.raises(DomainError) as exc:
            record(kader_miji, child, "bcg", D(2024, 3, 1))
        assert date_format(D(2024, 2, 10), "j F Y") in exc.value.message
        assert "dose" in exc.value.field_errors
        assert (ImmunizationRecord.objects.count(), AuditEntry.objects.count()) == before

    def test_the_database_refuses_a_second_row_of_the_same_dose(self, kader_miji, family_miji):
        child = aisyah(family_miji)
        first = record(kader_miji, child, "bcg", D(2024, 2, 10))
        with pytest.raises(IntegrityError), transaction.atomic():
            ImmunizationRecord.objects.create(person=child, desa_id=first.desa_id, posyandu_id=first.posyandu_id,
                                              dose="bcg", given_on=D(2024, 2, 11))

    def test_a_date_in_the_future_is_refused(self, kader_miji, family_miji):
        with pytest.raises(DomainError) as exc:
            record(kader_miji, aisyah(family_miji), "bcg", D(2024, 3, 21), now=at(2024, 3, 20))
        assert "given_on" in exc.value.field_errors
        assert ImmunizationRecord.objects.count() == 0

    def test_a_date_before_birth_is_refused(self, kader_miji, family_miji):
        with pytest.raises(DomainError) as exc:
            record(kader_miji, aisyah(family_miji), "hb0", D(2024, 1, 14))
        assert "given_on" in exc.value.field_errors

    def test_a_dose_before_its_earliest_age_is_refused(self, kader_miji, family_miji):
        # Born 15 Jan 2024: DPT-HB-Hib 1 not before 6 weeks, i.e. 26 Feb 2024.
        child = aisyah(family_miji)
        with pytest.raises(DomainError) as exc:
            record(kader_miji, child, "dpt_hb_hib1", D(2024, 2, 25))
        assert date_format(D(2024, 2, 26), "j F Y") in exc.value.field_errors["given_on"][0]
        assert record(kader_miji, child, "dpt_hb_hib1", D(2024, 2, 26)).given_on == D(2024, 2, 26)

    def test_a_dose_needs_the_previous_dose_recorded_first(self, kader_miji, family_miji):
        with pytest.raises(DomainError) as exc:
            record(kader_miji, aisyah(family_miji), "dpt_hb_hib2", D(2024, 3, 20))
        assert "DPT-HB-Hib 1" in exc.value.field_errors["dose"][0]
        assert ImmunizationRecord.objects.count() == 0

    def test_the_interval_since_the_previous_dose_is_enforced(self, kader_miji, family_miji):
        # OPV1 on 25 Feb: OPV2 not before 25 Mar (1 month), even though the child is 2 months old.
        child = aisyah(family_miji)
        give(kader_miji, child, {"opv1": D(2024, 2, 25)})
        with pytest.raises(DomainError) as exc:
            record(kader_miji, child, "opv2", D(2024, 3, 20))
        assert date_format(D(2024, 3, 25), "j F Y") in exc.value.field_errors["given_on"][0]
        assert ImmunizationRecord.objects.filter(dose="opv2").count() == 0
        assert record(kader_miji, child, "opv2", D(2024, 3, 25), now=at(2024, 3, 25)).dose == "opv2"

    def test_the_booster_needs_12_months_after_dose_3(self, kader_miji, posyandu_miji):
        child = add_child(kader_miji, posyandu_miji, "Bagus Pratama", D(2022, 1, 10))
        give(kader_miji, child, {"dpt_hb_hib1": D(2022, 3, 10), "dpt_hb_hib2": D(2022, 4, 10),
                                 "dpt_hb_hib3": D(2022, 9, 1)})
        with pytest.raises(DomainError):
            record(kader_miji, child, "dpt_hb_hib4", D(2023, 8, 1), now=at(2023, 8, 1))
        assert record(kader_miji, child, "dpt_hb_hib4", D(2023, 9, 1), now=at(2023, 9, 1)).dose == "dpt_hb_hib4"

    def test_pcv3_needs_8_weeks_after_pcv2(self, kader_miji, posyandu_miji):
        child = add_child(kader_miji, posyandu_miji, "Bagus Pratama", D(2022, 1, 10))
        give(kader_miji, child, {"pcv1": D(2022, 9, 1), "pcv2": D(2022, 11, 20)})
        with pytest.raises(DomainError):  # 20 Nov + 56 days = 15 Jan 2023
            record(kader_miji, child, "pcv3", D(2023, 1, 14), now=at(2023, 1, 14))
        assert record(kader_miji, child, "pcv3", D(2023, 1, 15), now=at(2023, 1, 15)).dose == "pcv3"

    def test_an_unknown_dose_is_refused(self, kader_miji, family_miji):
        with pytest.raises(DomainError) as exc:
            record(kader_miji, aisyah(family_miji), "polio9", D(2024, 3, 1))
        assert "dose" in exc.value.field_errors

    def test_a_linked_duplicate_record_is_refused(self, kader_miji, family_miji, posyandu_miji):
        child = aisyah(family_miji)
        copy = add_child(kader_miji, posyandu_miji, "Aisyah P", D(2024, 1, 15))
        Person.objects.filter(pk=copy.pk).update(duplicate_of=child)
        copy.refresh_from_db()
        with pytest.raises(DomainError):
            record(kader_miji, copy, "bcg", D(2024, 2, 10))


@pytest.mark.django_db
class TestIdempotency:
    def test_the_same_client_uuid_returns_the_stored_record(self, kader_miji, family_miji):
        child, key = aisyah(family_miji), uuid.uuid4()
        first = record(kader_miji, child, "bcg", D(2024, 2, 10), client_uuid=key)
        again = record(kader_miji, child, "bcg", D(2024, 2, 10), client_uuid=str(key))
        assert again.pk == first.pk and again.client_uuid == key
        assert ImmunizationRecord.objects.count() == 1
        assert AuditEntry.objects.filter(action="immunization.dose.recorded").count() == 1

    def test_a_client_uuid_of_another_area_is_refused_without_revealing_it(self, kader_miji, family_miji,
                                                                         kader_jepara, family_jepara):
        key = uuid.uuid4()
        record(kader_miji, aisyah(family_miji), "bcg", D(2024, 2, 10), client_uuid=key)
        with pytest.raises(DomainError) as exc:
            record(kader_jepara, aisyah(family_jepara), "bcg", D(2024, 2, 10), client_uuid=key)
        assert "client_uuid" in exc.value.field_errors
        assert ImmunizationRecord.objects.count() == 1

    def test_a_malformed_client_uuid_is_a_field_error(self, kader_miji, family_miji):
        with pytest.raises(DomainError) as exc:
            record(kader_miji, aisyah(family_miji), "bcg", D(2024, 2, 10), client_uuid="not-a-uuid")
        assert "client_uuid" in exc.value.field_errors


@pytest.mark.django_db
class TestScope:
    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos", "camat_kranggan",
                                     "lurah_miji"])
    def test_outsiders_and_readers_cannot_record(self, request, who, family_miji):
        user = request.getfixturevalue(who)
        with pytest.raises(NotInScope):
            record(user, aisyah(family_miji), "bcg", D(2024, 2, 10))
        assert ImmunizationRecord.objects.count() == 0

    def test_a_kader_without_the_health_field_cannot_record(self, posyandu_miji, family_miji):
        kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
        with pytest.raises(NotInScope):
            record(kader, aisyah(family_miji), "bcg", D(2024, 2, 10))
        assert ImmunizationRecord.objects.count() == 0

    def test_a_health_kader_of_the_posyandu_can_record(self, posyandu_miji, family_miji):
        kader = make_user("kader.kesehatan", Role.KADER, posyandu=posyandu_miji, fields=["kesehatan"])
        assert record(kader, aisyah(family_miji), "bcg", D(2024, 2, 10)).pk


def test_a_dose_given_today_in_papua_is_not_in_the_future_in_jakarta(kader_miji, family_miji):
    # 00:30 WIT on 21 March 2024 is 22:30 WIB on the 20th: the dose of the 21st is today for the kader.
    just_past_midnight_in_jayapura = dt.datetime(2024, 3, 20, 15, 30, tzinfo=dt.UTC)
    given = record(kader_miji, aisyah(family_miji), "bcg", D(2024, 3, 21), now=just_past_midnight_in_jayapura)
    assert given.given_on == D(2024, 3, 21)
    with pytest.raises(DomainError) as exc:  # the day after is the future everywhere
        record(kader_miji, aisyah(family_miji), "opv1", D(2024, 3, 22), now=just_past_midnight_in_jayapura)
    assert "given_on" in exc.value.field_errors
