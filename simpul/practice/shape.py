"""The posyandu's shape: residents per life stage, and topping up a workspace until it has about as many.

The demo generators draw households from the national age pyramid, so a workspace with as many households
as the real posyandu has about its number of residents, but a posyandu of young families (or of elders)
differs from the pyramid. Counted per life stage (:data:`simpul.registry.lifestage.LIFE_STAGE_BANDS`) on
the real posyandu — counts only, nothing about anyone — scaled down when the workspace is capped, and
made up with small synthetic households registered through the registry service.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter

from simpul.immunization.schedule import add_months
from simpul.registry.lifestage import LIFE_STAGE_BANDS, life_stage
from simpul.registry.models import Person

# A morning's worth of visitors even for a posyandu with few records yet.
MINIMUM = {"bayi": 2, "balita": 4, "lansia": 3}
OLDEST_MONTHS = 85 * 12


def stage_counts(people, today: dt.date) -> Counter:
    rows = people.filter(life_status=Person.LifeStatus.ALIVE, duplicate_of__isnull=True)
    return Counter(life_stage(birth, today) for birth in rows.values_list("birth_date", flat=True))


def targets(real: Counter, *, scale: float) -> dict[str, int]:
    """What the workspace should have per stage: the real count (scaled by the household cap), at least
    :data:`MINIMUM`."""
    return {
        code: max(round(real.get(code, 0) * scale), MINIMUM.get(code, 0)) for code, *_rest in LIFE_STAGE_BANDS
    }


def _born_in_band(rng: random.Random, code: str, today: dt.date) -> dt.date:
    low, high = next((lo, hi) for c, _label, lo, hi in LIFE_STAGE_BANDS if c == code)
    top = (high or OLDEST_MONTHS) - 2
    born = add_months(today, -rng.randint(low, max(low, top))) - dt.timedelta(days=rng.randint(1, 27))
    return born


def top_up(*, recorder, posyandu_id: int, wanted: dict[str, int], seed: int, today: dt.date) -> int:
    """Register households until every stage has what ``wanted`` asks; returns households added."""
    from simpul.accounts.scope import scope_for
    from simpul.demo import names
    from simpul.registry.services import HouseholdInput, PersonInput, household_register

    rng = random.Random(f"simpul-practice:{seed}")
    scope = scope_for(recorder)
    have = stage_counts(Person.objects.filter(posyandu_id=posyandu_id), today)
    added = 0
    for code, *_rest in LIFE_STAGE_BANDS:
        missing = wanted.get(code, 0) - have.get(code, 0)
        households = math.ceil(missing / 2) if code == "dewasa" else missing  # an adult comes as a couple
        for _ in range(max(households, 0)):
            born = _born_in_band(rng, code, today)
            if code in {"dewasa", "lansia"}:
                head = PersonInput(
                    full_name=names.person_name(rng, "M", born.year),
                    sex="M",
                    birth_date=born,
                    relationship="kepala",
                )
                wife_born = born + dt.timedelta(days=rng.randint(0, 1500))
                if life_stage(wife_born, today) != code:
                    wife_born = born
                members = [head]
                if code == "dewasa" or rng.random() < 0.5:  # half of the elders live alone
                    members.append(
                        PersonInput(
                            full_name=names.person_name(rng, "F", wife_born.year),
                            sex="F",
                            birth_date=wife_born,
                            relationship="istri",
                        )
                    )
            else:
                mother_born = dt.date(born.year - rng.randint(20, 34), rng.randint(1, 12), rng.randint(1, 28))
                father_born = mother_born - dt.timedelta(days=rng.randint(300, 2500))
                mother = names.person_name(rng, "F", mother_born.year)
                sex = rng.choice("MF")
                members = [
                    PersonInput(
                        full_name=names.person_name(rng, "M", father_born.year),
                        sex="M",
                        birth_date=father_born,
                        relationship="kepala",
                    ),
                    PersonInput(full_name=mother, sex="F", birth_date=mother_born, relationship="istri"),
                    PersonInput(
                        full_name=names.person_name(rng, sex, born.year),
                        sex=sex,
                        birth_date=born,
                        relationship="anak",
                        mother_name=mother,
                    ),
                ]
            household_register(
                actor=recorder,
                scope=scope,
                data=HouseholdInput(
                    posyandu_id=posyandu_id,
                    address=f"Jl. {rng.choice(names.STREETS)} No. {rng.randint(1, 120)}",
                    rt=f"{rng.randint(1, 6):03d}",
                    rw="001",
                    members=members,
                ),
            )
            added += 1
    return added
