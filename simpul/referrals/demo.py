"""Demo referrals: needs in all six fields around kader.miji's posyandu, in every state of the flow.

Recorded and moved through the real services as the demo accounts, with times in
the past so the SLA clocks, overdue flags and escalations have something to show.
Safe to run again: nothing is added once the posyandu has referrals.

:func:`spm_referrals` adds the year's social and public-order referrals of Kelurahan Miji, most of them
resolved, for the ``sos.*`` and ``trantib.*`` indicators.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageDraw

from simpul.accounts.scope import scope_for
from simpul.demo.accounts import MIJI, first_posyandu
from simpul.referrals.models import Agency, Category, Referral
from simpul.referrals.services import FileInput, MoveInput, NeedInput, referral_move, referral_record
from simpul.referrals.services.attachments import PHOTO_TYPES
from simpul.registry.models import Household, HouseholdCondition, Person

PDF = b"%PDF-1.4\n% Simpul demo document\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _photo(label: str) -> bytes:
    image = Image.new("RGB", (320, 240), (188, 170, 140))
    ImageDraw.Draw(image).text((12, 12), label, fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _documents(category: Category) -> list[FileInput]:
    files = []
    for item in category.required_documents:
        for index in range(int(item["count"])):
            if item["type"] in PHOTO_TYPES:
                files.append(FileInput(item["type"], f"foto-{index + 1}.jpg", _photo(f"{category.code} {index + 1}")))
            else:
                files.append(FileInput(item["type"], f"{item['type']}.pdf", PDF))
    return files


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _user(username: str):
    return get_user_model().objects.get(username=username)


# (category, subject, description, days ago recorded, moves: [(actor, action, days after recording, extra)])
PLAN = (
    ("prk_rtlh", "household", "Atap rumah bocor di banyak titik, dinding bambu lapuk, lantai tanah. Keluarga "
     "dengan balita.", 3, []),
    ("dik_tidak_sekolah", "child", "Anak berhenti sekolah sejak semester lalu karena tidak ada biaya seragam "
     "dan transport.", 6, [("lurah.miji", "verify", 1, {})]),
    ("pu_air_minum", "household", "Sumur gali terbuka dekat kandang ternak, air keruh saat hujan.", 9,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 2, {"agency": "dpupr"})]),
    ("sos_lansia_telantar", "elder", "Lansia tinggal sendiri, sulit berjalan, makan bergantung tetangga.", 12,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 1, {"agency": "dinsos"}),
      ("opd.dinsos", "accept", 3, {})]),
    ("pu_jamban", "household", "Keluarga belum punya jamban, buang air di sungai belakang rumah.", 15,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 2, {"agency": "dpupr"}),
      ("opd.pupr", "accept", 3, {}), ("opd.pupr", "start", 4, {})]),
    ("prk_rtlh", "household", "Rumah semi permanen, atap seng berkarat dan dinding retak.", 25,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 1, {"agency": "perkim"}),
      ("opd.perkim", "accept", 2, {}), ("opd.perkim", "start", 3, {}),
      ("opd.perkim", "resolve", 4, {"outcome": "house_livable"})]),
    ("sos_usulan_bansos", "household", "Kepala keluarga kena PHK, tiga anak sekolah, belum menerima bantuan.", 20,
     [("lurah.miji", "reject", 2, {"note": "Sudah terdaftar DTSEN dan menerima PKH sejak bulan lalu."})]),
    ("dik_belum_paud", "child5", "Anak usia 5 tahun belum ikut PAUD, orang tua bekerja di pasar.", 18,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 2, {"agency": "dinsos"}),
      ("opd.dinsos", "redirect", 3, {"agency": "disdik", "note": "Urusan PAUD di Dinas Pendidikan."})]),
    ("pu_air_minum", "household", "Air PDAM sering mati lebih dari seminggu, keluarga membeli air jeriken.", 30,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 1, {"agency": "dpupr"}),
      ("opd.pupr", "accept", 2, {}), ("opd.pupr", "resolve", 4, {"outcome": "handled",
                                                                  "note": "Jadwal distribusi diperbaiki."}),
      ("lurah.miji", "reopen", 10, {"note": "Warga melapor air masih mati seminggu."})]),
    ("trb_kdrt", "household", "Tetangga mendengar pertengkaran dan melihat memar pada istri.", 2,
     [("lurah.miji", "verify", 1, {}), ("lurah.miji", "forward", 1, {"agency": "uptd_ppa"})]),
    ("trb_kebakaran", "place", "Kabel listrik semrawut di gang RT 003, sudah dua kali korsleting.", 8, []),
)


def seed_demo(*, today: dt.date, seed: int = 2026) -> int:
    posyandu = first_posyandu(MIJI)
    if posyandu is None or Referral.objects.filter(posyandu=posyandu).exists():
        return 0
    rng = random.Random(seed)
    kader = _user("kader.miji")
    households = list(Household.objects.filter(posyandu=posyandu, status="active").order_by("pk")[:40])
    if not households:
        return 0
    rng.shuffle(households)
    agencies = {a.code: a for a in Agency.objects.filter(region_id=MIJI[:4])}
    made = 0
    for index, (code, subject, description, days_ago, moves) in enumerate(PLAN):
        category = Category.objects.get(code=code)
        household = households[index % len(households)]  # a small posyandu: some families have two needs
        person = _subject_person(household, subject, today)
        recorded = _working_back(today, days_ago)
        data = NeedInput(category=code, description=description, files=_documents(category),
                         household_id=household.pk if subject != "place" else None,
                         person_id=person.pk if person else None,
                         rt=household.rt if subject == "place" else "", rw=household.rw if subject == "place" else "",
                         posyandu_id=posyandu.pk if subject == "place" else None)
        referral = referral_record(actor=kader, scope=scope_for(kader), data=data, now=_at(recorded))
        for actor_name, action, after, extra in moves:
            actor = _user(actor_name)
            when = _at(min(recorded + dt.timedelta(days=after), today), 10 + min(after, 6))
            agency = agencies[extra["agency"]].pk if "agency" in extra else None
            referral = referral_move(actor=actor, scope=scope_for(actor), referral=referral, now=when, data=MoveInput(
                action=action, note=extra.get("note", _NOTES.get(action, "")), agency_id=agency,
                outcome=extra.get("outcome", "")))
        made += 1
    _survey_conditions(posyandu, today, rng)
    return made


_NOTES = {
    "verify": "Kunjungan rumah bersama kader: kondisi sesuai laporan.",
    "forward": "Diteruskan sesuai bidang.",
    "accept": "Diterima, dijadwalkan survei.",
    "start": "Tim sudah ke lokasi.",
    "resolve": "Rehab rumah selesai melalui program BSPS.",
}


def _working_back(today: dt.date, days: int) -> dt.date:
    day = today - dt.timedelta(days=days)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def _subject_person(household: Household, subject: str, today: dt.date) -> Person | None:
    members = list(household.members.filter(life_status="alive").order_by("birth_date"))
    if subject == "household" or subject == "place" or not members:
        return None
    if subject == "elder":
        return members[0]
    age = {"child": (7, 15), "child5": (4, 6)}[subject]
    for member in reversed(members):
        years = (today - member.birth_date).days // 365
        if age[0] <= years <= age[1]:
            return member
    return members[-1]


def _survey_conditions(posyandu, today: dt.date, rng: random.Random) -> None:
    """A kader survey of house, water and toilet for most households of the posyandu (some not yet surveyed)."""
    kader = _user("kader.miji")
    rows = []
    water = ["perpipaan"] * 6 + ["sumur_bor"] * 2 + ["sumur_terlindung", "sumur_tak_terlindung"]
    toilets = ["sendiri_septik"] * 7 + ["bersama_septik", "sendiri_tanpa_septik", "tidak_ada"]
    for household in Household.objects.filter(posyandu=posyandu, status="active").order_by("pk"):
        if rng.random() < 0.12 or household.conditions.exists():
            continue  # not surveyed yet: the SPM denominator shows them as unsurveyed
        rows.append(HouseholdCondition(
            household=household, observed_on=today - dt.timedelta(days=rng.randint(30, 200)),
            house="rtlh" if rng.random() < 0.05 else "layak", water_source=rng.choice(water),
            sanitation=rng.choice(toilets), recorded_by=kader))
    HouseholdCondition.objects.bulk_create(rows)


# --- The year's social and public-order referrals of Kelurahan Miji (the sos.* and trantib.* indicators) ---

# (category, whom it is about, how many resolved, how many still open)
SPM_PLAN = (
    ("sos_disabilitas", "disabled", 5, 1),
    ("sos_anak_telantar", "child", 5, 1),
    ("sos_lansia_telantar", "elder", 5, 0),  # the open one is in PLAN above
    ("sos_gepeng", "adult", 5, 1),
    ("sos_korban_bencana", "adult", 5, 1),
    ("trb_ketertiban", "place", 5, 1),
    ("trb_bencana", "place", 5, 1),
    ("trb_kebakaran", "place", 5, 0),  # the open one is in PLAN above
)
SPM_AGENCY = {"sos": ("dinsos", "opd.dinsos"), "trb": ("satpolpp", "opd.satpolpp")}  # Damkar is in Satpol PP
SPM_TEXT = {
    "sos_disabilitas": "Penyandang disabilitas tanpa pendamping, kebutuhan dasar tidak terpenuhi.",
    "sos_anak_telantar": "Anak tinggal dengan nenek yang sakit, sering tidak makan.",
    "sos_lansia_telantar": "Lansia tinggal sendiri tanpa penghasilan.",
    "sos_gepeng": "Warga mengemis di perempatan pasar setiap hari.",
    "sos_korban_bencana": "Korban banjir Februari, perabot dan bahan makanan hanyut.",
    "trb_ketertiban": "Balap liar setiap malam Minggu di jalan kampung.",
    "trb_bencana": "Tanggul sungai jebol, air masuk ke rumah warga.",
    "trb_kebakaran": "Kebakaran dapur warga, api merembet ke rumah sebelah.",
}


def spm_referrals(*, today: dt.date, seed: int = 2026) -> int:
    """Referrals of Kelurahan Miji recorded this year in the social and public-order categories, most of them
    resolved, a few still open, through the real services (lurah.miji records, verifies and forwards; the
    OPD accepts and resolves). Returns how many were recorded; nothing once Miji has such referrals.
    """
    if Referral.objects.filter(desa_id=MIJI, category__code="sos_gepeng").exists():
        return 0
    rng = random.Random(f"{seed}:spm-referrals")
    lurah = _user("lurah.miji")
    scope = scope_for(lurah)
    agencies = {a.code: a for a in Agency.objects.filter(region_id=MIJI[:4])}
    people = list(Person.objects.filter(desa_id=MIJI, life_status="alive", duplicate_of__isnull=True)
                  .order_by("client_uuid"))
    households = list(Household.objects.filter(desa_id=MIJI, status="active").order_by("client_uuid"))
    # Whoever already has a referral (the posyandu's needs above) is not picked again: a second, resolved
    # referral of the same person would make them one served unit, and the open need would vanish from the
    # indicator (which of Miji's elders comes first shifts with the day people have their birthdays).
    used: set[int] = set(Referral.objects.filter(desa_id=MIJI, person__isnull=False)
                         .values_list("person_id", flat=True))
    made = 0
    for code, subject, resolved, still_open in SPM_PLAN:
        category = Category.objects.get(code=code)
        agency_code, officer_name = SPM_AGENCY[code[:3]]
        officer = _user(officer_name)
        for index in range(resolved + still_open):
            person = None if subject == "place" else _spm_subject(people, subject, today, used)
            if subject != "place" and person is None:
                continue
            household = households[rng.randrange(len(households))]
            recorded = _working_back(today, rng.randint(20, max(21, min(300, (today - dt.date(today.year, 1, 6)).days))))
            data = NeedInput(category=code, description=SPM_TEXT[code], files=_documents(category),
                             person_id=person.pk if person else None,
                             posyandu_id=household.posyandu_id if subject == "place" else None,
                             rt=household.rt if subject == "place" else "", rw=household.rw if subject == "place" else "")
            referral = referral_record(actor=lurah, scope=scope, data=data, now=_at(recorded))
            moves = [(lurah, "verify", 1, {}), (lurah, "forward", 1, {"agency": agency_code}),
                     (officer, "accept", 2, {})]
            if index < resolved:
                outcome = "handled" if code.startswith("trb") else "basic_needs_served"
                moves.append((officer, "resolve", rng.randint(4, 12), {"outcome": outcome,
                                                                       "note": "Layanan sudah diberikan."}))
            for actor, action, after, extra in moves:
                when = _at(min(recorded + dt.timedelta(days=after), today), 10 + min(after, 6))
                referral = referral_move(actor=actor, scope=scope_for(actor), referral=referral, now=when,
                                         data=MoveInput(action=action, note=extra.get("note", _NOTES.get(action, "")),
                                                        agency_id=agencies[extra["agency"]].pk if "agency" in extra
                                                        else None, outcome=extra.get("outcome", "")))
            made += 1
    return made


def _spm_subject(people: list[Person], subject: str, today: dt.date, used: set[int]) -> Person | None:
    ages = {"disabled": (18, 120), "child": (5, 17), "elder": (60, 120), "adult": (18, 59)}[subject]
    for person in people:
        years = (today - person.birth_date).days // 365
        if person.pk in used or not ages[0] <= years <= ages[1]:
            continue
        if subject == "disabled" and not person.disability_type:
            person.disability_type = "physical"  # what the kader found on the home visit
            person.save(update_fields=["disability_type"])
        used.add(person.pk)
        return person
    return None
