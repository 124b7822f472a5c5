"""A visitor's group on the day: the ILP life stage, with pregnancy and nifas first (a pregnant
adolescent is served as a pregnant woman). Derived, never typed in."""

from __future__ import annotations

import datetime as dt

from simpul.registry.lifestage import life_stage
from simpul.serviceday.models import Group

STAGE_GROUP = {
    "bayi": Group.CHILD, "balita": Group.CHILD, "apras": Group.PRESCHOOL, "usia_sekolah": Group.SCHOOL_AGE,
    "remaja": Group.ADOLESCENT, "dewasa": Group.ADULT, "lansia": Group.ELDERLY,
}
# Groups the posyandu expects every month: who is missing from them goes on the home-visit list.
EXPECTED_MONTHLY = (Group.CHILD, Group.PREGNANT, Group.POSTPARTUM)


def group_on(person, on: dt.date, *, pregnant_ids: set[int], nifas_ids: set[int]) -> str | None:
    if person.pk in pregnant_ids:
        return Group.PREGNANT
    if person.pk in nifas_ids:
        return Group.POSTPARTUM
    stage = life_stage(person.birth_date, on, life_status=person.life_status)
    return STAGE_GROUP.get(stage) if stage else None
