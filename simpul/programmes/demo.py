"""Programmes in the demo city (issue 7): Jumat Berkah in Kecamatan Kranggan and a sewing and food-processing
training for women of Kelurahan Miji, with activities, attendance and follow-ups, written through the services
by the demo accounts (``pembina``, ``lurah.miji``, ``kader.miji``, ``kader.meri``).

Reach is partial on purpose: the kader of Miji's and Meri's first posyandu run the Friday distributions, so the
other posyandu and kelurahan of Kranggan show eligible people never reached — what TP Posyandu is meant to
see. Before the training, kader.miji asks the income-earner situation of her households; the families whose
only earner can no longer work are the training's first invitees (and raise the early warning for Dinsos).

Call :func:`seed_demo` from ``demo_load`` after the registry and the household surveys are in; it does
nothing when the programmes are already there.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from simpul.accounts.scope import scope_for
from simpul.demo.accounts import KRANGGAN, MERI, MIJI, first_posyandu
from simpul.programmes import eligibility
from simpul.programmes.earners import household_earners_record
from simpul.programmes.models import Programme
from simpul.programmes.services import (
    ProgrammeInput,
    activity_record,
    follow_up_record,
    participants_record,
    programme_create,
)
from simpul.registry.models import Household, HouseholdCondition

JUMAT_BERKAH = "Jumat Berkah Kecamatan Kranggan"
TRAINING = "Pelatihan Menjahit dan Olahan Pangan Kelurahan Miji"


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _fridays(start: dt.date, today: dt.date) -> list[dt.date]:
    first = start + dt.timedelta(days=(4 - start.weekday()) % 7)
    return [first + dt.timedelta(weeks=n) for n in range((today - first).days // 7 + 1)]


def seed_demo(*, today: dt.date, seed: int = 2026) -> int:
    """Create the two demo programmes; returns how many activities were recorded (0 when already there)."""
    if Programme.objects.filter(name__in=[JUMAT_BERKAH, TRAINING]).exists():
        return 0
    users = {name: _user(name) for name in ("pembina", "lurah.miji", "kader.miji", "kader.meri")}
    posyandu = {"kader.miji": first_posyandu(MIJI), "kader.meri": first_posyandu(MERI)}
    if None in users.values() or None in posyandu.values():
        return 0
    rng = random.Random(seed)
    made = _jumat_berkah(users, posyandu, today, rng)
    _earners_survey(users["kader.miji"], posyandu["kader.miji"], today, rng)
    made += _training(users, posyandu["kader.miji"], today, rng)
    return made


def _jumat_berkah(users, posyandu, today: dt.date, rng: random.Random) -> int:
    start = today - dt.timedelta(weeks=10)
    programme = programme_create(
        actor=users["pembina"],
        scope=scope_for(users["pembina"]),
        now=_at(start, 8),
        data=ProgrammeInput(
            owner_kind=Programme.OwnerKind.TP_POSYANDU,
            region_code=KRANGGAN,
            field="sosial",
            name=JUMAT_BERKAH,
            kind=Programme.Kind.SOCIAL_AID,
            organiser="TP Posyandu Kecamatan Kranggan bersama Baznas Kota Mojokerto",
            description="Setiap Jumat pagi paket sembako dan makanan siap santap untuk lansia dan keluarga miskin, "
            "dibagikan di posyandu; yang tidak bisa datang diantar kader ke rumah.",
            target_rule="lansia_or_poor",
            start_date=start,
        ),
    )
    made = 0
    for kader_name, place in posyandu.items():
        kader = users[kader_name]
        scope = scope_for(kader)
        eligible = [e.person_id for e in eligibility.eligible("lansia_or_poor", {}, [place.pk], today)]
        regulars = rng.sample(eligible, k=int(len(eligible) * 0.6)) if eligible else []
        for friday in _fridays(start, today):
            activity = activity_record(
                actor=kader,
                scope=scope,
                programme=programme,
                date=friday,
                kind="distribution",
                place=f"Halaman {place.name}",
                posyandu_id=place.pk,
                today=today,
                now=_at(friday, 10),
                given="Beras 5 kg, minyak goreng 1 liter, telur 1 kg",
            )
            attendance = {}
            for person_id in regulars:
                roll = rng.random()
                attendance[person_id] = (
                    "attended" if roll < 0.7 else ("delivered" if roll < 0.85 else "absent")
                )
            if attendance:
                participants_record(
                    actor=kader, scope=scope, activity=activity, attendance=attendance, now=_at(friday, 12)
                )
            made += 1
    return made


def _earners_survey(kader, place, today: dt.date, rng: random.Random) -> None:
    """kader.miji asks who earns the income in the households of her posyandu that were surveyed already.

    Asked today and copied from each household's latest survey, so no SPM figure moves (a household never
    surveyed would need its house, water and toilet recorded with it, which the SPM would count).
    """
    surveyed = HouseholdCondition.objects.filter(household__posyandu=place, observed_on__lte=today)
    asked = Household.objects.filter(pk__in=surveyed.values("household_id"), status=Household.Status.ACTIVE)
    situations = ["tunggal_tak_mampu"] * 2 + ["tidak_ada"] + ["tunggal"] * 10 + ["beberapa"] * 8
    for household in asked.order_by("pk"):
        household_earners_record(
            actor=kader,
            scope=scope_for(kader),
            household=household,
            earners=rng.choice(situations),
            observed_on=today,
            today=today,
            now=_at(today, 8),
        )


def _training(users, place, today: dt.date, rng: random.Random) -> int:
    start = today - dt.timedelta(days=95)
    lurah, kader = users["lurah.miji"], users["kader.miji"]
    programme = programme_create(
        actor=lurah,
        scope=scope_for(lurah),
        now=_at(start, 8),
        data=ProgrammeInput(
            owner_kind=Programme.OwnerKind.DESA,
            region_code=MIJI,
            field="sosial",
            name=TRAINING,
            kind=Programme.Kind.EMPOWERMENT_TRAINING,
            skill="Menjahit dan olahan pangan (keripik, kue kering)",
            organiser="TP PKK Kelurahan Miji bersama Dinas Sosial P3A Kota Mojokerto",
            description="Empat kali pertemuan untuk ibu-ibu dari keluarga yang hidup dari satu pencari nafkah, "
            "agar keluarga tetap bertahan ketika suami tidak lagi bisa bekerja.",
            target_rule="single_earner",
            start_date=start,
            end_date=start + dt.timedelta(days=30),
        ),
    )
    scope = scope_for(kader)
    eligible = [e.person_id for e in eligibility.eligible("single_earner", {}, [place.pk], today)]
    trainees = (
        rng.sample(eligible, k=min(len(eligible), max(1, int(len(eligible) * 0.6)))) if eligible else []
    )
    lessons = [
        "Mengenal mesin jahit dan mengukur badan",
        "Menjahit masker dan tas belanja",
        "Membuat keripik singkong dan kemasan",
        "Menghitung harga jual dan berjualan daring",
    ]
    came: set[int] = set()
    for week, lesson in enumerate(lessons):
        day = start + dt.timedelta(days=7 * week + 2)
        activity = activity_record(
            actor=kader,
            scope=scope,
            programme=programme,
            date=day,
            kind="training",
            place="Balai Kelurahan Miji",
            posyandu_id=place.pk,
            given=lesson,
            today=today,
            now=_at(day, 13),
        )
        if trainees:
            attendance = {pk: "attended" if rng.random() < 0.85 else "absent" for pk in trainees}
            participants_record(
                actor=kader, scope=scope, activity=activity, now=_at(day, 15), attendance=attendance
            )
            came |= {pk for pk, status in attendance.items() if status == "attended"}
    # Follow-ups a month and two months after the last lesson: most trained women start something.
    first = ["trained", "business_started", "trained", "business_started", "no_change"]
    second = ["business_started", "income_improved", "no_change", "income_improved", "stopped"]
    for index, person_id in enumerate(sorted(came)):
        for months, outcomes in ((1, first), (2, second)):
            day = start + dt.timedelta(days=30 + 30 * months)
            if day > today:
                continue
            outcome = outcomes[index % len(outcomes)]
            income = (
                rng.choice([300_000, 500_000, 750_000, 1_000_000])
                if outcome in ("business_started", "income_improved")
                else None
            )
            follow_up_record(
                actor=kader,
                scope=scope,
                programme=programme,
                person_id=person_id,
                date=day,
                outcome=outcome,
                monthly_income=income,
                today=today,
                now=_at(day, 11),
                note="Kunjungan rumah kader",
            )
    return len(lessons)
