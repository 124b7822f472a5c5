"""The 29 kab/kota SPM service types (design.md §4 codes) as data.

Each row names its field, its target population (sasaran) and service standard in words, the regulation it
comes from, what of it is still unconfirmed (domain.md §2 marks), and the rule that computes it: a rule name
from ``simpul.spm.rules`` with its parameters. Changing a threshold (8 weighings, 6 ANC visits) is a change
to this table, not to code. Rows whose numerator lives in another system (deliveries in a facility, TB
tests) have ``source = EXTERNAL``: their figures are entered or imported per region and period
(``ExternalFigure``), and the dashboard says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from simpul.core.choices import SpmField

SIMPUL = "simpul"  # computed from Simpul's own records
EXTERNAL = "external"  # entered or imported per region and period


@dataclass(frozen=True)
class Indicator:
    code: str
    field: str  # SpmField
    name: str
    unit: str  # "person" | "household" | "report" (a referral about a place)
    sasaran: str  # who is counted in the denominator, in words
    standard: str  # what counts as served, in words
    regulation: str
    source: str = SIMPUL
    rule: str = ""  # simpul.spm.rules name; empty for EXTERNAL rows
    params: dict = field(default_factory=dict)
    unconfirmed: str = ""  # what domain.md marks [U]; shown on the dashboard's info
    target: int = 100  # default target percent; pembina sets others per area and year


K, D, PU, PKP, SOS, TR = (SpmField.HEALTH, SpmField.EDUCATION, SpmField.PUBLIC_WORKS, SpmField.HOUSING,
                          SpmField.SOCIAL, SpmField.PUBLIC_ORDER)
KES_REG = "Permenkes 6/2024 (standar teknis SPM kesehatan); pola Permenkes 4/2019"
DIK_REG = "Permendikbudristek 32/2022; Kepmendikbudristek 311/M/2022"
PU_REG = "Permen PUPR 29/PRT/M/2018"
SOS_REG = "Permensos 9/2018"
TR_REG = "Permendagri 121/2018"
RESOLVED = _("Their referral was resolved with the service.")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("kes.ibu_hamil", K, _("Health care for pregnant women"), "person",
              _("Pregnancies due or ended in the year (registered in the posyandu)"),
              _("At least 6 antenatal visits: 1 in the first trimester, 2 in the second, 3 in the third; "
                "at least 2 by a doctor (first and third trimester)"),
              KES_REG, rule="anc_pattern",
              params={"visits": 6, "per_trimester": {"1": 1, "2": 2, "3": 3}, "doctor_trimesters": ["1", "3"]},
              unconfirmed=_("Trimester pattern and visit components are not confirmed against Permenkes 6/2024.")),
    Indicator("kes.ibu_bersalin", K, _("Health care for women giving birth"), "person",
              _("Women giving birth in the year"), _("Birth attended by competent staff in a health facility"),
              KES_REG, source=EXTERNAL,
              unconfirmed=_("Facility births are recorded by the puskesmas, not in Simpul.")),
    Indicator("kes.bayi_baru_lahir", K, _("Health care for newborns"), "person",
              _("Newborns 0–28 days in the year"), _("Neonatal visits KN1 (6–48 h), KN2 (day 3–7), KN3 (day 8–28)"),
              KES_REG, source=EXTERNAL, unconfirmed=_("Neonatal visits are recorded by health workers.")),
    Indicator("kes.balita", K, _("Health care for children under five"), "person",
              _("Children aged 0–59 months living in the area"),
              _("Weighed at least 8 times and measured at least twice in the year, vitamin A twice (February "
                "and August, from 6 months), immunisation complete for age — in proportion to the part of the "
                "year the child was under five and living here"),
              KES_REG, rule="under_five_package",
              params={"min_months": 0, "max_months": 59, "weighings": 8, "heights": 2,
                      "vitamin_a_months": [2, 8], "vitamin_a_from_months": 6},
              unconfirmed=_("Permenkes 6/2024 may have changed the age band and the package; development "
                            "monitoring is not yet counted.")),
    Indicator("kes.usia_pendidikan_dasar", K, _("Health care at basic-education age"), "person",
              _("Children aged 7–15"), _("School health screening at least once a year"), KES_REG,
              source=EXTERNAL, unconfirmed=_("School screening is recorded by the puskesmas (UKS).")),
    Indicator("kes.usia_produktif", K, _("Health care at productive age"), "person",
              _("Residents aged 15–59"), _("Non-communicable disease risk screening at least once in the year"),
              KES_REG, rule="screened_in_year", params={"min_years": 15, "max_years": 59},
              unconfirmed=_("Screening content (cervical and breast screening) is not confirmed.")),
    Indicator("kes.usia_lanjut", K, _("Health care for the elderly"), "person",
              _("Residents aged 60 and over"), _("Geriatric screening at least once in the year"),
              KES_REG, rule="screened_in_year", params={"min_years": 60, "max_years": None},
              unconfirmed=_("Screening content is not confirmed against Permenkes 6/2024.")),
    Indicator("kes.hipertensi", K, _("Health care for people with hypertension"), "person",
              _("Residents aged 15 and over found with blood pressure ≥ 140/90"),
              _("Blood pressure checked every month since found — in proportion to the months elapsed"),
              KES_REG, rule="monthly_follow_up",
              params={"min_years": 15, "flag": "hypertension", "measure": "blood_pressure"},
              unconfirmed=_("The sasaran is estimated from prevalence in the regulation; Simpul counts the "
                            "people it found.")),
    Indicator("kes.diabetes", K, _("Health care for people with diabetes"), "person",
              _("Residents aged 15 and over found with blood glucose ≥ 200 mg/dL"),
              _("Blood glucose checked every month since found — in proportion to the months elapsed"),
              KES_REG, rule="monthly_follow_up",
              params={"min_years": 15, "flag": "hyperglycaemia", "measure": "glucose"},
              unconfirmed=_("Diagnosis is by a health worker; a posyandu reading is a suspicion.")),
    Indicator("kes.odgj_berat", K, _("Health care for people with severe mental disorders"), "person",
              _("People with a severe mental disorder"), _("Examination, education and follow-up"), KES_REG,
              source=EXTERNAL),
    Indicator("kes.tb", K, _("Health care for presumptive tuberculosis"), "person",
              _("People presumed to have TB"), _("Diagnostic examination and education"), KES_REG,
              source=EXTERNAL),
    Indicator("kes.hiv", K, _("Health care for people at risk of HIV"), "person",
              _("People at risk of HIV infection"), _("HIV test and education"), KES_REG, source=EXTERNAL),
    Indicator("dik.paud", D, _("Early childhood education"), "person",
              _("Children aged 5–6"), _("Taking part in PAUD (or already in primary school)"),
              DIK_REG, rule="in_education", params={"min_years": 5, "max_years": 6,
                                                    "served": ["paud", "sd"]}),
    Indicator("dik.dasar", D, _("Basic education"), "person",
              _("Children aged 7–15"), _("Taking part in basic education (SD/MI, SMP/MTs or Paket A/B)"),
              DIK_REG, rule="in_education", params={"min_years": 7, "max_years": 15,
                                                    "served": ["sd", "smp", "kesetaraan", "sma", "finished"]},
              unconfirmed=_("Children whose education status is not recorded count as not served until a "
                            "kader records it.")),
    Indicator("dik.kesetaraan", D, _("Equivalency education"), "person",
              _("Residents aged 7–18 who left school without finishing basic or secondary education"),
              _("Taking part in an equivalency programme (Paket A/B/C)"),
              DIK_REG, rule="in_equivalency", params={"min_years": 7, "max_years": 18}),
    Indicator("pu.air_minum", PU, _("Basic daily drinking water"), "household",
              _("Surveyed households (the unsurveyed are shown beside)"),
              _("Main drinking-water source is safe (piped, protected well or spring, rain water, bottled)"),
              PU_REG, rule="household_condition", params={"attribute": "water_source"},
              unconfirmed=_("The 60 litres per person per day are not measured; the source type stands in.")),
    Indicator("pu.air_limbah", PU, _("Domestic wastewater treatment"), "household",
              _("Surveyed households (the unsurveyed are shown beside)"),
              _("Own or shared toilet with a septic tank or sewer"),
              PU_REG, rule="household_condition", params={"attribute": "sanitation"}),
    Indicator("pkp.korban_bencana", PKP, _("Habitable housing for disaster victims"), "household",
              _("Households whose house was damaged by a disaster"),
              _("The house was repaired or replaced (referral resolved, house recorded habitable)"),
              PU_REG, rule="house_restored", params={"from": "rusak_bencana", "category": "prk_rusak_bencana"}),
    Indicator("pkp.relokasi", PKP, _("Housing for households relocated by a regional programme"), "household",
              _("Households to be relocated by a regional government programme"),
              _("Facilitated into a habitable house"),
              PU_REG, rule="house_restored", params={"from": "relokasi", "category": "prk_relokasi"}),
    Indicator("sos.disabilitas", SOS, _("Basic social rehabilitation of neglected persons with disabilities"),
              "person", _("Neglected persons with disabilities identified (referred)"), RESOLVED, SOS_REG,
              rule="referral_resolved", params={"categories": ["sos_disabilitas"]}),
    Indicator("sos.anak_telantar", SOS, _("Basic social rehabilitation of neglected children"), "person",
              _("Neglected children identified (referred)"), RESOLVED, SOS_REG,
              rule="referral_resolved", params={"categories": ["sos_anak_telantar"]}),
    Indicator("sos.lansia_telantar", SOS, _("Basic social rehabilitation of neglected elderly people"), "person",
              _("Neglected elderly people identified (referred)"), RESOLVED, SOS_REG,
              rule="referral_resolved", params={"categories": ["sos_lansia_telantar"]}),
    Indicator("sos.tuna_sosial", SOS, _("Basic social rehabilitation of homeless people and beggars"), "person",
              _("Homeless people and beggars identified (referred)"), RESOLVED, SOS_REG,
              rule="referral_resolved", params={"categories": ["sos_gepeng"]}),
    Indicator("sos.korban_bencana", SOS, _("Social protection of disaster victims"), "person",
              _("Disaster victims identified (referred)"), RESOLVED, SOS_REG,
              rule="referral_resolved", params={"categories": ["sos_korban_bencana"]}),
    Indicator("trantib.ketertiban", TR, _("Public peace and order"), "report",
              _("Reports of public-order disturbance"), _("Handled by Satpol PP (referral resolved)"), TR_REG,
              rule="referral_resolved", params={"categories": ["trb_ketertiban"]},
              unconfirmed=_("The regulation counts citizens affected by enforcement; Simpul counts reports.")),
    Indicator("trantib.info_rawan_bencana", TR, _("Disaster-risk information"), "person",
              _("Citizens in disaster-prone areas"), _("Received disaster-risk information"), TR_REG,
              source=EXTERNAL),
    Indicator("trantib.kesiapsiagaan", TR, _("Disaster prevention and preparedness"), "person",
              _("Citizens in disaster-prone areas"), _("Received prevention and preparedness services"), TR_REG,
              source=EXTERNAL),
    Indicator("trantib.evakuasi_bencana", TR, _("Rescue and evacuation of disaster victims"), "report",
              _("Disaster reports"), _("Rescue and evacuation done (referral resolved)"), TR_REG,
              rule="referral_resolved", params={"categories": ["trb_bencana"]},
              unconfirmed=_("Simpul counts reports, not persons rescued.")),
    Indicator("trantib.kebakaran", TR, _("Rescue and evacuation of fire victims"), "report",
              _("Fire reports"), _("Rescue and evacuation done (referral resolved)"), TR_REG,
              rule="referral_resolved", params={"categories": ["trb_kebakaran"]},
              unconfirmed=_("The response-time rate of the fire management area (WMK) is not measured.")),
)

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}
COMPUTED = tuple(indicator for indicator in INDICATORS if indicator.source == SIMPUL)


def get(code: str) -> Indicator | None:
    return BY_CODE.get(code)


def for_fields(fields) -> tuple[Indicator, ...]:
    return tuple(indicator for indicator in INDICATORS if indicator.field in fields)
