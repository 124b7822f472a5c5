"""Who may reach what: grants by posyandu or by region prefix, failing closed."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from conftest import JEPARA, KRANGGAN, MERI, MIJI, MOJOKERTO, make_user, register_family
from simpul.accounts.models import Membership
from simpul.accounts.roles import Perm, Role
from simpul.accounts.scope import Grant, Scope, require_scope, scope_for
from simpul.core.choices import ALL_FIELDS
from simpul.core.errors import NotInScope, ScopeMissing
from simpul.posyandu.models import Posyandu
from simpul.posyandu.selectors import posyandu_get, posyandu_registrable, posyandu_visible
from simpul.registry.models import Household, Person
from simpul.registry.selectors import household_get, households_visible, person_get, persons_visible


@pytest.fixture
def families(kader_miji, posyandu_miji, kader_meri, posyandu_meri, kader_jepara, posyandu_jepara):
    return {
        "miji": register_family(kader_miji, posyandu_miji, head="Budi Miji"),
        "meri": register_family(kader_meri, posyandu_meri, head="Joko Meri"),
        "jepara": register_family(kader_jepara, posyandu_jepara, head="Slamet Jepara"),
    }


def heads(qs):
    return sorted(qs.values_list("head_name", flat=True))


def test_require_scope_refuses_none():
    with pytest.raises(ScopeMissing):
        require_scope(None)


@pytest.mark.parametrize("selector", [persons_visible, households_visible, posyandu_visible, posyandu_registrable])
def test_selectors_refuse_to_run_without_a_scope(db, selector):
    with pytest.raises(ScopeMissing):
        selector(None)


def test_an_anonymous_user_has_no_scope():
    with pytest.raises(ScopeMissing):
        scope_for(AnonymousUser())
    with pytest.raises(ScopeMissing):
        scope_for(None)


def test_a_scope_without_grants_sees_nothing(families):
    nobody = get_user_model().objects.create_user(username="nobody", password="kata-sandi-uji-123")
    scope = scope_for(nobody)
    assert scope.grants == ()
    assert Person.objects.count() == 9
    assert persons_visible(scope).count() == 0
    assert households_visible(scope).count() == 0
    assert posyandu_visible(scope).count() == 0
    assert scope.q(Perm.VIEW_PERSON) is None
    with pytest.raises(NotInScope):
        household_get(scope, families["miji"].pk)


def test_a_kader_is_scoped_to_her_posyandu(families, kader_miji, posyandu_miji):
    scope = scope_for(kader_miji)
    assert scope.grants == (Grant(role=Role.KADER, region_prefix=None, posyandu_id=posyandu_miji.pk,
                                  fields=ALL_FIELDS),)
    assert heads(households_visible(scope)) == ["Budi Miji"]
    assert persons_visible(scope).count() == 3
    assert set(persons_visible(scope).values_list("posyandu_id", flat=True)) == {posyandu_miji.pk}
    assert list(posyandu_visible(scope)) == [posyandu_miji]
    assert household_get(scope, families["miji"].pk) == families["miji"]
    for other in ("meri", "jepara"):
        with pytest.raises(NotInScope):
            household_get(scope, families[other].pk)
        with pytest.raises(NotInScope):
            person_get(scope, families[other].members.first().pk)


def test_a_kader_grant_does_not_reach_another_posyandu_in_the_same_desa(families, kader_miji, posyandu_miji):
    second = Posyandu.objects.create(desa_id=MIJI, name="Posyandu Kedua Miji")
    scope = scope_for(kader_miji)
    assert scope.allows(Perm.REGISTER, desa_code=MIJI, posyandu_id=posyandu_miji.pk)
    assert not scope.allows(Perm.REGISTER, desa_code=MIJI, posyandu_id=second.pk)
    assert not scope.allows(Perm.REGISTER, desa_code=MIJI)


def test_a_lurah_sees_every_posyandu_of_the_desa_and_nothing_next_door(families, lurah_miji, posyandu_miji):
    second = Posyandu.objects.create(desa_id=MIJI, name="Posyandu Kedua Miji")
    scope = scope_for(lurah_miji)
    assert heads(households_visible(scope)) == ["Budi Miji"]
    assert set(posyandu_visible(scope)) == {posyandu_miji, second}
    assert scope.allows(Perm.VIEW_PERSON, desa_code=MIJI, posyandu_id=second.pk)
    assert not scope.allows(Perm.VIEW_PERSON, desa_code=MERI)
    # A lurah oversees; registering is the kader's job.
    assert not scope.can(Perm.REGISTER)
    assert posyandu_registrable(scope).count() == 0


def test_a_camat_sees_posyandu_and_aggregates_of_the_kecamatan_but_no_names(families, camat_kranggan):
    scope = scope_for(camat_kranggan)
    assert scope.region_prefixes(Perm.VIEW_POSYANDU) == [KRANGGAN]
    assert set(posyandu_visible(scope).values_list("desa_id", flat=True)) == {MIJI, MERI}
    assert persons_visible(scope).count() == 0
    assert households_visible(scope).count() == 0
    assert scope.allows(Perm.VIEW_AGGREGATES, desa_code=MERI)
    assert not scope.allows(Perm.VIEW_AGGREGATES, desa_code=families["jepara"].desa_id)


def test_a_pembina_sees_every_posyandu_of_the_city_only(families, pembina_mojokerto):
    scope = scope_for(pembina_mojokerto)
    assert posyandu_visible(scope).count() == 2
    assert not posyandu_visible(scope).filter(desa__code__startswith=JEPARA).exists()
    assert persons_visible(scope).count() == 0


def test_a_nakes_sees_persons_of_the_kecamatan_with_health_fields_only(families, bidan_kranggan):
    scope = scope_for(bidan_kranggan)
    assert heads(households_visible(scope)) == ["Budi Miji", "Joko Meri"]
    assert scope.fields_at(desa_code=MIJI) == frozenset({"kesehatan"})
    assert not scope.can(Perm.REGISTER)


@pytest.mark.parametrize("persona", ["opd_dinsos", "admin_user"])
def test_opd_and_admin_cannot_view_persons(request, families, persona):
    scope = scope_for(request.getfixturevalue(persona))
    assert not scope.can(Perm.VIEW_PERSON)
    assert persons_visible(scope).count() == 0
    assert households_visible(scope).count() == 0
    with pytest.raises(NotInScope):
        person_get(scope, families["miji"].members.first().pk)
    with pytest.raises(NotInScope):
        household_get(scope, families["miji"].pk)


def test_the_admin_manages_users_but_reaches_no_place(admin_user):
    scope = scope_for(admin_user)
    assert scope.can(Perm.MANAGE_USERS)
    assert scope.fields_at(desa_code=MIJI) == frozenset()
    assert not scope.allows(Perm.VIEW_POSYANDU, desa_code=MIJI)


def test_inactive_memberships_grant_nothing(families, kader_miji):
    Membership.objects.filter(user=kader_miji).update(active=False)
    scope = scope_for(kader_miji)
    assert scope.grants == ()
    assert persons_visible(scope).count() == 0


def test_grants_of_several_memberships_add_up(families, posyandu_miji, posyandu_meri):
    user = make_user("kader.dua", Role.KADER, posyandu=posyandu_miji, fields=["kesehatan"])
    Membership.objects.create(user=user, role=Role.KADER, posyandu=posyandu_meri, fields=["sosial"])
    scope = scope_for(user)
    assert heads(households_visible(scope)) == ["Budi Miji", "Joko Meri"]
    assert scope.posyandu_ids(Perm.REGISTER) == [posyandu_miji.pk, posyandu_meri.pk]
    assert scope.fields_at(desa_code=MIJI, posyandu_id=posyandu_miji.pk) == frozenset({"kesehatan"})
    assert scope.fields_at(desa_code=MERI, posyandu_id=posyandu_meri.pk) == frozenset({"sosial"})


def test_fields_at_depends_on_the_place(bidan_kranggan, opd_dinsos):
    assert scope_for(opd_dinsos).fields_at(desa_code=MIJI) == frozenset({"sosial"})
    assert scope_for(opd_dinsos).fields_at(desa_code="3320012001") == frozenset()
    assert scope_for(bidan_kranggan).fields_at(desa_code="3576011003") == frozenset()


def test_fields_at_with_a_permission_ignores_grants_without_it(posyandu_miji):
    user = make_user("kader.opd", Role.KADER, posyandu=posyandu_miji, fields=["kesehatan"])
    Membership.objects.create(user=user, role=Role.OPD, region_id=MOJOKERTO, fields=["sosial"])
    scope = scope_for(user)
    assert scope.fields_at(desa_code=MIJI, posyandu_id=posyandu_miji.pk) == frozenset({"kesehatan", "sosial"})
    assert scope.fields_at(desa_code=MIJI, posyandu_id=posyandu_miji.pk, perm=Perm.VIEW_PERSON) == frozenset(
        {"kesehatan"})


def test_government_roles_without_fields_oversee_all_fields_but_kader_do_not(posyandu_miji):
    lurah = make_user("lurah.tanpa", Role.DESA, region=MIJI, fields=[])
    kader = make_user("kader.tanpa", Role.KADER, posyandu=posyandu_miji, fields=[])
    assert scope_for(lurah).fields_at(desa_code=MIJI) == ALL_FIELDS
    assert scope_for(kader).fields_at(desa_code=MIJI, posyandu_id=posyandu_miji.pk) == frozenset()


def test_unknown_field_codes_are_dropped(posyandu_miji):
    user = make_user("kader.aneh", Role.KADER, posyandu=posyandu_miji, fields=["kesehatan", "rahasia"])
    assert scope_for(user).fields_at(desa_code=MIJI, posyandu_id=posyandu_miji.pk) == frozenset({"kesehatan"})


def test_require_raises_not_in_scope_outside_the_grant(kader_miji, posyandu_miji, posyandu_meri):
    scope = scope_for(kader_miji)
    scope.require(Perm.REGISTER, desa_code=MIJI, posyandu_id=posyandu_miji.pk)
    with pytest.raises(NotInScope) as caught:
        scope.require(Perm.REGISTER, desa_code=MERI, posyandu_id=posyandu_meri.pk)
    assert caught.value.code == "not_found"
    with pytest.raises(NotInScope):
        posyandu_get(scope, posyandu_meri.pk)


def test_filter_uses_the_named_columns(families, camat_kranggan):
    scope = Scope(user_id=0, grants=(Grant(role=Role.KADER, region_prefix=KRANGGAN, posyandu_id=None,
                                           fields=ALL_FIELDS),))
    qs = scope.filter(Person.objects.all(), Perm.VIEW_PERSON, region_field="household__desa__code")
    assert qs.count() == 6
    assert scope.filter(Household.objects.all(), Perm.MANAGE_USERS).count() == 0
