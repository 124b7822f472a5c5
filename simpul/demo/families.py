"""Synthetic households (Kartu Keluarga) whose members add up to Indonesia's age pyramid.

A household is built the way families are: a head, usually a wife a few years
younger, children born to the mother between about 19 and 43 at intervals of
two to five years, grown children leaving home in their twenties, sometimes an
elderly parent or a married child with grandchildren, and some elders living
alone. The head's age is drawn with *headship* weights calibrated (see
``bench/calibrate_pyramid.py``) so that the members, all together, match
:data:`simpul.demo.pyramid.AGE_BANDS` within about 0.3 percentage points per band, with
about 3.0 members per household (Indonesia has about 3.1 people per KK).

Everything here is pure Python on a ``random.Random``: no database, no clock.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate

from simpul.demo.pyramid import OLDEST, birth_date_for_age
from simpul.demo.rand import choice, randint


@dataclass(slots=True)
class Member:
    relationship: str  # Person.Relationship code
    sex: str
    age: int
    birth_date: dt.date = dt.date.min
    birth_date_estimated: bool = False
    name: str = ""
    mother: Member | None = field(default=None, repr=False)  # when the mother lives in the household


# Headship weights by age band of the head (first age, weight); calibrated, see the module docstring.
HEAD_AGE_WEIGHTS: tuple[tuple[int, float], ...] = (
    (20, 2.69), (25, 9.43), (30, 12.32), (35, 13.15), (40, 12.5), (45, 11.54), (50, 10.14), (55, 8.35),
    (60, 6.49), (65, 4.85), (70, 2.73), (75, 1.47), (80, 0.73),
)
# How many children a mother has had (completed or so far), before age filtering.
CHILDREN_EVER = ((0, 0.08), (1, 0.21), (2, 0.36), (3, 0.21), (4, 0.09), (5, 0.05))


def _cumulative(pairs):
    values = [v for v, _w in pairs]
    return values, list(accumulate(w for _v, w in pairs))


_HEAD_BANDS, _HEAD_CUM = _cumulative(HEAD_AGE_WEIGHTS)
_CHILDREN, _CHILDREN_CUM = _cumulative(CHILDREN_EVER)


def _pick(values, cumulative, rng: random.Random):
    return values[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]


def _head_age(rng: random.Random) -> int:
    band = _pick(_HEAD_BANDS, _HEAD_CUM, rng)
    top = OLDEST if band == _HEAD_BANDS[-1] else band + 4
    return randint(rng, band, top)


def _stays_home(rng: random.Random, age: int) -> bool:
    """Grown children leave: all minors stay, fewer and fewer after 18."""
    if age < 18:
        return True
    if age < 22:
        return rng.random() < 0.8
    if age < 26:
        return rng.random() < 0.5
    if age < 31:
        return rng.random() < 0.15
    return False


def _children(rng: random.Random, mother_age: int) -> list[int]:
    """Ages of the mother's children who still live at home, eldest first."""
    count = _pick(_CHILDREN, _CHILDREN_CUM, rng)
    ages = []
    at = randint(rng, 19, 28)  # mother's age at first birth
    for _ in range(count):
        if at > 43 or at > mother_age:
            break
        child_age = mother_age - at
        if _stays_home(rng, child_age):
            ages.append(child_age)
        at += randint(rng, 2, 5)
    return ages


def household_members(rng: random.Random) -> list[Member]:
    """One household: its members with relationship, sex and age (birth dates are set by the caller)."""
    roll = rng.random()
    if roll < 0.045:
        # An elder living alone, more often a widow.
        return [Member("kepala", "F" if rng.random() < 0.7 else "M", randint(rng, 60, OLDEST - 5))]
    if roll < 0.075:
        # A young adult on their own (a migrant worker, a student).
        return [Member("kepala", "M" if rng.random() < 0.6 else "F", randint(rng, 19, 34))]

    head_age = _head_age(rng)
    members: list[Member] = []
    if roll < 0.22 or (head_age >= 65 and rng.random() < 0.35):
        # A woman-headed household: widowed or divorced.
        head = Member("kepala", "F", head_age)
        mother = head
        members.append(head)
    else:
        head = Member("kepala", "M", head_age)
        wife_age = max(18, min(head_age + 4, head_age - round(rng.gauss(3.5, 3.0))))
        mother = Member("istri", "F", wife_age)
        members += [head, mother]

    for child_age in _children(rng, mother.age):
        members.append(Member("anak", "M" if rng.random() < 0.51 else "F", child_age, mother=mother))

    grown = [m for m in members if m.relationship == "anak" and m.age >= 21]
    if grown and rng.random() < 0.3:
        # A married child still living with the parents, and their small children.
        child = choice(rng, grown)
        spouse_sex = "F" if child.sex == "M" else "M"
        spouse_age = max(18, child.age + (-2 if spouse_sex == "F" else 2) + randint(rng, -2, 2))
        spouse = Member("menantu", spouse_sex, spouse_age)
        members.append(spouse)
        young_mother = child if child.sex == "F" else spouse
        for grandchild_age in _children(rng, young_mother.age):
            if grandchild_age < 18:
                members.append(Member("cucu", "M" if rng.random() < 0.51 else "F", grandchild_age, mother=young_mother))

    if head_age < 50 and rng.random() < 0.12:
        # An elderly parent (or parent-in-law) who moved in.
        elder_age = min(OLDEST, head_age + randint(rng, 23, 34))
        relationship = "orang_tua" if rng.random() < 0.5 else "mertua"
        members.append(Member(relationship, "F" if rng.random() < 0.65 else "M", elder_age))
    if rng.random() < 0.03:
        # A niece or nephew from the village, at school here.
        members.append(Member("famili_lain", "M" if rng.random() < 0.5 else "F", randint(rng, 10, 22)))
    return members


def set_birth_dates(rng: random.Random, members: list[Member], today: dt.date) -> None:
    """Turn ages into birth dates; elders born before 1960 often only know the year."""
    for member in members:
        member.birth_date = birth_date_for_age(rng, member.age, today)
        if member.birth_date.year < 1960 and rng.random() < 0.3:
            # Dukcapil records an unknown day as 1 July of the (estimated) year.
            member.birth_date = dt.date(member.birth_date.year, 7, 1)
            member.birth_date_estimated = True
