"""Demo screenings of adults and elderly at the demo kader's posyandu, through the real service.

Each demo kader's posyandu gets a handful of adults and elderly screened on a posyandu day of the past
months, with a few findings on purpose: two adults with high blood pressure, one with random glucose
≥ 200 mg/dL and one elder who needs help with daily activities. Client UUIDs are derived from the seed,
the person and the day, so running it again stores nothing new.

For the whole city, :func:`year_of_screenings` writes in bulk a year of screening and of the monthly checks
of those found with high blood pressure or glucose.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from simpul.accounts.roles import Perm
from simpul.accounts.scope import scope_for
from simpul.core.errors import DomainError
from simpul.demo.health_history import DEMO_KADER
from simpul.registry.lifestage import age_in_months, life_stage
from simpul.registry.models import Person
from simpul.screening import rules
from simpul.screening import services as screening_services
from simpul.screening.models import Screening
from simpul.screening.services import ScreeningInput, screening_record

JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
NAMESPACE = uuid.UUID("6f1c2a8e-3b7d-4d3e-9a51-0c2f7b9e5d11")
ADULTS_PER_POSYANDU = 10
ELDERLY_PER_POSYANDU = 5
INDEPENDENT = {name: max(scores) for name, scores in rules.BARTHEL_ITEMS}
# Needs help walking, with stairs, bathing and dressing: 20 − 2 − 2 − 1 − 1 = 14 (mild dependence).
DEPENDENT = {**INDEPENDENT, "adl_mobility": 1, "adl_stairs": 0, "adl_bathing": 0, "adl_dressing": 1}


def _screening_day(today: dt.date, months_back: int) -> dt.date:
    year, month = today.year, today.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    day = dt.date(year, month, 10)
    return day if day < today else day - dt.timedelta(days=31)


def _values(person: Person, stage: str, rng: random.Random, *, role: str) -> ScreeningInput:
    male = person.sex == "M"
    height = round(rng.gauss(165 if male else 153, 5), 1)
    bmi = rng.uniform(19.5, 27.5)
    systolic, diastolic = rng.randint(108, 134), rng.randint(68, 84)
    glucose = rng.randint(85, 160)
    if role == "hypertension_1":
        systolic, diastolic = 152, 96
    elif role == "hypertension_2":
        systolic, diastolic = 164, 102
    elif role == "glucose":
        glucose = 232
    data = ScreeningInput(
        screened_on=None,
        weight_kg=round(bmi * (height / 100) ** 2, 1), height_cm=height,
        waist_cm=round(rng.gauss(84 if male else 79, 6), 1),
        systolic=systolic, diastolic=diastolic, glucose_mg_dl=glucose,
        haemoglobin_g_dl=None if male else round(rng.gauss(12.8, 0.9), 1),
        smoking=rng.choice(["yes", "no", "no"]) if male else "no",
    )
    if stage == "lansia":
        data.adl = dict(DEPENDENT if role == "dependent" else INDEPENDENT)
    return data


def seed_demo(*, seed: int, today: dt.date) -> int:
    """Screen some adults and elderly of each demo kader's posyandu; returns the screenings stored now."""
    rng = random.Random(seed)
    stored = 0
    for username in DEMO_KADER:
        kader = get_user_model().objects.filter(username=username).first()
        if kader is None:
            continue
        scope = scope_for(kader)
        for posyandu_id in scope.posyandu_ids(Perm.RECORD_HEALTH):
            people = Person.objects.filter(posyandu_id=posyandu_id, life_status=Person.LifeStatus.ALIVE,
                                           duplicate_of__isnull=True).order_by("birth_date", "pk")
            adults, elderly = [], []
            for person in people:
                stage = life_stage(person.birth_date, today)
                if stage == "dewasa" and len(adults) < ADULTS_PER_POSYANDU:
                    adults.append(person)
                elif stage == "lansia" and len(elderly) < ELDERLY_PER_POSYANDU:
                    elderly.append(person)
            roles = {0: "hypertension_1", 1: "hypertension_2", 2: "glucose"}
            plan = [(p, "dewasa", roles.get(i, "")) for i, p in enumerate(adults)]
            plan += [(p, "lansia", "dependent" if i == 0 else "") for i, p in enumerate(elderly)]
            for person, stage, role in plan:
                day = _screening_day(today, rng.randint(1, 4))
                if life_stage(person.birth_date, day) != stage:
                    continue
                data = _values(person, stage, rng, role=role)
                data.screened_on = day
                data.client_uuid = uuid.uuid5(NAMESPACE, f"{seed}:{person.client_uuid}:{day.isoformat()}")
                if Screening.objects.filter(client_uuid=data.client_uuid).exists():
                    continue
                try:
                    screening_record(actor=kader, scope=scope, person=person, data=data,
                                     now=dt.datetime.combine(day, dt.time(10), tzinfo=JAKARTA))
                except DomainError:
                    continue
                stored += 1
    return stored


