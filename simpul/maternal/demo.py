"""Pregnancies for the demo: a few mothers-to-be at each demo kader's posyandu, and one new mother.

Recorded through the real services as the kader (so every date and value passes the same checks a
kader's entry would): per posyandu, three women aged 20-40 from the registry get an ongoing pregnancy in
trimester I, II and III with antenatal visits (one with KEK, LiLA 22.5 cm; one with high blood pressure,
145/92), and a fourth delivered ten days ago with a nifas visit. Does nothing once pregnancies exist.

For the whole city, :func:`year_of_births` writes in bulk the delivered pregnancies of this year's babies'
mothers with their antenatal visits (``kes.ibu_hamil``).
"""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from decimal import Decimal

from django.contrib.auth import get_user_model

from simpul.accounts.roles import Perm
from simpul.accounts.scope import scope_for
from simpul.core.choices import Sex
from simpul.core.errors import DomainError
from simpul.maternal.models import AncVisit, Pregnancy
from simpul.maternal.rules import hpl_from_hpht, trimester_of
from simpul.maternal.services import (
    AncVisitInput,
    NifasVisitInput,
    PregnancyInput,
    anc_visit_record,
    nifas_visit_record,
    pregnancy_close,
    pregnancy_register,
)
from simpul.registry.models import Person

DEMO_KADER = ("kader.miji", "kader.meri")  # as simpul.demo.health_history
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")

# Per woman: days from HPHT to today, days before today it was recorded, visits as
# (days before today, examiner, values), and for the new mother the delivery and nifas visit.
PLANS = (
    {  # trimester II (day 150), KEK
        "hpht_days": 150, "registered": 100, "gpa": (2, 1, 0),
        "visits": [(100, "doctor", {"weight_kg": "47.0", "muac_cm": "22.5", "systolic": 110, "diastolic": 70,
                                    "iron_tablets": 30}),
                   (20, "kader", {"weight_kg": "49.5", "muac_cm": "22.5", "iron_tablets": 30, "pmt_given": True})],
    },
    {  # trimester III (day 230), high blood pressure at the last visit
        "hpht_days": 230, "registered": 200, "gpa": (3, 2, 0),
        "visits": [(200, "doctor", {"weight_kg": "55.0", "muac_cm": "25.5", "systolic": 118, "diastolic": 76}),
                   (150, "bidan", {"weight_kg": "57.0", "systolic": 120, "diastolic": 80, "iron_tablets": 30}),
                   (100, "bidan", {"weight_kg": "59.5", "systolic": 122, "diastolic": 80, "iron_tablets": 30}),
                   (60, "bidan", {"weight_kg": "61.0", "systolic": 128, "diastolic": 84, "iron_tablets": 30}),
                   (10, "kader", {"weight_kg": "63.0", "muac_cm": "26.0", "systolic": 145, "diastolic": 92})],
    },
    {  # trimester I (day 70), first visit two weeks ago
        "hpht_days": 70, "registered": 14, "gpa": (1, 0, 0),
        "visits": [(14, "bidan", {"weight_kg": "52.0", "muac_cm": "25.0", "systolic": 110, "diastolic": 70,
                                  "iron_tablets": 30})],
    },
    {  # delivered ten days ago (day 280), nifas visit on day 3
        "hpht_days": 290, "registered": 250, "gpa": (2, 1, 0), "delivered": 10,
        "visits": [(250, "doctor", {"weight_kg": "50.0", "muac_cm": "24.5", "systolic": 112, "diastolic": 72}),
                   (160, "bidan", {"weight_kg": "54.0", "systolic": 115, "diastolic": 75, "iron_tablets": 30}),
                   (40, "bidan", {"weight_kg": "60.0", "systolic": 118, "diastolic": 78, "iron_tablets": 30})],
        "nifas": (7, {"systolic": 120, "diastolic": 80, "vitamin_a": True, "kb_method": "injectable"}),
    },
)


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=JAKARTA)


def _women(posyandu_ids: list[int], today: dt.date) -> list[Person]:
    """Women aged 20-40 today, living at these posyandu."""
    youngest = today.replace(year=today.year - 20)
    oldest = today.replace(year=today.year - 41) + dt.timedelta(days=1)
    return list(Person.objects.filter(
        posyandu_id__in=posyandu_ids, sex=Sex.FEMALE, life_status=Person.LifeStatus.ALIVE,
        duplicate_of__isnull=True, birth_date__lte=youngest, birth_date__gte=oldest,
    ).order_by("posyandu_id", "pk"))


def seed_demo(*, seed: int, today: dt.date) -> int:
    """Record the demo pregnancies once; returns how many records (pregnancies and visits) were created."""
    if Pregnancy.objects.exists():
        return 0
    rng = random.Random(seed)
    now = _noon(today)
    created = 0
    for username in DEMO_KADER:
        kader = get_user_model().objects.filter(username=username).first()
        if kader is None:
            continue
        scope = scope_for(kader)
        for posyandu_id in scope.posyandu_ids(Perm.RECORD_HEALTH):
            women = _women([posyandu_id], today)
            rng.shuffle(women)
            for woman, plan in zip(women, PLANS, strict=False):
                created += _pregnancy(kader, scope, woman, plan, today=today, now=now)
    return created


