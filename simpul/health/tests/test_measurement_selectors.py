"""Who sees health detail: the kesehatan field with person access, never another field or agency."""

import datetime as dt

import pytest

from conftest import make_user
from simpul.accounts.roles import Role
from simpul.accounts.scope import scope_for
from simpul.core.errors import NotInScope, ScopeMissing
from simpul.health import selectors
from simpul.health.services import MeasurementInput, measurement_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighed(kader_miji, family_miji):
    child = family_miji.members.get(full_name="Aisyah Putri")
    return measurement_record(actor=kader_miji, scope=scope_for(kader_miji), person=child,
                              data=MeasurementInput(measured_on=dt.date(2025, 1, 14), weight_kg="8.9"))


@pytest.mark.parametrize("reader", ["kader_miji", "bidan_kranggan"])
def test_health_readers_of_the_place_see_the_measurement(request, weighed, reader):
    scope = scope_for(request.getfixturevalue(reader))
    assert list(selectors.measurements_for_person(scope, weighed.person)) == [weighed]
    assert list(selectors.measurements_visible(scope)) == [weighed]
    assert selectors.measurement_get(scope, weighed.pk) == weighed


@pytest.mark.parametrize("outsider", ["kader_meri", "kader_jepara", "opd_dinsos", "camat_kranggan",
                                      "pembina_mojokerto", "admin_user"])
def test_outsiders_see_nothing(request, weighed, outsider):
    scope = scope_for(request.getfixturevalue(outsider))
    assert not selectors.measurements_visible(scope).exists()
    with pytest.raises(NotInScope):
        selectors.measurement_get(scope, weighed.pk)
    with pytest.raises(NotInScope):
        selectors.measurements_for_person(scope, weighed.person)


def test_a_kader_of_another_field_sees_the_person_but_not_their_health(weighed, posyandu_miji):
    kader = make_user("kader.pendidikan", Role.KADER, posyandu=posyandu_miji, fields=["pendidikan"])
    scope = scope_for(kader)
    assert not selectors.measurements_visible(scope).exists()
    with pytest.raises(NotInScope):
        selectors.measurements_for_person(scope, weighed.person)


def test_a_health_kader_of_one_posyandu_and_education_kader_of_another(weighed, posyandu_meri, kader_meri):
    # kader_meri also holds education (not health) in Miji: still no health detail there.
    from simpul.accounts.models import Membership

    Membership.objects.create(user=kader_meri, role=Role.KADER, posyandu=weighed.posyandu, fields=["pendidikan"])
    assert not selectors.measurements_visible(scope_for(kader_meri)).exists()


def test_no_scope_is_an_error_not_everything(weighed):
    with pytest.raises(ScopeMissing):
        selectors.measurements_visible(None)
