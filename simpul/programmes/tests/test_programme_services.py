"""programme_create/update, activity_record, participants_record, follow_up_record: guards, changes, audit."""

import datetime as dt

import pytest

from conftest import KRANGGAN, MIJI, MOJOKERTO, agency
from simpul.accounts.scope import scope_for
from simpul.audit.models import AuditEntry
from simpul.core.errors import DomainError, NotInScope
from simpul.programmes.models import FollowUp, Participation, Programme, ProgrammeActivity
from simpul.programmes.services import (
    ProgrammeInput,
    activity_record,
    follow_up_record,
    participants_record,
    programme_create,
    programme_update,
)
from simpul.programmes.tests.kit import desa_programme, family, today, years_ago


def data(**overrides) -> ProgrammeInput:
    values = {
        "owner_kind": "desa",
        "region_code": MIJI,
        "field": "sosial",
        "name": "Jumat Berkah",
        "kind": "social_aid",
        "start_date": today() - dt.timedelta(days=30),
        "target_rule": "lansia",
    }
    return ProgrammeInput(**{**values, **overrides})


@pytest.mark.django_db
def test_each_owner_creates_for_its_own_place(
    lurah_miji, kader_miji, posyandu_miji, pembina_mojokerto, opd_dinsos
):
    desa = programme_create(actor=lurah_miji, scope=scope_for(lurah_miji), data=data())
    assert (desa.region_id, desa.owner_kind, desa.target_rule) == (MIJI, "desa", "lansia")
    own = programme_create(
        actor=kader_miji,
        scope=scope_for(kader_miji),
        data=data(owner_kind="posyandu", posyandu_id=posyandu_miji.pk, region_code=""),
    )
    assert (own.posyandu_id, own.region_id) == (posyandu_miji.pk, MIJI)  # the area is the posyandu's desa
    tp = programme_create(
        actor=pembina_mojokerto,
        scope=scope_for(pembina_mojokerto),
        data=data(
            owner_kind="tp_posyandu",
            region_code=KRANGGAN,
            kind="empowerment_training",
            skill="Menjahit",
            target_rule="poor_women",
            target_params={"max_decile": 4},
        ),
    )
    assert tp.target_params == {"max_decile": 4}
    dinsos = agency(MOJOKERTO, "dinsos")
    opd = programme_create(
        actor=opd_dinsos,
        scope=scope_for(opd_dinsos),
        data=data(owner_kind="opd", region_code=MOJOKERTO, agency_id=dinsos.pk),
    )
    assert opd.agency_id == dinsos.pk
    assert AuditEntry.objects.filter(action="programmes.programme.created").count() == 4


@pytest.mark.django_db
def test_nobody_creates_outside_role_area_or_field(
    lurah_miji, kader_meri, posyandu_miji, opd_dinsos, opd_perkim, camat_kranggan, kader_jepara
):
    refused = [
        (kader_meri, data(owner_kind="posyandu", posyandu_id=posyandu_miji.pk)),  # another posyandu
        (lurah_miji, data(region_code="3576031003")),  # the next kelurahan
        (camat_kranggan, data(owner_kind="tp_posyandu", region_code=KRANGGAN)),  # camat is no owner
        (opd_perkim, data(owner_kind="opd", region_code=MOJOKERTO, agency_id=agency(MOJOKERTO, "perkim").pk)),
        (opd_dinsos, data(owner_kind="opd", region_code=MOJOKERTO, agency_id=agency(MOJOKERTO, "perkim").pk)),
        (kader_jepara, data(owner_kind="desa")),
    ]
    for user, values in refused:
        with pytest.raises(DomainError) as exc:
            programme_create(actor=user, scope=scope_for(user), data=values)
        assert exc.value.code == "forbidden", user
    assert not Programme.objects.exists()


@pytest.mark.django_db
def test_bad_input_gives_field_errors_and_writes_nothing(lurah_miji):
    bad = data(
        name=" ",
        kind="party",
        field="fun",
        end_date=today() - dt.timedelta(days=60),
        target_rule="age_range",
        target_params={"min_age": 30, "max_age": 20},
    )
    with pytest.raises(DomainError) as exc:
        programme_create(actor=lurah_miji, scope=scope_for(lurah_miji), data=bad)
    assert {"name", "kind", "field", "end_date"} <= set(exc.value.field_errors)
    with pytest.raises(DomainError) as exc:
        programme_create(
            actor=lurah_miji,
            scope=scope_for(lurah_miji),
            data=data(target_rule="age_range", target_params={"min_age": 30, "max_age": 20}),
        )
    assert "target_params" in exc.value.field_errors
    with pytest.raises(DomainError) as exc:
        programme_create(
            actor=lurah_miji, scope=scope_for(lurah_miji), data=data(kind="empowerment_training")
        )
    assert "skill" in exc.value.field_errors
    assert not Programme.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_update_by_the_owner_only(lurah_miji, kader_miji):
    programme = programme_create(actor=lurah_miji, scope=scope_for(lurah_miji), data=data())
    programme_update(
        actor=lurah_miji,
        scope=scope_for(lurah_miji),
        programme=programme,
        data=data(name="Jumat Berkah RW 04", status="finished"),
    )
    programme.refresh_from_db()
    assert (programme.name, programme.status) == ("Jumat Berkah RW 04", "finished")
    entry = AuditEntry.objects.get(action="programmes.programme.updated")
    assert entry.changes["name"] == ["Jumat Berkah", "Jumat Berkah RW 04"]
    with pytest.raises(NotInScope):  # the kader runs it but does not own it
        programme_update(
            actor=kader_miji, scope=scope_for(kader_miji), programme=programme, data=data(name="x")
        )