def _pregnancy(kader, scope, woman: Person, plan: dict, *, today: dt.date, now: dt.datetime) -> int:
    back = dt.timedelta
    gravida, para, abortus = plan["gpa"]
    try:
        pregnancy = pregnancy_register(actor=kader, scope=scope, person=woman, now=now, data=PregnancyInput(
            registered_on=today - back(days=plan["registered"]), hpht=today - back(days=plan["hpht_days"]),
            gravida=gravida, para=para, abortus=abortus))
    except DomainError:
        return 0  # e.g. too young or old at HPHT: skip her
    created = 1
    for days, examiner, values in plan["visits"]:
        try:
            anc_visit_record(actor=kader, scope=scope, pregnancy=pregnancy, now=now, data=AncVisitInput(
                visited_on=today - back(days=days), examiner=examiner, **values))
        except DomainError:
            continue
        created += 1
    if "delivered" in plan:
        pregnancy_close(actor=kader, scope=scope, pregnancy=pregnancy, status=Pregnancy.Status.DELIVERED,
                        on=today - back(days=plan["delivered"]), note="Puskesmas", now=now)
        days, values = plan["nifas"]
        nifas_visit_record(actor=kader, scope=scope, pregnancy=pregnancy, now=now, data=NifasVisitInput(
            visited_on=today - back(days=days), examiner="bidan", **values))
        created += 1
    return created


# --- The city's births of this year, in bulk ------------------------------------------------------------

# Antenatal contacts of a complete pregnancy: (gestational day, examiner). One in the first trimester (doctor),
# two in the second, three in the third (the first by a doctor): the ``kes.ibu_hamil`` pattern.
CONTACTS = ((70, "doctor"), (110, "bidan"), (150, "bidan"), (190, "doctor"), (225, "bidan"), (255, "bidan"))
MISSES = ("last_visit", "no_doctor", "late_start")  # how an unserved pregnancy falls short


def year_of_births(city) -> tuple[int, int]:
    """A delivered pregnancy, with its antenatal visits, for the mother of every baby born this year.

    The mother is the household member the baby's ``mother_name`` names; the delivery is the baby's birth day.
    An area's unserved pregnancies (``city.served``) miss one part of the pattern: the last visit, the doctor
    in the third trimester, or the first trimester (a late start). Returns (pregnancies, visits).
    """
    mothers_done = set(Pregnancy.objects.filter(person__desa__code__startswith=city.region)
                       .values_list("person_id", flat=True))
    pregnancies, plans = [], []
    for baby in city.people:
        if not city.start <= baby.birth_date <= city.today or not baby.mother_name:
            continue
        mother = next((m for m in city.members.get(baby.household_id, ()) if m.full_name == baby.mother_name
                       and m.sex == Sex.FEMALE and m.pk not in mothers_done), None)
        if mother is None:
            continue
        mothers_done.add(mother.pk)
        rng = city.rng("birth", baby.client_uuid)
        length = rng.randint(266, 286)
        hpht = baby.birth_date - dt.timedelta(days=length)
        contacts = [(day + rng.randint(-5, 5), examiner) for day, examiner in CONTACTS]
        if not city.served("kes.ibu_hamil", mother.posyandu_id):
            miss = rng.choice(MISSES)
            if miss == "last_visit":
                contacts = contacts[:-1]
            elif miss == "no_doctor":
                contacts[3] = (contacts[3][0], "bidan")
            else:
                contacts = [(100, "bidan"), *contacts[1:]]  # first seen at 14 weeks: no first-trimester contact
        contacts = [(day, examiner) for day, examiner in contacts if day < length]
        parity = rng.randint(0, 2)
        pregnancy = Pregnancy(
            person_id=mother.pk, posyandu_id=mother.posyandu_id, desa_id=mother.desa_id,
            registered_on=hpht + dt.timedelta(days=contacts[0][0]), hpht=hpht, hpl=hpl_from_hpht(hpht),
            gravida=parity + 1, para=parity, abortus=0, status=Pregnancy.Status.DELIVERED,
            delivered_on=baby.birth_date, outcome_note="Persalinan di fasilitas kesehatan", recorded_by=city.recorder,
            created_at=_noon(hpht + dt.timedelta(days=contacts[0][0])), updated_at=_noon(baby.birth_date))
        pregnancies.append(pregnancy)
        plans.append((pregnancy, mother, hpht, contacts, rng))
    Pregnancy.objects.bulk_create(pregnancies)
    visits = []
    for pregnancy, mother, hpht, contacts, rng in plans:
        weight = rng.uniform(45, 60)
        for day, examiner in contacts:
            on = hpht + dt.timedelta(days=day)
            visits.append(AncVisit(
                pregnancy=pregnancy, person_id=mother.pk, posyandu_id=mother.posyandu_id, desa_id=mother.desa_id,
                visited_on=on, gestational_days=day, trimester=trimester_of(day), examiner=examiner,
                weight_kg=Decimal(f"{weight + day / 28:.2f}"), muac_cm=Decimal(f"{rng.uniform(24, 28):.1f}"),
                systolic=rng.randint(105, 128), diastolic=rng.randint(65, 82), iron_tablets=30,
                recorded_by=city.recorder, created_at=_noon(on)))
    AncVisit.objects.bulk_create(visits, batch_size=1000)
    return len(pregnancies), len(visits)
