"""The built-in six-field taxonomy: document types, categories, agencies and routing defaults.

This is seed data (``manage.py referrals_seed <kabkota>`` and the demo load put it
in the database, where a pembina edits it). Labels are English source strings
translated by gettext; a category a kabupaten adds itself keeps its own name.
Required documents follow the Kab. Tegal material (domain.md §1.6, [S]); SLA
defaults are the 5 working days of the same source; agencies per field are the
ones design.md §1 names. Category lists beyond domain.md §4.1 are our proposal [U].
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField


class DocType(models.TextChoices):
    KTP = "ktp", _("Identity card (KTP) copy")
    KK = "kk", _("Family card (KK) copy")
    INCOME_STATEMENT = "income_statement", _("Income statement from the village")
    LAND_PROOF = "land_proof", _("Proof of land ownership")
    HOUSE_PHOTO = "house_photo", _("Photo of the house (one side)")
    NO_PRIOR_AID = "no_prior_aid", _("Statement of never having received house aid")
    POVERTY_LETTER = "poverty_letter", _("RT letter stating inability to pay")
    RT_REQUEST = "rt_request", _("Request letter from the RT/dusun head")
    SITE_PHOTO = "site_photo", _("Photo of the place")
    VILLAGE_STATEMENT = "village_statement", _("Statement from the village government")
    REPORTER_ID = "reporter_id", _("Reporter's identity")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other document")


# What a resolution can write back to the registry (simpul.referrals.writeback).
class WriteBack(models.TextChoices):
    NONE = "", _("Nothing")
    EDUCATION = "education_enrolled", _("Child enrolled: education status")
    HOUSE = "house_rehabilitated", _("House made livable: house condition")
    RELOCATED = "house_relocated", _("Household relocated: house condition")
    WATER = "water_safe", _("Safe drinking water: water source")
    SANITATION = "sanitation_proper", _("Proper sanitation: toilet")
    AID = "aid_granted", _("Aid granted: social assistance")
    SOCIAL_SERVICE = "social_service", _("Basic-needs social service given")


def _docs(*pairs) -> list[dict]:
    return [{"type": str(doc), "count": count} for doc, count in pairs]


@dataclass(frozen=True)
class CategorySeed:
    code: str
    field: str
    label: str  # English source, translated
    subject: str = "either"
    documents: tuple = ()
    confidential: bool = False
    sla_working_days: int = 5
    writes_back: str = ""


H, E, PW, HO, S, ORDER = (SpmField.HEALTH, SpmField.EDUCATION, SpmField.PUBLIC_WORKS, SpmField.HOUSING,
                      SpmField.SOCIAL, SpmField.PUBLIC_ORDER)
ASP = "aspirasi"
SCHOOL_DOCS = ((DocType.KTP, 1), (DocType.KK, 1), (DocType.POVERTY_LETTER, 1))
SOCIAL_DOCS = ((DocType.KK, 1), (DocType.VILLAGE_STATEMENT, 1))
ORDER_DOCS = ((DocType.REPORTER_ID, 1),)

CATEGORIES: tuple[CategorySeed, ...] = (
    CategorySeed("kes_rujukan", H, _("Referral to the midwife or health centre"), "person", writes_back=""),
    CategorySeed("dik_tidak_sekolah", E, _("Child not in school"), "person", SCHOOL_DOCS,
                 writes_back=WriteBack.EDUCATION),
    CategorySeed("dik_berisiko_putus", E, _("Child at risk of dropping out"), "person", SCHOOL_DOCS,
                 writes_back=WriteBack.EDUCATION),
    CategorySeed("dik_belum_paud", E, _("Child not yet in early childhood education (PAUD)"), "person",
                 ((DocType.KK, 1),), writes_back=WriteBack.EDUCATION),
    CategorySeed("dik_kesetaraan", E, _("Needs an equivalency programme (Paket A/B/C)"), "person",
                 ((DocType.KTP, 1), (DocType.KK, 1)), writes_back=WriteBack.EDUCATION),
    CategorySeed("pu_air_minum", PW, _("Unsafe drinking water"), "household", ((DocType.PHOTO, 1),),
                 writes_back=WriteBack.WATER),
    CategorySeed("pu_jamban", PW, _("No proper toilet"), "household", ((DocType.PHOTO, 1),),
                 writes_back=WriteBack.SANITATION),
    CategorySeed("pu_sarana_rt", PW, _("Proposal for a neighbourhood water or sanitation facility"), "place",
                 ((DocType.RT_REQUEST, 1), (DocType.SITE_PHOTO, 1)), sla_working_days=10),
    CategorySeed("prk_rtlh", HO, _("House unfit to live in (RTLH)"), "household",
                 ((DocType.KTP, 1), (DocType.KK, 1), (DocType.INCOME_STATEMENT, 1), (DocType.LAND_PROOF, 1),
                  (DocType.HOUSE_PHOTO, 3), (DocType.NO_PRIOR_AID, 1)), writes_back=WriteBack.HOUSE),
    CategorySeed("prk_rusak_bencana", HO, _("House damaged by a disaster"), "household",
                 ((DocType.KTP, 1), (DocType.KK, 1), (DocType.HOUSE_PHOTO, 3)), writes_back=WriteBack.HOUSE),
    CategorySeed("prk_relokasi", HO, _("Household needs relocation"), "household",
                 ((DocType.KTP, 1), (DocType.KK, 1)), writes_back=WriteBack.RELOCATED),
    CategorySeed("sos_disabilitas", S, _("Neglected person with a disability"), "person", SOCIAL_DOCS,
                 writes_back=WriteBack.SOCIAL_SERVICE),
    CategorySeed("sos_anak_telantar", S, _("Neglected child"), "person", SOCIAL_DOCS,
                 writes_back=WriteBack.SOCIAL_SERVICE),
    CategorySeed("sos_lansia_telantar", S, _("Neglected elderly person"), "person", SOCIAL_DOCS,
                 writes_back=WriteBack.SOCIAL_SERVICE),
    CategorySeed("sos_gepeng", S, _("Homeless person or beggar"), "person", ((DocType.VILLAGE_STATEMENT, 1),),
                 writes_back=WriteBack.SOCIAL_SERVICE),
    CategorySeed("sos_korban_bencana", S, _("Disaster victim needing basic needs"), "either", SOCIAL_DOCS,
                 writes_back=WriteBack.SOCIAL_SERVICE),
    CategorySeed("sos_jatuh_miskin", S, _("Family newly fallen into poverty"), "household", SOCIAL_DOCS,
                 writes_back=WriteBack.AID),
    CategorySeed("sos_usulan_bansos", S, _("Proposal for DTSEN, social aid or PBI-JKN"), "household", SOCIAL_DOCS,
                 writes_back=WriteBack.AID),
    CategorySeed("trb_kebakaran", ORDER, _("Fire"), "place", ORDER_DOCS, sla_working_days=1),
    CategorySeed("trb_bencana", ORDER, _("Disaster"), "place", ORDER_DOCS, sla_working_days=1),
    CategorySeed("trb_ketertiban", ORDER, _("Public order disturbance"), "place", ORDER_DOCS),
    CategorySeed("trb_kdrt", ORDER, _("Domestic violence"), "either", ORDER_DOCS, confidential=True, sla_working_days=2),
    CategorySeed("trb_narkoba", ORDER, _("Drugs"), "place", ORDER_DOCS, confidential=True),
    CategorySeed("trb_perdagangan_orang", ORDER, _("Human trafficking"), "person", ORDER_DOCS, confidential=True,
                 sla_working_days=2),
    CategorySeed("trb_rawan_bencana", ORDER, _("Disaster-prone household or place"), "either"),
    CategorySeed("asp_umum", ASP, _("Aspiration outside the six fields (e.g. agriculture)"), "place",
                 sla_working_days=10),
)
CATEGORY_LABELS = {seed.code: seed.label for seed in CATEGORIES}


def category_label(code: str, fallback: str) -> str:
    label = CATEGORY_LABELS.get(code)
    return str(label) if label is not None else fallback


@dataclass(frozen=True)
class AgencySeed:
    code: str
    name: str  # Indonesian official name; "{region}" becomes the kab/kota name
    short_name: str
    fields: tuple[str, ...]
    kind: str = "dinas"


AGENCIES: tuple[AgencySeed, ...] = (
    AgencySeed("dinkes", "Dinas Kesehatan {region}", "Dinkes", (H,)),
    AgencySeed("disdik", "Dinas Pendidikan {region}", "Disdik", (E,)),
    AgencySeed("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang {region}", "Dinas PUPR", (PW,)),
    AgencySeed("perkim", "Dinas Perumahan Rakyat dan Kawasan Permukiman {region}", "Dinas Perkim", (HO,)),
    AgencySeed("dinsos", "Dinas Sosial {region}", "Dinsos", (S,)),
    AgencySeed("satpolpp", "Satuan Polisi Pamong Praja {region}", "Satpol PP", (ORDER,)),
    AgencySeed("bpbd", "Badan Penanggulangan Bencana Daerah {region}", "BPBD", (ORDER, HO)),
    AgencySeed("damkar", "Dinas Pemadam Kebakaran {region}", "Damkar", (ORDER,)),
    AgencySeed("uptd_ppa", "UPTD Perlindungan Perempuan dan Anak {region}", "UPTD PPA", (ORDER, S), kind="unit"),
)

# Field → agency code for the whole kab/kota; category → agency code where it differs.
FIELD_ROUTES = {H: "dinkes", E: "disdik", PW: "dpupr", HO: "perkim", S: "dinsos", ORDER: "satpolpp"}
CATEGORY_ROUTES = {
    "trb_kebakaran": "damkar",
    "trb_bencana": "bpbd",
    "trb_rawan_bencana": "bpbd",
    "trb_kdrt": "uptd_ppa",
    "trb_perdagangan_orang": "uptd_ppa",
}
# Per kecamatan: its office takes aspirations, its puskesmas takes health referrals.
KECAMATAN_AGENCY = AgencySeed("kec-{code}", "Kecamatan {name}", "Kec. {name}", (ASP,), kind="kecamatan")
PUSKESMAS_AGENCY = AgencySeed("pkm-{code}", "Puskesmas {name}", "PKM {name}", (H,), kind="puskesmas")