# --- A year of screening for the whole city, in bulk ----------------------------------------------------

HYPERTENSION_SHARE = 0.08  # of those screened from 15 years: found with blood pressure >= 140/90
HYPERGLYCAEMIA_SHARE = 0.03  # found with random glucose >= 200 mg/dL (dewasa and lansia only)


@dataclass
class ScreeningYear:
    screenings: int = 0
    hypertension: int = 0
    hyperglycaemia: int = 0


def year_of_screenings(city, *, dependent_elder: Person | None = None) -> ScreeningYear:
    """Screening of the residents from 15 years (``kes.usia_produktif``, ``kes.usia_lanjut``) on a posyandu
    day of this year, and the monthly checks of those it found with high blood pressure or glucose
    (``kes.hipertensi``, ``kes.diabetes``) from the month after.

    Residents already screened this year (by the demo kader, through the service) are left alone. The values
    go through the service's own validation and derivation (stage, BMI, Barthel category, flags), without its
    per-row save and audit. ``dependent_elder``, an elder living alone, scores mild dependence on the Barthel
    index (an early warning for Dinsos). An area's unserved people are not screened, or — found with a
    flag — miss one month of checks.
    """
    screened = set(Screening.objects.filter(person__desa__code__startswith=city.region, screened_on__gte=city.start)
                   .values_list("person_id", flat=True))
    rows, result = [], ScreeningYear()
    months = list(range(1, city.today.month + 1))
    now = dt.datetime.combine(city.today, dt.time(12), tzinfo=JAKARTA)
    for person in city.people:
        years = age_in_months(person.birth_date, city.today) // 12
        if person.pk in screened or years < 15:
            continue
        indicator = "kes.usia_lanjut" if years >= 60 else "kes.usia_produktif"
        if not city.served(indicator, person.posyandu_id) and person is not dependent_elder:
            continue
        rng = random.Random(f"{city.seed}:screening:{person.client_uuid}")
        first = rng.choice(months)
        stage = life_stage(person.birth_date, city.weighing_day(first))
        roll = rng.random()
        role = ""
        if stage != "remaja" and roll < HYPERTENSION_SHARE:
            role = "hypertension_1"
        elif stage != "remaja" and roll < HYPERTENSION_SHARE + HYPERGLYCAEMIA_SHARE:
            role = "glucose"
        if person is dependent_elder:
            role = "dependent"
        row = _bulk_row(city, person, city.weighing_day(first), rng, role=role, now=now)
        if row is None:
            continue
        rows.append(row)
        flag = {"hypertension_1": "kes.hipertensi", "glucose": "kes.diabetes"}.get(role)
        if flag is None:
            continue
        setattr(result, "hypertension" if role == "hypertension_1" else "hyperglycaemia",
                getattr(result, "hypertension" if role == "hypertension_1" else "hyperglycaemia") + 1)
        follow = [m for m in months if m > first]
        if follow and not city.served(flag, person.posyandu_id):
            follow.remove(rng.choice(follow))  # one month without a check
        for month in follow:
            check = _bulk_row(city, person, city.weighing_day(month), rng, role="check_" + role, now=now)
            if check is not None:
                rows.append(check)
    Screening.objects.bulk_create(rows, batch_size=1000)
    result.screenings = len(rows)
    return result


def _bulk_row(city, person: Person, day: dt.date, rng: random.Random, *, role: str, now) -> Screening | None:
    stage = life_stage(person.birth_date, day)
    if role.startswith("check_"):
        # A monthly check: blood pressure (and glucose for those found with it), nothing else.
        if role == "check_glucose":
            data = ScreeningInput(screened_on=day, systolic=rng.randint(112, 134), diastolic=rng.randint(70, 84),
                                  glucose_mg_dl=rng.randint(140, 230))
        else:
            data = ScreeningInput(screened_on=day, systolic=rng.randint(126, 146), diastolic=rng.randint(78, 92))
    else:
        data = _values(person, stage, rng, role=role)
        data.screened_on = day
        allowed = set(rules.fields_for(stage, person.sex))
        for name in ("waist_cm", "glucose_mg_dl", "haemoglobin_g_dl", "smoking"):
            if name not in allowed:
                setattr(data, name, "unknown" if name == "smoking" else None)
        if role == "dependent":
            data.adl = dict(DEPENDENT)
    try:
        values = screening_services._clean(person, data, today=city.today)
    except DomainError:
        return None
    return Screening(client_uuid=uuid.uuid5(NAMESPACE, f"{city.seed}:{person.client_uuid}:{day.isoformat()}"),
                     person_id=person.pk, posyandu_id=person.posyandu_id, desa_id=person.desa_id,
                     recorded_by=city.recorder, created_at=dt.datetime.combine(day, dt.time(10), tzinfo=JAKARTA),
                     **values, **screening_services._computed(person, values, now=now))