@pytest.mark.django_db
def test_activity_record_guards(kader_miji, kader_meri, posyandu_miji, posyandu_meri):
    programme, _first = desa_programme()
    scope = scope_for(kader_miji)
    activity = activity_record(
        actor=kader_miji,
        scope=scope,
        programme=programme,
        date=today(),
        kind="training",
        posyandu_id=posyandu_miji.pk,
        given="Cara membuat keripik",
    )
    assert activity.given == "Cara membuat keripik"
    with pytest.raises(DomainError) as exc:
        activity_record(
            actor=kader_miji,
            scope=scope,
            programme=programme,
            date=today() + dt.timedelta(days=1),
            kind="dance",
            posyandu_id=posyandu_meri.pk,
        )
    assert set(exc.value.field_errors) == {"date", "kind", "posyandu_id"}
    with pytest.raises(DomainError) as exc:
        activity_record(
            actor=kader_miji,
            scope=scope,
            programme=programme,
            date=programme.start_date - dt.timedelta(days=1),
            kind="training",
        )
    assert "date" in exc.value.field_errors
    with pytest.raises(NotInScope):  # Meri's kader does not run Miji's programme
        activity_record(
            actor=kader_meri, scope=scope_for(kader_meri), programme=programme, date=today(), kind="training"
        )
    assert ProgrammeActivity.objects.filter(programme=programme).count() == 2


@pytest.mark.django_db
def test_participants_and_follow_ups(kader_miji, kader_meri, posyandu_miji, posyandu_meri):
    programme, activity = desa_programme()
    miji = family(
        kader_miji,
        posyandu_miji,
        ("Mbah Darmo", "M", years_ago(70), "kepala"),
        ("Mbah Sumi", "F", years_ago(68), "istri"),
    )
    meri = family(kader_meri, posyandu_meri, ("Mbah Sri", "F", years_ago(80), "kepala"))
    darmo, sumi = miji.members.get(full_name="Mbah Darmo"), miji.members.get(full_name="Mbah Sumi")
    scope = scope_for(kader_miji)
    participants_record(
        actor=kader_miji,
        scope=scope,
        activity=activity,
        attendance={darmo.pk: "attended", sumi.pk: "delivered"},
        given={sumi.pk: "Sembako"},
    )
    # Recording again updates the same rows (one row per person and activity).
    rows = participants_record(
        actor=kader_miji, scope=scope, activity=activity, attendance={darmo.pk: "absent"}
    )
    assert not rows[0].attended
    assert dict(Participation.objects.values_list("person_id", "status")) == {
        darmo.pk: "absent",
        sumi.pk: "delivered",
    }
    with pytest.raises(DomainError):  # a person of another posyandu cannot be ticked here
        participants_record(
            actor=kader_miji, scope=scope, activity=activity, attendance={meri.members.get().pk: "attended"}
        )
    with pytest.raises(DomainError):
        participants_record(actor=kader_miji, scope=scope, activity=activity, attendance={darmo.pk: "maybe"})
    # What was given is said of someone on the list, and briefly; else refused, not silently dropped or cut.
    with pytest.raises(DomainError) as stray:
        participants_record(actor=kader_miji, scope=scope, activity=activity, attendance={darmo.pk: "attended"},
                            given={sumi.pk: "Sembako"})
    assert list(stray.value.field_errors) == ["given"] and str(sumi.pk) in stray.value.field_errors["given"][0]
    with pytest.raises(DomainError) as long:
        participants_record(actor=kader_miji, scope=scope, activity=activity, attendance={darmo.pk: "attended"},
                            given={darmo.pk: "beras " * 60})
    assert list(long.value.field_errors) == ["given"]
    assert dict(Participation.objects.values_list("person_id", "given")) == {darmo.pk: "", sumi.pk: "Sembako"}
    assert Participation.objects.count() == 2
    follow_up_record(
        actor=kader_miji,
        scope=scope,
        programme=programme,
        person_id=sumi.pk,
        date=today(),
        outcome="business_started",
        monthly_income=750_000,
        note="Warung kecil",
    )
    with pytest.raises(DomainError) as exc:  # Darmo was absent: not a participant
        follow_up_record(
            actor=kader_miji,
            scope=scope,
            programme=programme,
            person_id=darmo.pk,
            date=today(),
            outcome="trained",
        )
    assert "person_id" in exc.value.field_errors
    with pytest.raises(DomainError) as exc:
        follow_up_record(
            actor=kader_miji,
            scope=scope,
            programme=programme,
            person_id=sumi.pk,
            date=today() + dt.timedelta(days=1),
            outcome="rich",
        )
    assert set(exc.value.field_errors) == {"date", "outcome"}
    assert list(FollowUp.objects.values_list("outcome", "monthly_income")) == [("business_started", 750_000)]
    assert AuditEntry.objects.filter(action="programmes.participants.recorded").count() == 2
    assert AuditEntry.objects.filter(action="programmes.follow_up.recorded").count() == 1
