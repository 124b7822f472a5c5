"""kipi_record: an adverse-event note on a dose, by the health workers who may record doses."""

import pytest

from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.immunization.services import kipi_record
from simpul.immunization.tests.kit import D, aisyah, at, give


@pytest.fixture
def dose(kader_miji, family_miji):
    return give(kader_miji, aisyah(family_miji), {"bcg": D(2024, 2, 10)})[0]


DAY_AFTER = D(2024, 2, 11)


def note(user, record, noted_on=DAY_AFTER, notes="Demam 38,5 °C dan bengkak di lengan", **extra):
    return kipi_record(actor=user, scope=scope_for(user), record=record, noted_on=noted_on, notes=notes,
                       now=at(2024, 3, 20), **extra)


@pytest.mark.django_db
class TestKipi:
    def test_it_notes_an_adverse_event_and_its_follow_up(self, kader_miji, dose):
        record = note(kader_miji, dose, follow_up="Dirujuk ke puskesmas")
        record.refresh_from_db()
        assert record.kipi_noted_on == D(2024, 2, 11) and record.kipi_follow_up == "Dirujuk ke puskesmas"
        assert AuditEntry.objects.filter(action="immunization.kipi.recorded", object_id=str(record.pk)).count() == 1

    def test_a_date_before_the_dose_or_in_the_future_is_refused(self, kader_miji, dose):
        with pytest.raises(DomainError) as exc:
            note(kader_miji, dose, noted_on=D(2024, 2, 9))
        assert "kipi_noted_on" in exc.value.field_errors
        with pytest.raises(DomainError):
            note(kader_miji, dose, noted_on=D(2024, 3, 21))
        dose.refresh_from_db()
        assert dose.kipi_notes == ""

    def test_an_empty_note_is_refused(self, kader_miji, dose):
        with pytest.raises(DomainError) as exc:
            note(kader_miji, dose, notes="   ")
        assert "kipi_notes" in exc.value.field_errors

    @pytest.mark.parametrize("who", ["kader_meri", "kader_jepara", "opd_dinsos"])
    def test_others_cannot_note(self, request, who, dose):
        with pytest.raises(NotInScope):
            note(request.getfixturevalue(who), dose)
