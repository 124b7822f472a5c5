"""Posyandu legal data, registration number, status history and kader roster."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from conftest import JEPARA, MERI, MIJI
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.posyandu.models import Kader, Posyandu, PosyanduStatusChange
from simpul.posyandu.selectors import posyandu_registrable
from simpul.posyandu.services import (
    kader_add,
    posyandu_create,
    posyandu_set_status,
    posyandu_update_legal,
    registration_number_errors,
)
from simpul.regions.models import Region

TODAY = timezone.localdate()


def row_counts():
    return (Posyandu.objects.count(), PosyanduStatusChange.objects.count(), Kader.objects.count(),
            AuditEntry.objects.count())


# --- registration number PP.KK.CC.DDDD.NNN ------------------------------------------------------

def test_a_registration_number_starting_with_the_desa_code_is_accepted():
    assert registration_number_errors("35.76.03.1002.001", MIJI) == []
    assert registration_number_errors("35.76.03.1002.999", MIJI) == []


@pytest.mark.parametrize(
    "number",
    [
        "35.76.03.1003.001",  # Meri's code
        "35.76.01.1002.001",  # same village number, other kecamatan
        "33.20.03.1002.001",  # other province
    ],
)
def test_a_registration_number_of_another_desa_is_refused(number):
    with translation.override("en"):
        problems = registration_number_errors(number, MIJI)
    assert len(problems) == 1
    assert "desa" in problems[0]


@pytest.mark.parametrize(
    "number",
    [
        "3576031002001",  # no dots
        "35.76.03.1002.01",  # 2-digit sequence
        "35.76.03.1002.0001",  # 4-digit sequence
        "35.76.03.1002",  # no sequence
        "35-76-03-1002-001",
        "35.76.03.1002.001\n",
        " 35.76.03.1002.001",
        "３５.７６.０３.１００２.００１",  # full-width digits
        "",
    ],
)
def test_a_malformed_registration_number_is_refused(number):
    assert len(registration_number_errors(number, MIJI)) == 1


def test_sequence_000_is_refused():
    assert len(registration_number_errors("35.76.03.1002.000", MIJI)) == 1


# --- posyandu_create ----------------------------------------------------------------------------

def test_a_lurah_creates_a_posyandu_with_history_and_audit(lurah_miji):
    posyandu = posyandu_create(actor=lurah_miji, scope=scope_for(lurah_miji), desa=Region.objects.get(code=MIJI),
                               name="  Posyandu   Anggrek ", address="Jl. Anggrek 1", rw="004")
    assert (posyandu.name, posyandu.desa_id, posyandu.status) == ("Posyandu Anggrek", MIJI, "active")
    history = list(posyandu.status_history.values_list("status", "changed_on", "reason", "actor"))
    assert history == [("active", TODAY, "created", lurah_miji.pk)]
    entry = AuditEntry.objects.get(action="posyandu.posyandu.created")
    assert (entry.object_id, entry.region_code, entry.actor) == (str(posyandu.pk), MIJI, lurah_miji)


def test_it_creates_with_legal_data_in_one_step(lurah_miji):
    posyandu = posyandu_create(actor=lurah_miji, scope=scope_for(lurah_miji), desa=Region.objects.get(code=MIJI),
                               name="Posyandu Anggrek", sk_number="188/12/2024", sk_date=dt.date(2024, 8, 1),
                               registration_number="35.76.03.1002.007")
    assert (posyandu.sk_number, posyandu.registration_number) == ("188/12/2024", "35.76.03.1002.007")


def test_bad_legal_data_on_create_writes_nothing(lurah_miji):
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        posyandu_create(actor=lurah_miji, scope=scope_for(lurah_miji), desa=Region.objects.get(code=MIJI),
                        name="Posyandu Anggrek", registration_number="35.76.03.1003.001")
    assert set(caught.value.field_errors) == {"registration_number"}
    assert row_counts() == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Posyandu Melati Miji"}, "name"),  # exists
        ({"name": "posyandu MELATI miji"}, "name"),  # exists, other case
        ({"name": "P" * 121}, "name"),
        ({"address": "a" * 256}, "address"),
        ({"rw": "123456789"}, "rw"),
        ({"dusun": "d" * 61}, "dusun"),
    ],
)
def test_it_refuses_bad_fields(lurah_miji, posyandu_miji, kwargs, field):
    kwargs = {"name": "Posyandu Anggrek", **kwargs}
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        posyandu_create(actor=lurah_miji, scope=scope_for(lurah_miji), desa=Region.objects.get(code=MIJI), **kwargs)
    assert field in caught.value.field_errors
    assert row_counts() == before


def test_only_roles_that_edit_posyandu_may_create_them_and_only_in_their_area(
        lurah_miji, kader_miji, camat_kranggan, pembina_mojokerto, jepara_desa, posyandu_miji):
    meri = Region.objects.get(code=MERI)
    for user, desa in ((lurah_miji, meri), (kader_miji, Region.objects.get(code=MIJI)),
                       (camat_kranggan, meri), (pembina_mojokerto, jepara_desa)):
        with pytest.raises(NotInScope):
            posyandu_create(actor=user, scope=scope_for(user), desa=desa, name="Posyandu Baru")
    # The pembina of the city may, and a name used in Miji is free in Meri.
    created = posyandu_create(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto), desa=meri,
                              name="Posyandu Melati Miji")
    assert created.desa_id == MERI
    assert not Posyandu.objects.filter(desa__code__startswith=JEPARA).exists()


def test_a_posyandu_belongs_to_a_desa_not_a_kecamatan(pembina_mojokerto):
    with pytest.raises(DomainError):
        posyandu_create(actor=pembina_mojokerto, scope=scope_for(pembina_mojokerto),
                        desa=Region.objects.get(code="357603"), name="Posyandu Kecamatan")
    assert Posyandu.objects.count() == 0


# --- posyandu_update_legal ----------------------------------------------------------------------

def test_legal_data_changes_are_audited(lurah_miji, posyandu_miji):
    posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji,
                          sk_number=" 188/45/2024 ", sk_date=dt.date(2024, 9, 2), registration_number="35.76.03.1002.001")
    posyandu_miji.refresh_from_db()
    assert (posyandu_miji.sk_number, posyandu_miji.registration_number) == ("188/45/2024", "35.76.03.1002.001")
    entry = AuditEntry.objects.get(action="posyandu.posyandu.legal_updated")
    assert entry.changes["sk_number"] == ["", "188/45/2024"]
    assert entry.changes["registration_number"] == [None, "35.76.03.1002.001"]


def test_a_registration_number_belongs_to_one_posyandu(lurah_miji, posyandu_miji):
    second = Posyandu.objects.create(desa_id=MIJI, name="Posyandu Kedua")
    posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji,
                          registration_number="35.76.03.1002.001")
    with pytest.raises(DomainError) as caught:
        posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=second,
                              registration_number="35.76.03.1002.001")
    assert set(caught.value.field_errors) == {"registration_number"}
    # Saving the same number on its own posyandu again is fine.
    posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji,
                          registration_number="35.76.03.1002.001")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sk_date": TODAY + dt.timedelta(days=1)}, "sk_date"),
        ({"sk_board_date": TODAY + dt.timedelta(days=1)}, "sk_board_date"),
        ({"sk_number": "s" * 81}, "sk_number"),
        ({"sk_board_number": "s" * 81}, "sk_board_number"),
        ({"registration_number": "35.76.03.1003.001"}, "registration_number"),
    ],
)
def test_bad_legal_data_is_refused_and_nothing_changes(lurah_miji, posyandu_miji, kwargs, field):
    before = row_counts()
    with pytest.raises(DomainError) as caught:
        posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji, **kwargs)
    assert field in caught.value.field_errors
    posyandu_miji.refresh_from_db()
    assert (posyandu_miji.sk_number, posyandu_miji.sk_date, posyandu_miji.registration_number) == ("", None, None)
    assert row_counts() == before


def test_legal_data_outside_the_area_is_not_found(lurah_miji, kader_miji, posyandu_meri, posyandu_miji):
    with pytest.raises(NotInScope):
        posyandu_update_legal(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_meri, sk_number="1")
    with pytest.raises(NotInScope):
        posyandu_update_legal(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji, sk_number="1")


# --- posyandu_set_status ------------------------------------------------------------------------

def test_status_changes_are_kept_as_history(lurah_miji, posyandu_miji, kader_miji):
    scope = scope_for(lurah_miji)
    assert posyandu_registrable(scope_for(kader_miji)).count() == 1
    posyandu_set_status(actor=lurah_miji, scope=scope, posyandu=posyandu_miji, status="inactive",
                        changed_on=dt.date(2024, 3, 1), reason="kader pindah")
    posyandu_set_status(actor=lurah_miji, scope=scope, posyandu=posyandu_miji, status="active",
                        changed_on=dt.date(2024, 9, 1), reason="kader baru")
    posyandu_miji.refresh_from_db()
    assert posyandu_miji.status == "active"
    assert list(posyandu_miji.status_history.values_list("status", "changed_on", "reason")) == [
        ("active", dt.date(2024, 9, 1), "kader baru"), ("inactive", dt.date(2024, 3, 1), "kader pindah")]
    assert AuditEntry.objects.filter(action="posyandu.posyandu.status_changed").count() == 2


def test_an_inactive_posyandu_takes_no_registrations(lurah_miji, posyandu_miji, kader_miji):
    posyandu_set_status(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji, status="inactive",
                        changed_on=TODAY)
    assert posyandu_registrable(scope_for(kader_miji)).count() == 0


@pytest.mark.parametrize(
    ("status", "changed_on", "field"),
    [
        ("closed", dt.date(2024, 1, 1), "status"),
        ("active", dt.date(2024, 1, 1), "status"),  # already active
        ("inactive", TODAY + dt.timedelta(days=1), "changed_on"),
    ],
)
def test_bad_status_changes_are_refused(lurah_miji, posyandu_miji, status, changed_on, field):
    with pytest.raises(DomainError) as caught:
        posyandu_set_status(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji, status=status,
                            changed_on=changed_on)
    assert field in caught.value.field_errors
    assert PosyanduStatusChange.objects.count() == 0


def test_a_status_change_cannot_be_dated_before_the_previous_one(lurah_miji, posyandu_miji):
    scope = scope_for(lurah_miji)
    posyandu_set_status(actor=lurah_miji, scope=scope, posyandu=posyandu_miji, status="inactive",
                        changed_on=dt.date(2024, 6, 1))
    with pytest.raises(DomainError) as caught:
        posyandu_set_status(actor=lurah_miji, scope=scope, posyandu=posyandu_miji, status="active",
                            changed_on=dt.date(2024, 5, 1))
    assert "changed_on" in caught.value.field_errors
    posyandu_miji.refresh_from_db()
    assert posyandu_miji.status == "inactive"


def test_status_outside_the_area_is_not_found(lurah_miji, posyandu_meri):
    with pytest.raises(NotInScope):
        posyandu_set_status(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_meri,
                            status="inactive", changed_on=TODAY)


# --- kader_add ----------------------------------------------------------------------------------

def test_kader_add_records_fields_once_and_sorted(lurah_miji, posyandu_miji):
    kader = kader_add(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji,
                      name=" Dewi   Lestari ", fields=["sosial", "kesehatan", "sosial"], phone="081234567890")
    assert (kader.name, kader.fields, kader.active) == ("Dewi Lestari", ["kesehatan", "sosial"], True)
    entry = AuditEntry.objects.get(action="posyandu.kader.added")
    assert entry.changes == {"name": "Dewi Lestari", "fields": ["kesehatan", "sosial"]}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "K" * 121}, "name"),
        ({"fields": []}, "fields"),
        ({"fields": ["kesehatan", "pertanian"]}, "fields"),
        ({"fields": "kesehatan"}, "fields"),
        ({"phone": "0" * 21}, "phone"),
        ({"sk_number": "s" * 81}, "sk_number"),
    ],
)
def test_kader_add_refuses_bad_input(lurah_miji, posyandu_miji, kwargs, field):
    kwargs = {"name": "Dewi Lestari", "fields": ["kesehatan"], **kwargs}
    with pytest.raises(DomainError) as caught:
        kader_add(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_miji, **kwargs)
    assert field in caught.value.field_errors
    assert Kader.objects.count() == 0


def test_kader_add_outside_the_area_is_not_found(lurah_miji, kader_miji, posyandu_meri, posyandu_miji):
    with pytest.raises(NotInScope):
        kader_add(actor=lurah_miji, scope=scope_for(lurah_miji), posyandu=posyandu_meri, name="Dewi",
                  fields=["kesehatan"])
    # A kader registers residents; the roster is kept by the board, the desa or the pembina.
    with pytest.raises(NotInScope):
        kader_add(actor=kader_miji, scope=scope_for(kader_miji), posyandu=posyandu_miji, name="Dewi",
                  fields=["kesehatan"])
    assert Kader.objects.count() == 0
