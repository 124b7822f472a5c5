"""The programmes of the demo city: Jumat Berkah and the women's training have activities, participants and
follow-ups; reach is partial, so TP Posyandu's not-reached list has people in it; seeding twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import KRANGGAN, MIJI
from simpul.accounts.scope import scope_for
from simpul.demo.accounts import demo_accounts_ensure, first_posyandu
from simpul.demo.seeding import households_split, region_seed, villages_under
from simpul.programmes import demo, selectors
from simpul.programmes.models import FollowUp, Participation, Programme
from simpul.registry.models import Household, HouseholdCondition


@pytest.mark.django_db
def test_demo_programmes(django_user_model):
    villages = villages_under(KRANGGAN)
    region_seed(
        region_code=KRANGGAN, seed=7, households=households_split(villages, total=150, seed=7), workers=1
    )
    demo_accounts_ensure()
    today = timezone.localdate()
    # demo_load surveys the households of kader.miji's posyandu before (referrals.demo); so do we here.
    for household in Household.objects.filter(posyandu=first_posyandu(MIJI)):
        HouseholdCondition.objects.create(
            household=household,
            observed_on=today - dt.timedelta(days=40),
            house="layak",
            water_source="sumur_bor",
            sanitation="sendiri_septik",
        )
    assert demo.seed_demo(today=today, seed=7) > 10
    jumat = Programme.objects.get(name=demo.JUMAT_BERKAH)
    training = Programme.objects.get(name=demo.TRAINING)
    assert (jumat.owner_kind, jumat.region_id, training.owner_kind, training.region_id) == (
        "tp_posyandu",
        KRANGGAN,
        "desa",
        MIJI,
    )
    assert jumat.activities.count() >= 10 and training.activities.count() == 4
    assert Participation.objects.filter(activity__programme=jumat, attended=True).exists()
    assert Participation.objects.filter(activity__programme=training, attended=True).exists()
    assert FollowUp.objects.filter(
        programme=training, outcome__in=["business_started", "income_improved"]
    ).exists()
    # Every surveyed household was asked, copying its survey: no SPM figure moves.
    asked = HouseholdCondition.objects.exclude(earners="")
    assert asked.count() == Household.objects.filter(posyandu=first_posyandu(MIJI)).count()
    assert set(asked.values_list("water_source", "observed_on")) == {("sumur_bor", today)}
    reach = selectors.reach(jumat)
    assert 0 < reach.total.reached < reach.total.eligible  # meaningful: some reached, some missed
    assert reach.by == "desa" and any(row.reached == 0 and row.eligible for row in reach.rows)
    pembina = django_user_model.objects.get(username="pembina")
    missed = selectors.not_reached(scope_for(pembina), jumat)
    assert missed.total == reach.total.eligible - reach.total.reached and not missed.names_visible
    assert demo.seed_demo(today=today, seed=7) == 0
