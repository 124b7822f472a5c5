"""pregnancy_close: delivered from 20 weeks or ended, dates checked, state machine, scope."""

import pytest

from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.maternal.models import Pregnancy
from simpul.maternal.tests.kit import D, close, register, siti, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def pregnancy(kader_miji, family_miji):
    # HPHT 1 January 2026, recorded 26 February; HPL 8 October.
    return register(kader_miji, siti(family_miji), hpht=D(2026, 1, 1))


def test_it_records_the_delivery(kader_miji, pregnancy):
    p = close(kader_miji, pregnancy, status="delivered", on=D(2026, 10, 5), note="Puskesmas Kranggan")
    p.refresh_from_db()
    assert (p.status, p.delivered_on, p.ended_on, p.outcome_note) == ("delivered", D(2026, 10, 5), None,
                                                                      "Puskesmas Kranggan")
    assert AuditEntry.objects.filter(action="maternal.pregnancy.delivered", object_id=str(p.pk)).exists()


def test_it_records_an_end_without_delivery(kader_miji, pregnancy):
    p = close(kader_miji, pregnancy, status="ended", on=D(2026, 3, 10), note="keguguran")
    assert (p.status, p.ended_on, p.delivered_on) == ("ended", D(2026, 3, 10), None)


@pytest.mark.parametrize(("status", "on", "field"), [
    ("delivered", D(2025, 12, 31), "on"),  # before HPHT
    ("delivered", D(2026, 2, 20), "on"),  # before it was recorded (26 February)
    ("delivered", D(2026, 5, 20), "on"),  # day 139: under 20 weeks (140 days) is not a delivery
    ("delivered", D(2026, 11, 23), "on"),  # in the future (today is 22 November)
    ("ended", None, "on"),
    ("lost", D(2026, 5, 1), "status"),
])
def test_impossible_dates_are_refused_and_nothing_changes(kader_miji, pregnancy, status, on, field):
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        close(kader_miji, pregnancy, status=status, on=on)
    assert field in exc.value.field_errors
    pregnancy.refresh_from_db()
    assert pregnancy.status == "ongoing" and AuditEntry.objects.count() == audits


def test_delivery_at_exactly_20_weeks_is_accepted(kader_miji, pregnancy):
    # 140 days after 1 January: doy 141 = 21 May (end of April 120 + 21).
    assert close(kader_miji, pregnancy, on=D(2026, 5, 21)).status == "delivered"


def test_more_than_45_weeks_after_hpht_is_refused(kader_miji, family_miji):
    p = register(kader_miji, siti(family_miji), hpht=D(2025, 12, 1), registered_on=D(2026, 1, 15))
    with pytest.raises(DomainError) as exc:
        close(kader_miji, p, on=D(2026, 10, 13))  # 316 days
    assert "on" in exc.value.field_errors


def test_the_end_cannot_be_before_the_last_visit(kader_miji, pregnancy):
    visit(kader_miji, pregnancy, D(2026, 9, 1))
    with pytest.raises(DomainError) as exc:
        close(kader_miji, pregnancy, on=D(2026, 8, 30))
    assert "on" in exc.value.field_errors


def test_a_closed_pregnancy_cannot_be_closed_again_but_a_resend_is_fine(kader_miji, pregnancy):
    close(kader_miji, pregnancy, on=D(2026, 10, 5))
    again = close(kader_miji, pregnancy, on=D(2026, 10, 5))
    assert again.status == "delivered"
    with pytest.raises(DomainError) as exc:
        close(kader_miji, pregnancy, status="ended", on=D(2026, 10, 6))
    assert exc.value.code == "conflict"
    assert Pregnancy.objects.get().delivered_on == D(2026, 10, 5)
    assert AuditEntry.objects.filter(action="maternal.pregnancy.delivered").count() == 1


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "lurah_miji", "camat_kranggan",
                                      "pembina_mojokerto", "opd_dinsos"])
def test_outsiders_cannot_close(request, pregnancy, outsider):
    with pytest.raises(NotInScope):
        close(request.getfixturevalue(outsider), pregnancy, on=D(2026, 10, 5))
    pregnancy.refresh_from_db()
    assert pregnancy.status == "ongoing"


def test_the_bidan_closes(bidan_kranggan, pregnancy):
    assert close(bidan_kranggan, pregnancy, on=D(2026, 10, 5)).status == "delivered"
